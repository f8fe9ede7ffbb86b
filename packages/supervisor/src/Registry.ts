/**
 * Process names that follow restarts (OTP's registered names, `Process.whereis`).
 *
 * A process started with a name registers itself once its initialization has succeeded,
 * before its start returns; a name already held by a running process makes the start
 * fail with `SupervisorError.AlreadyStarted` (holding the holder). When a registered
 * process ends, its name is kept *reserved* while its supervisor restarts it: the next
 * incarnation takes the name over, and a call by name made in between waits for it
 * (within the call's timeout). The name is removed when the process will not come back
 * (it was not supervised, its supervisor does not restart it, or the supervisor stopped).
 *
 * The registry is a service: provide {@link layer} once for the application (or once per
 * test, so names do not leak between tests).
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import * as internalProcess from "./internal/process.js"
import * as internal from "./internal/registry.js"
import type * as Process from "./Process.js"
import type * as SupervisorError from "./SupervisorError.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A table of process names.
 *
 * @since 0.1.0
 * @category models
 */
export interface Registry extends Pipeable {
  readonly [TypeId]: TypeId
}

/**
 * The registry service.
 *
 * @since 0.1.0
 * @category context
 */
export const Registry: Context.Tag<Registry, Registry> = internal.RegistryTag

/**
 * Creates an empty registry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Registry> = Effect.sync(() => new internal.RegistryImpl())

/**
 * A layer with an empty registry.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Registry } from "@effect-otp/supervisor"
 *
 * const program = Registry.whereis("Counter").pipe(Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Registry> = Layer.effect(Registry, make)

/**
 * @since 0.1.0
 * @category type ids
 */
export const NameTypeId: unique symbol = internal.NameTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type NameTypeId = typeof NameTypeId

/**
 * A name as a value. `GenServer.name` makes names that also carry the protocol of the
 * server registered under them, so that calls by name are type-checked.
 *
 * @since 0.1.0
 * @category models
 */
export interface Name extends Pipeable {
  readonly [NameTypeId]: NameTypeId
  readonly key: string
}

/**
 * A name given as a string or as a {@link Name}.
 *
 * @since 0.1.0
 * @category models
 */
export type Key = string | Name

/**
 * An untyped name.
 *
 * @since 0.1.0
 * @category constructors
 */
export const name = (key: string): Name => internal.makeName(key)

/**
 * `true` for a typed name made by `Registry.name` (or `GenServer.name`).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isName = (u: unknown): u is Name => typeof u === "object" && u !== null && NameTypeId in u

/**
 * The process registered under a name, if one is running (OTP's `Process.whereis`). A
 * name reserved for a process that its supervisor is restarting gives `None`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Option } from "effect"
 * import { Process, Registry } from "@effect-otp/supervisor"
 *
 * // kill the process registered as "Counter", if any
 * const killCounter = Effect.flatMap(Registry.whereis("Counter"), Option.match({
 *   onNone: () => Effect.void,
 *   onSome: (process) => Effect.asVoid(Process.kill(process))
 * }))
 * ```
 *
 * @since 0.1.0
 * @category lookups
 */
export const whereis = (name: Key): Effect.Effect<Option.Option<Process.ProcessRef>, never, Registry> =>
  internal.withRegistry((registry) => Effect.succeed(registry.whereis(internal.keyOf(name))))

/**
 * Every name the registry holds, including names reserved for a process that is being
 * restarted.
 *
 * @since 0.1.0
 * @category lookups
 */
export const names: Effect.Effect<ReadonlyArray<string>, never, Registry> = internal.withRegistry((registry) =>
  Effect.sync(() => Array.from(registry.entries.keys()))
)

/**
 * Registers the running process (its {@link Process.Self}) under a name, for processes
 * that are not GenServers (a GenServer registers with its `name` option). Fails with
 * `AlreadyStarted` if another running process holds the name. The name follows the
 * process's restarts like a GenServer's.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Process, Registry } from "@effect-otp/supervisor"
 *
 * const poller = Process.fromEffect(
 *   Registry.register("poller").pipe(Effect.zipRight(Effect.never))
 * )
 * ```
 *
 * @since 0.1.0
 * @category registration
 */
export const register = (
  name: Key
): Effect.Effect<void, SupervisorError.AlreadyStarted, Registry | Process.Self> =>
  internal.withRegistry((registry) =>
    Effect.flatMap(internalProcess.Self, (self) => {
      const key = internal.keyOf(name)
      const holder = registry.register(key, self as internalProcess.ProcessImpl)
      return holder === undefined ? Effect.void : Effect.fail(internal.alreadyStarted(key, holder))
    })
  )

export {
  /**
   * No process is registered under a name, and none will be: the name is unknown, or its
   * last holder was released (OTP's `noproc`).
   *
   * @since 0.1.0
   * @category errors
   */
  NoProcess
} from "./internal/registry.js"

/**
 * `true` if the name is registered and its holder is running.
 *
 * @since 0.1.0
 * @category lookups
 */
export const isRegistered = (name: Key): Effect.Effect<boolean, never, Registry> =>
  Effect.map(whereis(name), Option.isSome)
