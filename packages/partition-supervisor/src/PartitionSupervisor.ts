/**
 * A supervisor that starts one child per partition and routes keys to them (Elixir's
 * `PartitionSupervisor`), so that a hot process (a dynamic supervisor, a task
 * supervisor, a cache) is not a single bottleneck. It is a `Supervisor` whose children
 * are the partitions, ids `"0"` to `"n - 1"`, with a name in the `Registry`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 * import { ChildSpec, Registry } from "@effect-otp/supervisor"
 * import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
 *
 * const program = Effect.gen(function*() {
 *   const sessions = yield* PartitionSupervisor.start({
 *     name: "MyApp.Sessions",
 *     childSpec: DynamicSupervisor.childSpec({ id: "sessions" })
 *   })
 *   // the dynamic supervisor of user 42's partition
 *   const partition = yield* PartitionSupervisor.whereis(sessions, 42)
 *   yield* DynamicSupervisor.startChild(partition, ChildSpec.make({ id: "session:42", start: Effect.never }))
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.1.0
 */
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Process from "@effect-otp/supervisor/Process"
import * as Registry from "@effect-otp/supervisor/Registry"
import type * as Restart from "@effect-otp/supervisor/Restart"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Pipeable } from "effect/Pipeable"
import type * as Scope from "effect/Scope"
import * as internal from "./internal/partitionSupervisor.js"
import * as partitionProcess from "./internal/process.js"

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
 * A running partition supervisor whose partitions' start returned an `A` (a dynamic
 * supervisor, a GenServer ref, ...).
 *
 * @since 0.1.0
 * @category models
 */
export interface PartitionSupervisor<out A = unknown> extends Pipeable {
  readonly [TypeId]: TypeId
  /** The name it is registered under. */
  readonly name: string
  /** Its own process: await it to learn when and why it stopped. */
  readonly process: Process.ProcessRef
  /** The supervisor whose children are the partitions (ids `"0"` to `"n - 1"`). */
  readonly supervisor: Supervisor.Supervisor
  /** Type-level only: the type of the partitions' value (never set). */
  readonly _A?: (_: never) => A
}

/**
 * `true` for a running partition supervisor.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isPartitionSupervisor = (u: unknown): u is PartitionSupervisor<unknown> =>
  internal.isPartitionSupervisor(u)

/**
 * A partition supervisor's name, with the type of its partitions' value, so that
 * `whereis` by name is typed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Name<out A> extends Registry.Name {
  /** Type-level only: the type of the partitions' value (never set). */
  readonly _A?: (_: never) => A
}

/**
 * A typed name for a partition supervisor.
 *
 * **Example**
 *
 * ```ts
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 * import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
 *
 * const Sessions = PartitionSupervisor.name<DynamicSupervisor.DynamicSupervisor>("MyApp.Sessions")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const name = <A = unknown>(key: string): Name<A> => Registry.name(key)

/**
 * A partition supervisor, or its name (a `Name`, or a string).
 *
 * @since 0.1.0
 * @category models
 */
export type Ref<A = unknown> = PartitionSupervisor<A> | Name<A> | string

/**
 * What reaching a partition supervisor by `Ref` needs: the `Registry` for a name.
 *
 * @since 0.1.0
 * @category type-level
 */
export type RefContext<Self> = Self extends PartitionSupervisor<infer _A> ? never : Registry.Registry

/**
 * The type of the partitions' value of a `Ref`.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Value<Self> = Self extends PartitionSupervisor<infer A> ? A : Self extends Name<infer A> ? A : unknown

export {
  /**
   * A key was routed to a partition supervisor that has been resized to zero partitions
   * (Elixir's `ArgumentError` "has zero partitions").
   *
   * @since 0.1.0
   * @category errors
   */
  ZeroPartitions
} from "./internal/partitionSupervisor.js"

