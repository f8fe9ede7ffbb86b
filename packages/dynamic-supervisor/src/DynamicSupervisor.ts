/**
 * A supervisor whose children are started at run time (Elixir's `DynamicSupervisor`):
 * user sessions, game rooms, uploads. Each child restarts alone (`one_for_one`) with the
 * start it was given; all children stop at once when the supervisor stops.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const sessions = yield* DynamicSupervisor.start({ maxChildren: 1000 })
 *   const session = yield* DynamicSupervisor.startChild(
 *     sessions,
 *     ChildSpec.make({ id: "session", start: Effect.never })
 *   )
 *   yield* DynamicSupervisor.countChildren(sessions) // { specs: 1, active: 1, supervisors: 0, workers: 1 }
 *   yield* DynamicSupervisor.terminateChild(sessions, session)
 * }))
 * ```
 *
 * @since 0.1.0
 */
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import type * as ExitReason from "@effect-otp/supervisor/ExitReason"
import type * as Process from "@effect-otp/supervisor/Process"
import * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisionTree from "@effect-otp/supervisor/SupervisionTree"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as SupervisorEvent from "@effect-otp/supervisor/SupervisorEvent"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as internal from "./internal/dynamicSupervisor.js"
import * as internalSpawn from "./internal/spawn.js"

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
 * @since 0.1.0
 * @category type ids
 */
export const ChildTypeId: unique symbol = internal.ChildTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type ChildTypeId = typeof ChildTypeId

/**
 * A running dynamic supervisor. `Extra` is the value every child's start receives
 * (OTP's `extra_arguments`).
 *
 * @since 0.1.0
 * @category models
 */
export interface DynamicSupervisor<out Extra = void> extends Pipeable {
  readonly [TypeId]: TypeId
  readonly extraArguments: Extra
  /** The supervisor's own process: await it to learn when and why it stopped. */
  readonly process: Process.ProcessRef
}

/**
 * `true` for a running dynamic supervisor (what `DynamicSupervisor.start` returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isDynamicSupervisor = (u: unknown): u is DynamicSupervisor<unknown> =>
  typeof u === "object" && u !== null && TypeId in u

/**
 * A child of a dynamic supervisor, stable across its restarts: use it to terminate the
 * child even while it is being restarted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Child<out A> extends Pipeable {
  readonly [ChildTypeId]: ChildTypeId
  /** What the first incarnation's start returned (e.g. a GenServer ref). */
  readonly value: A
  /** The first incarnation. */
  readonly initial: Process.ProcessRef
}

/**
 * A child as `whichChildren` reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildInfo {
  readonly child: Child<unknown>
  /** The id of the spec the child was started with (informational: ids need not be unique). */
  readonly id: string
  readonly status: "running" | "restarting"
  readonly process: Option.Option<Process.ProcessRef>
  /** What the running incarnation's start returned (e.g. its GenServer ref). */
  readonly value: Option.Option<unknown>
  readonly type: ChildSpec.ChildType
  readonly restarts: number
}

/**
 * `countChildren`'s result, counted as Elixir's `DynamicSupervisor.count_children`:
 * `specs` includes children being restarted, `active` does not.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildCounts {
  readonly specs: number
  readonly active: number
  readonly supervisors: number
  readonly workers: number
}

/**
 * What `DynamicSupervisor.start`, `layer`, `spawn` and `childSpec` take: the restart policy,
 * `maxChildren`, `extraArguments` and the supervisor's name.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<Extra> {
  /** The supervisor's name in events, logs, metrics and spans (default `"dynamic_supervisor"`; not registered). */
  readonly name?: string | undefined
  /** Default {@link Restart.defaultPolicy}: 3 restarts in 5 seconds. */
  readonly restartPolicy?: Restart.Policy | undefined
  /** Default unlimited. Children being restarted count. */
  readonly maxChildren?: number | undefined
  /** Given to every child's start function, at start and at every restart. */
  readonly extraArguments?: Extra | undefined
}

