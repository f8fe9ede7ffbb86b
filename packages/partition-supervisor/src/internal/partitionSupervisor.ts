/**
 * A running partition supervisor: its partitions' table (the routing of keys), its resize,
 * and how a `Ref` reaches it.
 *
 * @internal
 */
import { show } from "@effect-otp/supervisor/Engine"
import type * as Process from "@effect-otp/supervisor/Process"
import * as Registry from "@effect-otp/supervisor/Registry"
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

  /** The partitions as `Supervisor.whichChildren` reports them, each with its number. */
  get whichChildren(): Effect.Effect<Array<PartitionSupervisor.ChildInfo>, SupervisorError.SupervisorStopped> {
    return Effect.map(
      Supervisor.whichChildren(this.supervisor),
      (infos) => infos.map((info) => ({ ...info, partition: Number(info.id) }))
    )
  }

  /** The value of the partition a key is routed to (`A`: the type of the partitions' value). */
  route<A>(key: unknown): Effect.Effect<
    A,
    ZeroPartitions | SupervisorError.Restarting | SupervisorError.NotFound | SupervisorError.SupervisorStopped
  > {
    const partitions = this.current
    if (partitions === 0) return Effect.fail(new ZeroPartitions({ name: this.name }))
    const partition = keyToPartition(key, partitions)
    const entry = this.table[partition]
    // the common case: the incarnation seen last is still running
    if (entry !== undefined && Option.isNone(entry.process.poll)) return Effect.succeed(entry.value as A)
    return Effect.flatMap(this.refresh, (): Effect.Effect<
      A,
      SupervisorError.Restarting | SupervisorError.NotFound
    > => {
      const fresh = this.table[partition]
      if (fresh !== undefined) return Effect.succeed(fresh.value as A)
      return this.statuses[partition] === "restarting"
        ? Effect.fail(new SupervisorError.Restarting({ id: String(partition) }))
        : Effect.fail(new SupervisorError.NotFound({ id: String(partition) }))
    })
  }

  /** Stops or restarts partitions so that `partitions` of them take keys; the previous number. */
  resize(partitions: number) {
    return this.lock.withPermits(1)(Effect.gen(this, function*() {
      const current = this.current
      if (!Number.isSafeInteger(partitions) || partitions < 0 || partitions > this.max) {
        return yield* new SupervisorError.InvalidOptions({
          message: `partitions: expected an integer between 0 and ${this.max}, got ${show(partitions)}`
        })
      }
      if (partitions > current) {
        yield* Effect.forEach(
          range(current, partitions),
          (partition) => Supervisor.restartChild(this.supervisor, String(partition)),
          { discard: true }
        )
        this.current = partitions
      } else if (partitions < current) {
        // no key is routed to the partitions being stopped
        this.current = partitions
        yield* Effect.forEach(
          range(partitions, current).reverse(),
          (partition) => Supervisor.terminateChild(this.supervisor, String(partition)),
          { discard: true }
        )
      }
      return current
    }))
  }
}

const range = (from: number, to: number): Array<number> => Array.from({ length: to - from }, (_, i) => from + i)

/** `true` for a running partition supervisor. @internal */
export const isPartitionSupervisor = (u: unknown): u is PartitionSupervisor.PartitionSupervisor<unknown> =>
  typeof u === "object" && u !== null && TypeId in u

/** The partition supervisor a `Ref` names: itself, or the one registered under the name. @internal */
export const resolve = <Self extends PartitionSupervisor.Ref<unknown>>(
  self: Self
): Effect.Effect<PartitionSupervisorImpl, Registry.NoProcess, PartitionSupervisor.RefContext<Self>> => {
  if (isPartitionSupervisor(self)) return Effect.succeed(self as unknown as PartitionSupervisorImpl)
  const key = self as string | Registry.Name
  return Effect.flatMap(
    Registry.whereis(key),
    (process) => {
      const found = Option.flatMapNullable(process, (process) => byProcess.get(process))
      return Option.isSome(found)
        ? Effect.succeed(found.value)
        : Effect.fail(new Registry.NoProcess({ name: typeof key === "string" ? key : key.key }))
    }
  ) as Effect.Effect<PartitionSupervisorImpl, Registry.NoProcess, PartitionSupervisor.RefContext<Self>>
}