/**
 * What `start`, `spawn`, `layer` and `childSpec` take (Elixir's `PartitionSupervisor`
 * options). `childSpec` is started once per partition; as a function it is called with
 * `withArguments(arguments, partition)` (by default `arguments`), so that each partition
 * can be given its own arguments, its number among them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<A, E, R, Args = never> {
  /** Required: the name it registers under (a string or a `Registry` name). */
  readonly name: string | Name<A>
  /** Required: the child spec of every partition (its id is replaced by the partition's number). */
  readonly childSpec: ChildSpec.ChildSpec<A, E, R> | ((args: Args) => ChildSpec.ChildSpec<A, E, R>)
  /** The arguments given to a `childSpec` function (through `withArguments`). */
  readonly arguments?: Args | undefined
  /** Gives each partition its own arguments: `(arguments, partition) => arguments`. */
  readonly withArguments?: ((args: Args, partition: number) => Args) | undefined
  /** A positive integer. Default: the number of cores (`os.availableParallelism()`, read at start). */
  readonly partitions?: number | undefined
  /** Default `"one_for_one"`. */
  readonly strategy?: Supervisor.Strategy | undefined
  /** Default 3 restarts in 5 seconds. */
  readonly restartPolicy?: Restart.Policy | undefined
}

/**
 * What starting a partition supervisor can fail with: invalid options (no name, no child
 * spec, zero partitions, an invalid `withArguments`), its name already taken, a
 * partition that fails to start.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartError = Supervisor.StartError | SupervisorError.AlreadyStarted

/**
 * A partition supervisor as a process, for {@link start} or as a child of a `Supervisor`
 * (see {@link childSpec}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const spawn = <A, E, R, Args = never>(
  options: Options<A, E, R, Args>
): Process.Spawn<PartitionSupervisor<A>, StartError, R | Registry.Registry> => partitionProcess.spawn(options)

/**
 * Starts a partition supervisor in the current scope: one child per partition, started
 * in order, registered under its name. Closing the scope stops the partitions in reverse
 * order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = <A, E, R, Args = never>(
  options: Options<A, E, R, Args>
): Effect.Effect<PartitionSupervisor<A>, StartError, R | Registry.Registry | Scope.Scope> =>
  partitionProcess.start(options)

/**
 * A layer that starts a partition supervisor when built and stops it when released.
 *
 * **Example**
 *
 * ```ts
 * import { Context } from "effect"
 * import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
 * import { TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * class Tasks extends Context.Tag("Tasks")<
 *   Tasks,
 *   PartitionSupervisor.PartitionSupervisor<TaskSupervisor.TaskSupervisor>
 * >() {}
 *
 * const TasksLive = PartitionSupervisor.layer(Tasks, {
 *   name: "MyApp.TaskSupervisors",
 *   childSpec: TaskSupervisor.childSpec({ id: "tasks" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <I, A, E, R, Args = never>(
  tag: Context.Tag<I, PartitionSupervisor<A>>,
  options: Options<A, E, R, Args>
): Layer.Layer<I, StartError, Exclude<R, Scope.Scope> | Registry.Registry> =>
  Layer.scoped(tag, start(options)) as Layer.Layer<I, StartError, Exclude<R, Scope.Scope> | Registry.Registry>

/**
 * A child spec for a partition supervisor under a `Supervisor`: `type: "supervisor"`,
 * `shutdown: "infinity"`, its `id` the name unless given (as Elixir's).
 *
 * **Example**
 *
 * ```ts
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 * import { Supervisor } from "@effect-otp/supervisor"
 * import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
 *
 * const app = Supervisor.start({
 *   children: [
 *     PartitionSupervisor.childSpec({
 *       name: "MyApp.Rooms",
 *       partitions: 4,
 *       childSpec: DynamicSupervisor.childSpec({ id: "rooms" })
 *     })
 *   ]
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const childSpec = <A, E, R, Args = never>(
  options: Options<A, E, R, Args> & Partial<Omit<ChildSpec.Options, "type">>
): ChildSpec.ChildSpec<PartitionSupervisor<A>, StartError, R | Registry.Registry> => partitionProcess.childSpec(options)

/**
 * The partition a key is routed to among `partitions`: an integer by the remainder of
 * its absolute value (`-7` goes where `7` goes), a `bigint` likewise, anything else by
 * its `Hash` (Effect's `Hash.hash`: by value for strings, numbers and `Data` values, by
 * identity for other objects). Elixir's routing; do not rely on the exact partition.
 *
 * **Example**
 *
 * ```ts
 * import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
 *
 * PartitionSupervisor.keyToPartition(-7, 4) // 3
 * ```
 *
 * @since 0.1.0
 * @category routing
 */