/**
 * What `startChild` can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartChildError<E> =
  | SupervisorError.InvalidChildSpec
  | SupervisorError.MaxChildren
  | SupervisorError.StartFailed
  | Extract<E, Process.Ignore>

/**
 * A dynamic supervisor as a process, for {@link start} or as a child of a `Supervisor`
 * (see {@link childSpec}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const spawn = <Extra = void>(
  options: Options<Extra> = {}
): Process.Spawn<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions> =>
  internalSpawn.spawn(
    options,
    (hub, policy, maxChildren, self) =>
      new internal.DynamicSupervisorImpl(hub, policy, maxChildren, options.extraArguments as Extra, self)
  )

/**
 * Starts a dynamic supervisor (with no children) in the current scope; closing the scope
 * stops all its children at once, each within its shutdown deadline.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = <Extra = void>(
  options: Options<Extra> = {}
): Effect.Effect<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions, Scope.Scope> =>
  internalSpawn.startScoped(spawn(options))

/**
 * A layer that starts a dynamic supervisor when built and stops it when released.
 *
 * **Example**
 *
 * ```ts
 * import { Context } from "effect"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * class Rooms extends Context.Tag("Rooms")<Rooms, DynamicSupervisor.DynamicSupervisor>() {}
 *
 * const RoomsLive = DynamicSupervisor.layer(Rooms)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <I, Extra = void>(
  tag: Context.Tag<I, DynamicSupervisor<Extra>>,
  options: Options<Extra> = {}
): Layer.Layer<I, SupervisorError.InvalidOptions> => Layer.scoped(tag, start(options))

/**
 * A child spec for a dynamic supervisor under a `Supervisor` (`type: "supervisor"`,
 * `shutdown: "infinity"` unless given), as in the lesson's chat application.
 *
 * **Example**
 *
 * ```ts
 * import { Supervisor } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const app = Supervisor.start({
 *   children: [DynamicSupervisor.childSpec({ id: "rooms" })]
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const childSpec = <Extra = void>(
  options: Options<Extra> & Omit<ChildSpec.Options, "type">
): ChildSpec.ChildSpec<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions> => {
  // the child-spec fields are the spec's, the rest are the supervisor's (checked when it starts)
  const {
    backoff: _backoff,
    id: _id,
    resetBackoffAfter: _resetBackoffAfter,
    restart: _restart,
    shutdown: _shutdown,
    significant: _significant,
    startTimeout: _startTimeout,
    ...supervisorOptions
  } = options
  return Engine.supervisorChildSpec(options, spawn({ ...supervisorOptions, name: options.name ?? options.id }))
}

const impl = <Extra>(self: DynamicSupervisor<Extra>) => self as unknown as internal.DynamicSupervisorImpl<Extra>

/**
 * Starts a child. `spec` is a child spec, or a function of the supervisor's
 * `extraArguments` returning one. The child's `id` is only used in errors and events
 * (ids need not be unique). A start that declines (`Process.ignore`) adds nothing and
 * fails with the `Ignore` marker; a full supervisor fails with `MaxChildren`.
 *
 * @since 0.1.0
 * @category operations
 */
export const startChild: {
  <Extra, A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R> | ((extraArguments: Extra) => ChildSpec.ChildSpec<A, E, R>)
  ): (
    self: DynamicSupervisor<Extra>
  ) => Effect.Effect<Child<A>, StartChildError<E> | SupervisorError.SupervisorStopped, R>
  <Extra, A, E, R>(
    self: DynamicSupervisor<Extra>,
    spec: ChildSpec.ChildSpec<A, E, R> | ((extraArguments: Extra) => ChildSpec.ChildSpec<A, E, R>)
  ): Effect.Effect<Child<A>, StartChildError<E> | SupervisorError.SupervisorStopped, R>
} = dual(2, <Extra, A, E, R>(
  self: DynamicSupervisor<Extra>,
  spec: ChildSpec.ChildSpec<A, E, R> | ((extraArguments: Extra) => ChildSpec.ChildSpec<A, E, R>)
) =>
  Effect.flatMap(
    Effect.context<R>(),
    (context) => impl(self).startChild(typeof spec === "function" ? spec(self.extraArguments) : spec, context)
  ))

/**
 * Stops a child (by its `Child` handle, which also works while it is being restarted,
 * or by its current process) within its shutdown deadline and forgets it. `NotFound` for
 * an unknown or already-ended child.
 *
 * @since 0.1.0
 * @category operations
 */
export const terminateChild: {
  (child: Child<unknown> | Process.ProcessRef): <Extra>(
    self: DynamicSupervisor<Extra>
  ) => Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  <Extra>(
    self: DynamicSupervisor<Extra>,
    child: Child<unknown> | Process.ProcessRef
  ): Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
} = dual(
  2,
  <Extra>(self: DynamicSupervisor<Extra>, child: Child<unknown> | Process.ProcessRef) =>
    impl(self).terminateChild(child)
)

/**
 * The children, oldest first, with their status.
 *
 * @since 0.1.0
 * @category operations
 */
export const whichChildren = <Extra>(
  self: DynamicSupervisor<Extra>
): Effect.Effect<ReadonlyArray<ChildInfo>, SupervisorError.SupervisorStopped> => impl(self).whichChildren

/**
 * Counts the children (`specs` includes children being restarted; `active` does not).
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren = <Extra>(
  self: DynamicSupervisor<Extra>
): Effect.Effect<ChildCounts, SupervisorError.SupervisorStopped> => impl(self).countChildren

/**
 * What {@link reconfigure} may change of a running dynamic supervisor.
 *
 * @since 0.3.0
 * @category models
 */
export interface ReconfigureOptions<Extra> {
  /** A lowered limit refuses new starts (`MaxChildren`) and leaves running children alone. */
  readonly maxChildren?: number | undefined
  /** Started afresh: earlier restarts no longer count. */
  readonly restartPolicy?: Restart.Policy | undefined
  /** Given to the spec functions of children started from now on. */
  readonly extraArguments?: Extra | undefined
}

