/**
 * Registered supervisors: a supervisor started with a name registers its process once its
 * children have started, as a GenServer does once `init` has succeeded; lookups by name
 * find the running incarnation, and wait while its parent restarts it.
 */
import * as Effect from "effect/Effect"
import type * as Registry from "../../Registry.js"
import type * as SupervisorError from "../../SupervisorError.js"
import { type ProcessImpl, Self } from "../process.js"
import * as internalRegistry from "../registry.js"

/** The supervisor each registered supervisor process is. */
const supervisors = new WeakMap<ProcessImpl, object>()

/** The key of a supervisor's `name` option: a registered name's key, or `undefined` for a label. */
export const registeredKey = (name: unknown): string | undefined =>
  typeof name === "object" && name !== null && internalRegistry.NameTypeId in name
    ? (name as Registry.Name).key
    : undefined

/** The label of a supervisor's `name` option (a string, or a registered name's key). */
export const labelOf = (name: unknown): string | undefined => typeof name === "string" ? name : registeredKey(name)

/** `true` for a `name` option a supervisor accepts: a string or a registered name. */
export const isNameOption = (name: unknown): boolean =>
  name === undefined || typeof name === "string" || registeredKey(name) !== undefined

/**
 * Runs `boot` (the supervisor starting its children) in its process, registered under
 * `key` around it: a name held by another running process fails at once with
 * `AlreadyStarted`, before any child starts; the name is taken once `boot` has succeeded
 * (a reserved name, kept while the parent restarts the supervisor, is taken over).
 */
export const registered = <A, E, R>(
  key: string,
  supervisor: object,
  boot: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SupervisorError.AlreadyStarted, R | Registry.Registry | Self> =>
  internalRegistry.withRegistry((registry) =>
    Effect.flatMap(Self, (self) => {
      const process = self as ProcessImpl
      const early = registry.holderOtherThan(key, process)
      if (early !== undefined) return Effect.fail(internalRegistry.alreadyStarted(key, early))
      return Effect.flatMap(boot, (value) => {
        const holder = registry.register(key, process)
        if (holder !== undefined) return Effect.fail(internalRegistry.alreadyStarted(key, holder))
        supervisors.set(process, supervisor)
        return Effect.succeed(value)
      })
    })
  )

/** Waits until `entry` has a usable holder again, or is removed (`undefined`). */
const awaitHolder = (entry: internalRegistry.Entry): Effect.Effect<ProcessImpl | undefined> =>
  Effect.async<ProcessImpl | undefined>((resume) => {
    const ready = entry.usable
    if (ready !== undefined) return resume(Effect.succeed(ready))
    const waiter: internalRegistry.Waiter = (holder) => resume(Effect.succeed(holder))
    if (entry.waiters === undefined) entry.waiters = [waiter]
    else entry.waiters.push(waiter)
    return Effect.sync(() => entry.removeWaiter(waiter))
  })

/**
 * The supervisor registered under `key`: its running incarnation, or the next one when
 * its parent is restarting it (the lookup waits for it). `NoProcess` when no process holds
 * the name and none will; a defect when the name is held by something else than a
 * supervisor of the kind `refine` accepts.
 */
export const lookup = <S>(
  key: string,
  refine: (u: unknown) => u is S,
  kind: string
): Effect.Effect<S, internalRegistry.NoProcess, Registry.Registry> =>
  internalRegistry.withRegistry((registry) => {
    const entry = registry.entries.get(key)
    if (entry === undefined) return Effect.fail(new internalRegistry.NoProcess({ name: key }))
    const found = (holder: ProcessImpl | undefined): Effect.Effect<S, internalRegistry.NoProcess> => {
      if (holder === undefined) return Effect.fail(new internalRegistry.NoProcess({ name: key }))
      const supervisor = supervisors.get(holder)
      return refine(supervisor)
        ? Effect.succeed(supervisor)
        : Effect.dieMessage(`the process registered as "${key}" is not a ${kind}`)
    }
    const holder = entry.usable
    return holder !== undefined ? found(holder) : Effect.flatMap(awaitHolder(entry), found)
  })