export const keyToPartition: (key: unknown, partitions: number) => number = internal.keyToPartition

/**
 * The value of the running partition a key is routed to (Elixir's
 * `{:via, PartitionSupervisor, {name, key}}`): e.g. the dynamic supervisor to start a
 * child on. Reads a table, without a message to the supervisor, unless the partition has
 * been restarted since the last lookup. Fails with `ZeroPartitions` after a resize to
 * zero, `Restarting` while the partition is being restarted, `NoProcess` for an unknown
 * name.
 *
 * @since 0.1.0
 * @category routing
 */
export const whereis = <Self extends Ref<unknown>>(
  self: Self,
  key: unknown
): Effect.Effect<
  Value<Self>,
  | Registry.NoProcess
  | internal.ZeroPartitions
  | SupervisorError.Restarting
  | SupervisorError.NotFound
  | SupervisorError.SupervisorStopped,
  RefContext<Self>
> => Effect.flatMap(internal.resolve(self), (self) => self.route<Value<Self>>(key))

/**
 * How many partitions take keys now (after `resize`, fewer than it started with).
 *
 * @since 0.1.0
 * @category operations
 */
export const partitions = <Self extends Ref<unknown>>(
  self: Self
): Effect.Effect<number, Registry.NoProcess, RefContext<Self>> =>
  Effect.map(internal.resolve(self), (self) => self.current)

/**
 * Stops or restarts partitions so that `partitions` of them take keys: between 0 and the
 * number it started with (never more, as Elixir's `resize!`). Stopped partitions keep
 * their spec and appear in `whichChildren` as `stopped`. Returns the previous number.
 *
 * @since 0.1.0
 * @category operations
 */
export const resize = <Self extends Ref<unknown>>(
  self: Self,
  partitions: number
): Effect.Effect<
  number,
  | Registry.NoProcess
  | SupervisorError.InvalidOptions
  | SupervisorError.NotFound
  | SupervisorError.Running
  | SupervisorError.Restarting
  | SupervisorError.StartFailed
  | SupervisorError.SupervisorStopped
  | Process.Ignore,
  RefContext<Self>
> => Effect.flatMap(internal.resolve(self), (self) => self.resize(partitions))

/**
 * A partition as `whichChildren` reports it: the supervisor's child info and the
 * partition's number.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildInfo extends Supervisor.ChildInfo {
  readonly partition: number
}

/**
 * The partitions (all of them, stopped ones too), as `Supervisor.whichChildren`
 * reports them (most recently started first).
 *
 * @since 0.1.0
 * @category operations
 */
export const whichChildren = <Self extends Ref<unknown>>(
  self: Self
): Effect.Effect<
  ReadonlyArray<ChildInfo>,
  Registry.NoProcess | SupervisorError.SupervisorStopped,
  RefContext<Self>
> => Effect.flatMap(internal.resolve(self), (self) => self.whichChildren)

/**
 * Counts the partitions as `Supervisor.countChildren`: `specs` every partition, `active`
 * those running.
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren = <Self extends Ref<unknown>>(
  self: Self
): Effect.Effect<
  Supervisor.ChildCounts,
  Registry.NoProcess | SupervisorError.SupervisorStopped,
  RefContext<Self>
> => Effect.flatMap(internal.resolve(self), (self) => Supervisor.countChildren(self.supervisor))

/**
 * Stops the partition supervisor (its partitions in reverse order) and waits until it
 * has stopped (Elixir's `PartitionSupervisor.stop`).
 *
 * @since 0.1.0
 * @category operations
 */
export const stop = <Self extends Ref<unknown>>(
  self: Self,
  reason?: unknown
): Effect.Effect<void, Registry.NoProcess, RefContext<Self>> =>
  Effect.flatMap(internal.resolve(self), (self) => Effect.asVoid(Process.stop(self.process, reason)))
