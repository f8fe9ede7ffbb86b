import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import * as ExitReason from "@effect-otp/supervisor/ExitReason"
import type * as Process from "@effect-otp/supervisor/Process"
import * as Registry from "@effect-otp/supervisor/Registry"
import type * as Restart from "@effect-otp/supervisor/Restart"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Hash from "effect/Hash"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as PartitionSupervisor from "../PartitionSupervisor.js"

/** @internal */
export const TypeId: PartitionSupervisor.TypeId = Symbol.for(
  "@effect-otp/partition-supervisor/PartitionSupervisor"
) as PartitionSupervisor.TypeId

/**
 * Routing to a partition supervisor that has been resized to zero partitions.
 */
export class ZeroPartitions extends Data.TaggedError("ZeroPartitions")<{
  readonly name: string
}> {
  get message() {
    return `the PartitionSupervisor "${this.name}" has zero partitions`
  }
}

export const show: (u: unknown) => string = Engine.show

/**
 * The partition of a key: an integer by the remainder of its absolute value (Elixir's
 * `rem(abs(key), partitions)`), anything else by its `Hash` (Elixir: `phash2`).
 * @internal
 */
export const keyToPartition = (key: unknown, partitions: number): number => {
  if (typeof key === "number" && Number.isInteger(key)) return Math.abs(key) % partitions
  if (typeof key === "bigint") return Number((key < BigInt(0) ? -key : key) % BigInt(partitions))
  return (Hash.hash(key) >>> 0) % partitions
}

/** The running incarnation of a partition, as the last lookup saw it. */
interface Entry {
  readonly process: Process.ProcessRef
  readonly value: unknown
}

/** The partition supervisors started under a name, by their process (what the registry holds). @internal */
export const byProcess = new WeakMap<Process.ProcessRef, PartitionSupervisorImpl>()

/** @internal */
export class PartitionSupervisorImpl {
  readonly [TypeId]: PartitionSupervisor.TypeId = TypeId
  process: Process.ProcessRef = undefined as unknown as Process.ProcessRef
  /** How many partitions take keys now (`resize` changes it; never more than `max`). */
  current: number
  /** The running partitions, by number, as last looked up: a lookup checks the entry is still running. */
  readonly table: Array<Entry | undefined>
  readonly statuses: Array<Supervisor.ChildStatus | undefined>
  readonly lock = Effect.unsafeMakeSemaphore(1)

  constructor(
    readonly name: string,
    readonly supervisor: Supervisor.Supervisor,
    readonly max: number
  ) {
    this.current = max
    this.table = new Array(max).fill(undefined)
    this.statuses = new Array(max).fill(undefined)
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "PartitionSupervisor", name: this.name, partitions: this.current }
  }

  toString() {
    return `PartitionSupervisor<${this.name}>`
  }

  /** Reads every partition's running incarnation from the supervisor. */
  get refresh(): Effect.Effect<void, SupervisorError.SupervisorStopped> {
    return Effect.map(Supervisor.whichChildren(this.supervisor), (infos) => {
      this.table.fill(undefined)
      this.statuses.fill(undefined)
      for (const info of infos) {
        const partition = Number(info.id)
        this.statuses[partition] = info.status
        if (info.status === "running" && Option.isSome(info.process) && Option.isSome(info.value)) {
          this.table[partition] = { process: info.process.value, value: info.value.value }
        }
      }
    })
  }

  /** The value of the partition a key is routed to. */
  route(key: unknown): Effect.Effect<
    unknown,
    ZeroPartitions | SupervisorError.Restarting | SupervisorError.NotFound | SupervisorError.SupervisorStopped
  > {
    const partitions = this.current
    if (partitions === 0) return Effect.fail(new ZeroPartitions({ name: this.name }))
    const partition = keyToPartition(key, partitions)
    const entry = this.table[partition]
    // the common case: the incarnation seen last is still running
    if (entry !== undefined && Option.isNone(entry.process.poll)) return Effect.succeed(entry.value)
    return Effect.flatMap(this.refresh, (): Effect.Effect<
      unknown,
      SupervisorError.Restarting | SupervisorError.NotFound
    > => {
      const fresh = this.table[partition]
      if (fresh !== undefined) return Effect.succeed(fresh.value)
      return this.statuses[partition] === "restarting"
        ? Effect.fail(new SupervisorError.Restarting({ id: String(partition) }))
        : Effect.fail(new SupervisorError.NotFound({ id: String(partition) }))
    })
  }

  resize(partitions: number): Effect.Effect<
    number,
    | SupervisorError.InvalidOptions
    | SupervisorError.NotFound
    | SupervisorError.Running
    | SupervisorError.Restarting
    | SupervisorError.StartFailed
    | SupervisorError.SupervisorStopped
    | Process.Ignore
  > {
    type Resized = Effect.Effect<
      number,
      | SupervisorError.InvalidOptions
      | SupervisorError.NotFound
      | SupervisorError.Running
      | SupervisorError.Restarting
      | SupervisorError.StartFailed
      | SupervisorError.SupervisorStopped
      | Process.Ignore
    >
    return this.lock.withPermits(1)(Effect.suspend((): Resized => {
      const current = this.current
      if (!Number.isSafeInteger(partitions) || partitions < 0 || partitions > this.max) {
        return Effect.fail(
          new SupervisorError.InvalidOptions({
            message: `partitions: expected an integer between 0 and ${this.max}, got ${show(partitions)}`
          })
        )
      }
      if (partitions > current) {
        return Effect.as(
          Effect.zipRight(
            Effect.forEach(
              range(current, partitions),
              (partition) => Supervisor.restartChild(this.supervisor, String(partition)),
              { discard: true }
            ),
            Effect.sync(() => {
              this.current = partitions
            })
          ),
          current
        )
      }
      if (partitions < current) {
        // no key is routed to the partitions being stopped
        this.current = partitions
        return Effect.as(
          Effect.forEach(
            range(partitions, current).reverse(),
            (partition) => Supervisor.terminateChild(this.supervisor, String(partition)),
            { discard: true }
          ),
          current
        )
      }
      return Effect.succeed(current)
    }))
  }
}

