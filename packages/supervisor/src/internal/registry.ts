import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Process from "../Process.js"
import type * as Registry from "../Registry.js"
import * as SupervisorError from "../SupervisorError.js"
import type { ProcessImpl } from "./process.js"

/** @internal */
export const TypeId: Registry.TypeId = Symbol.for("@effect-otp/supervisor/Registry") as Registry.TypeId

/** @internal */
export const NameTypeId: Registry.NameTypeId = Symbol.for("@effect-otp/supervisor/Registry/Name") as Registry.NameTypeId

/**
 * No process is registered under this name, and none will be: the name is unknown, or
 * its last holder was released (OTP's `noproc`).
 *
 * @since 0.1.0
 * @category errors
 */
export class NoProcess extends Data.TaggedError("NoProcess")<{
  readonly name: string
}> {
  get message() {
    return `no process is registered as "${this.name}"`
  }
}

/**
 * Called when a name a caller waits for is registered again (with its new holder) or
 * removed (with `undefined`).
 * @internal
 */
export type Waiter = (holder: ProcessImpl | undefined) => void

/**
 * One name. `vacant` means the holder has ended but the name stays reserved for the
 * holder's next incarnation (its supervisor is restarting it).
 * @internal
 */
export class Entry {
  vacant = false
  waiters: Array<Waiter> | undefined = undefined
  constructor(readonly name: string, public holder: ProcessImpl) {}

  /** The holder, if it is running and not stopping. */
  get usable(): ProcessImpl | undefined {
    return this.vacant || (this.holder as { readonly stopping?: boolean }).stopping === true ? undefined : this.holder
  }

  wake(holder: ProcessImpl | undefined) {
    const waiters = this.waiters
    if (waiters === undefined) return
    this.waiters = undefined
    for (const waiter of waiters) waiter(holder)
  }

  removeWaiter(waiter: Waiter) {
    if (this.waiters === undefined) return
    const index = this.waiters.indexOf(waiter)
    if (index >= 0) this.waiters.splice(index, 1)
  }
}

let tracked: Set<RegistryImpl> | undefined = undefined

/**
 * The registries made since the call, for the test suite's leak check (none are tracked
 * otherwise).
 * @internal
 */
export const trackRegistries = (): Set<RegistryImpl> => {
  if (tracked === undefined) tracked = new Set()
  return tracked
}

/** @internal */
export class RegistryImpl implements Registry.Registry {
  readonly [TypeId]: Registry.TypeId = TypeId
  readonly entries = new Map<string, Entry>()

  constructor() {
    if (tracked !== undefined) tracked.add(this)
  }

  /** The process holding `name`, if it is running and is not `process`. */
  holderOtherThan(name: string, process: ProcessImpl): ProcessImpl | undefined {
    const entry = this.entries.get(name)
    return entry === undefined || entry.vacant || entry.holder === process ? undefined : entry.holder
  }

  /**
   * Registers `process` under `name`; returns the other running holder on a clash. A
   * vacant (reserved) entry is taken over. The entry becomes vacant when the process
   * ends, and is removed when the process is released.
   */
  register(name: string, process: ProcessImpl): ProcessImpl | undefined {
    let entry = this.entries.get(name)
    if (entry === undefined) {
      entry = new Entry(name, process)
      this.entries.set(name, entry)
    } else if (entry.holder === process) {
      return undefined
    } else if (!entry.vacant) {
      return entry.holder
    } else {
      entry.holder = process
      entry.vacant = false
    }
    const registered = entry
    process.addObserver(() => {
      if (this.entries.get(name) === registered && registered.holder === process) registered.vacant = true
      if (!process.supervised) process.release()
    })
    process.onRelease(() => {
      if (this.entries.get(name) === registered && registered.holder === process) {
        this.entries.delete(name)
        registered.wake(undefined)
      }
    })
    registered.wake(process)
    return undefined
  }

  whereis(name: string): Option.Option<Process.ProcessRef> {
    const entry = this.entries.get(name)
    return entry === undefined || entry.vacant ? Option.none() : Option.some(entry.holder)
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "Registry", names: Array.from(this.entries.keys()) }
  }
}

/** @internal */
export const RegistryTag: Context.Tag<Registry.Registry, Registry.Registry> = Context.GenericTag<Registry.Registry>(
  "@effect-otp/supervisor/Registry"
)

/** @internal */
export const keyOf = (name: string | Registry.Name): string => typeof name === "string" ? name : name.key

/** @internal */
export const withRegistry = <A, E, R>(
  f: (registry: RegistryImpl) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | Registry.Registry> => Effect.flatMap(RegistryTag, (registry) => f(registry as RegistryImpl))

/** @internal */
export const alreadyStarted = (name: string, holder: ProcessImpl) =>
  new SupervisorError.AlreadyStarted({ id: name, registryName: name, process: holder })

const NameProto = {
  [NameTypeId]: NameTypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toString(this: Registry.Name) {
    return `Name<${this.key}>`
  },
  toJSON(this: Registry.Name) {
    return { _id: "Name", key: this.key }
  }
}

/** @internal */
export const makeName = <N extends Registry.Name>(key: string): N => {
  const self = Object.create(NameProto)
  self.key = key
  return self
}