/**
 * Changes a running dynamic supervisor's `maxChildren`, restart policy and extra
 * arguments (what Elixir's `DynamicSupervisor` lets `code_change` change by running
 * `init/1` again), all or nothing: an unknown option or an invalid value is refused with
 * `InvalidOptions` and changes nothing. A lowered `maxChildren` refuses new starts until
 * the children are fewer, and stops none.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Restart } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const sessions = yield* DynamicSupervisor.start({ maxChildren: 1000 })
 *   yield* DynamicSupervisor.reconfigure(sessions, {
 *     maxChildren: 500,
 *     restartPolicy: Restart.intensity(10, "1 minute")
 *   })
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const reconfigure: {
  <Extra>(
    options: ReconfigureOptions<Extra>
  ): (
    self: DynamicSupervisor<Extra>
  ) => Effect.Effect<void, SupervisorError.InvalidOptions | SupervisorError.SupervisorStopped>
  <Extra>(
    self: DynamicSupervisor<Extra>,
    options: ReconfigureOptions<NoInfer<Extra>>
  ): Effect.Effect<void, SupervisorError.InvalidOptions | SupervisorError.SupervisorStopped>
} = dual(
  2,
  <Extra>(self: DynamicSupervisor<Extra>, options: ReconfigureOptions<Extra>) => impl(self).reconfigure(options)
)

/**
 * The complete spec a child was started with (every default filled in), by its `Child`
 * handle (then typed with the child's value type) or by its running process; `NotFound`
 * for an unknown or already-ended child. A temporary child's spec has no start: the
 * supervisor lets a temporary child's start go once it runs (starting that spec fails).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const sessions = yield* DynamicSupervisor.start()
 *   const session = yield* DynamicSupervisor.startChild(
 *     sessions,
 *     ChildSpec.make({ id: "session", start: Effect.never, restart: "transient" })
 *   )
 *   const spec = yield* DynamicSupervisor.getChildSpec(sessions, session)
 *   return spec.restart // "transient"
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const getChildSpec: {
  <A>(child: Child<A>): <Extra>(
    self: DynamicSupervisor<Extra>
  ) => Effect.Effect<
    ChildSpec.ChildSpec<A, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped
  >
  (child: Process.ProcessRef): <Extra>(
    self: DynamicSupervisor<Extra>
  ) => Effect.Effect<
    ChildSpec.ChildSpec<unknown, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped
  >
  <Extra, A>(
    self: DynamicSupervisor<Extra>,
    child: Child<A>
  ): Effect.Effect<
    ChildSpec.ChildSpec<A, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped
  >
  <Extra>(
    self: DynamicSupervisor<Extra>,
    child: Process.ProcessRef
  ): Effect.Effect<
    ChildSpec.ChildSpec<unknown, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped
  >
} = dual(
  2,
  <Extra>(self: DynamicSupervisor<Extra>, child: Child<unknown> | Process.ProcessRef) => impl(self).getChildSpec(child)
)

/**
 * The live tree under the supervisor, for `SupervisionTree.render`.
 *
 * @since 0.1.0
 * @category observability
 */
export const tree = <Extra>(self: DynamicSupervisor<Extra>): Effect.Effect<SupervisionTree.Tree> => impl(self).tree

/**
 * The supervisor's events as a `Stream`: only its own, or with `subtree: true` also those
 * of the supervisors under it. Events published before the stream was subscribed are not
 * replayed.
 *
 * @since 0.1.0
 * @category observability
 */
export const events = <Extra>(
  self: DynamicSupervisor<Extra>,
  options?: { readonly subtree?: boolean | undefined }
): Stream.Stream<SupervisorEvent.SupervisorEvent> => impl(self).hub.events(options?.subtree === true)

/**
 * Waits until the dynamic supervisor stops, as `Supervisor.join` does: fails with
 * `SupervisorError.GaveUp` when its restart policy was done, dies when it crashed or was
 * killed, succeeds with its exit reason otherwise.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const rooms = yield* DynamicSupervisor.start({ name: "rooms" })
 *   yield* Effect.fork(DynamicSupervisor.join(rooms))
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const join = <Extra>(
  self: DynamicSupervisor<Extra>
): Effect.Effect<ExitReason.ExitReason, SupervisorError.GaveUp> => impl(self).join

/**
 * Processes that missed their shutdown deadline and have not ended yet.
 *
 * @since 0.1.0
 * @category operations
 */
export const unstopped = <Extra>(self: DynamicSupervisor<Extra>): Effect.Effect<ReadonlyArray<Process.ProcessRef>> =>
  Effect.sync(() => Array.from(impl(self).unstopped))

/**
 * `true` for a child handle (what `DynamicSupervisor.startChild` returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isChild = (u: unknown): u is Child<unknown> => internal.isChild(u)

/** @internal */
export const defaultPolicy = Restart.defaultPolicy