const range = (from: number, to: number): Array<number> => Array.from({ length: to - from }, (_, i) => from + i)

/** The options of a partition supervisor, checked. @internal */
export interface Decoded<R> {
  readonly name: string
  readonly key: Registry.Key
  readonly partitions: number
  readonly children: ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>>
}

const invalid = (message: string) => Effect.fail(new SupervisorError.InvalidOptions({ message }))

/** @internal */
export interface RawOptions<Args, R> {
  readonly name?: Registry.Key | undefined
  readonly childSpec?:
    | ChildSpec.ChildSpec<unknown, unknown, R>
    | ((args: Args) => ChildSpec.ChildSpec<unknown, unknown, R>)
    | undefined
  readonly arguments?: Args | undefined
  readonly withArguments?: ((args: Args, partition: number) => Args) | undefined
  readonly partitions?: number | undefined
  readonly strategy?: Supervisor.Strategy | undefined
  readonly restartPolicy?: Restart.Policy | undefined
}

/**
 * Checks the options (they may come from JavaScript) in Elixir's order and builds one
 * child spec per partition, its id the partition's number.
 * @internal
 */
export const decode = <Args, R>(options: RawOptions<Args, R>, cores: number): Effect.Effect<
  Decoded<R>,
  SupervisorError.InvalidOptions
> =>
  Effect.suspend(() => {
    const key = options.name
    if (key === undefined || key === null || key === "") {
      return invalid(`name: the name option must be given to a PartitionSupervisor, got ${show(key)}`)
    }
    if (typeof key !== "string" && !Registry.isName(key)) {
      return invalid(`name: expected a string or a Registry name, got ${show(key)}`)
    }
    const name = typeof key === "string" ? key : key.key
    const spec = options.childSpec
    if (spec === undefined || spec === null) {
      return invalid(`childSpec: the childSpec option must be given to a PartitionSupervisor, got ${show(spec)}`)
    }
    if (typeof spec !== "function" && !ChildSpec.isChildSpec(spec)) {
      return invalid(`childSpec: expected a child spec or a function of the arguments returning one, got ${show(spec)}`)
    }
    const partitions = options.partitions ?? cores
    if (typeof partitions !== "number" || !Number.isSafeInteger(partitions) || partitions < 1) {
      return invalid(`partitions: expected a positive integer, got ${show(partitions)}`)
    }
    const withArguments = options.withArguments ?? ((args: Args) => args)
    if (typeof withArguments !== "function") {
      return invalid(
        `withArguments: expected a function of the arguments and the partition, got ${show(withArguments)}`
      )
    }
    if (options.withArguments !== undefined && typeof spec !== "function") {
      return invalid("withArguments: needs a childSpec that is a function of the arguments, got a child spec")
    }
    const children: Array<ChildSpec.ChildSpec<unknown, unknown, R>> = []
    for (let partition = 0; partition < partitions; partition++) {
      const made = typeof spec === "function" ? spec(withArguments(options.arguments as Args, partition)) : spec
      if (!ChildSpec.isChildSpec(made)) {
        return invalid(
          `childSpec: expected the function to return a child spec for partition ${partition}, got ${show(made)}`
        )
      }
      children.push(ChildSpec.override(made, { id: String(partition) }))
    }
    return Effect.succeed({ name, key, partitions, children })
  })

/** Ends the partition supervisor's own process the way its supervisor ended. @internal */
export const exitAs = (reason: ExitReason.ExitReason): Effect.Effect<void, unknown> =>
  ExitReason.$match(reason, {
    Normal: () => Effect.void,
    Shutdown: ({ reason }) =>
      Effect.fail(
        Option.isSome(reason)
          ? new ExitReason.ShutdownRequest({ reason: reason.value })
          : new ExitReason.ShutdownRequest({})
      ),
    Killed: () => Effect.interrupt,
    Abnormal: ({ cause }) => Effect.failCause(cause)
  })
