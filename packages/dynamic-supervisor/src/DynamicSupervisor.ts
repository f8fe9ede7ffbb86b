/**
 * A supervisor whose children are started at run time (Elixir's `DynamicSupervisor`):
 * user sessions, game rooms, uploads. Each child restarts alone (`one_for_one`) with the
 * start it was given; all children stop at once when the supervisor stops. Every
 * operation takes the supervisor or the `DynamicSupervisor.Name` it is registered under.
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
import * as Process from "@effect-otp/supervisor/Process"
import * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisionTree from "@effect-otp/supervisor/SupervisionTree"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as SupervisorEvent from "@effect-otp/supervisor/SupervisorEvent"
import type * as Tag from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { type Child, isDynamicSupervisor } from "./internal/dynamicSupervisor/models.js"
import type {
  ChildCounts,
  ChildInfo,
  DynamicSupervisor,
  Options,
  StartChildError
} from "./internal/dynamicSupervisor/models.js"
import type { Context, Name, NameError } from "./internal/dynamicSupervisor/name.js"
import * as internalSpawn from "./internal/dynamicSupervisor/spawn.js"
import { DynamicSupervisorImpl } from "./internal/dynamicSupervisor/supervisor.js"
import { impl, withTarget } from "./internal/dynamicSupervisor/target.js"
import type { ExtraOf, Target, TargetContext, TargetError } from "./internal/dynamicSupervisor/target.js"

export { isChild } from "./internal/dynamicSupervisor/child.js"
export { ChildTypeId, isDynamicSupervisor, TypeId } from "./internal/dynamicSupervisor/models.js"
export type {
  Child,
  ChildCounts,
  ChildInfo,
  DynamicSupervisor,
  Options,
  StartChildError
} from "./internal/dynamicSupervisor/models.js"
export { name, NameTypeId } from "./internal/dynamicSupervisor/name.js"
export type { Context, Name, NameError } from "./internal/dynamicSupervisor/name.js"
export type { ExtraOf, Target, TargetContext, TargetError } from "./internal/dynamicSupervisor/target.js"
/**
 * A dynamic supervisor as a process, for {@link start} or as a child of a `Supervisor`
 * (see {@link childSpec}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const spawn = <Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  options: Options<Extra, N> = {}
): Process.Spawn<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>> =>
  internalSpawn.spawn(
    options,
    (hub, policy, maxChildren, self) =>
      new DynamicSupervisorImpl(hub, policy, maxChildren, options.extraArguments as Extra, self)
  ) as unknown as Process.Spawn<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>>

/**
 * Starts a dynamic supervisor (with no children) in the current scope; closing the scope
 * stops all its children at once, each within its shutdown deadline.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = <Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  options: Options<Extra, N> = {}
): Effect.Effect<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N> | Scope.Scope> =>
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
export const layer = <I, Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  tag: Tag.Tag<I, DynamicSupervisor<Extra>>,
  options: Options<Extra, N> = {}
): Layer.Layer<I, SupervisorError.InvalidOptions | NameError<N>, Context<N>> =>
  Layer.scoped(tag, start(options)) as Layer.Layer<I, SupervisorError.InvalidOptions | NameError<N>, Context<N>>

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
export const childSpec = <Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  options: Options<Extra, N> & Omit<ChildSpec.Options, "type">
): ChildSpec.ChildSpec<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>> => {
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
  return Engine.supervisorChildSpec(
    options,
    spawn<Extra, string | Name<Extra>>({ ...supervisorOptions, name: options.name ?? options.id })
  ) as ChildSpec.ChildSpec<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>>
}

/**
 * Stops the dynamic supervisor, as its scope's end would: all its children are stopped at
 * once, each within its shutdown deadline (a child past its deadline counts as `Killed`
 * and is listed by {@link unstopped}), then the supervisor exits with `shutdown`; `stop`
 * returns once it has. Stopping a stopped supervisor does nothing. A supervisor under
 * another one is restarted by its parent like any child that exited (unless it is
 * `temporary`, or `transient` and stopped normally): to stop it for good, use the
 * parent's `terminateChild`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Registry } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const Uploads = DynamicSupervisor.name("Uploads")
 *
 * const program = Effect.gen(function*() {
 *   yield* DynamicSupervisor.start({ name: Uploads })
 *   yield* DynamicSupervisor.startChild(Uploads, ChildSpec.make({ id: "upload", start: Effect.never }))
 *   yield* DynamicSupervisor.stop(Uploads) // the upload is stopped, then the supervisor
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const stop = <S extends Target>(self: S): Effect.Effect<void, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => Effect.asVoid(Process.stop(supervisor.process)))

type AnySpec = ChildSpec.ChildSpec<unknown, unknown, unknown>
type SpecValue<Spec> = Spec extends ChildSpec.ChildSpec<infer A, infer _E, infer _R> ? A : never
type SpecError<Spec> = Spec extends ChildSpec.ChildSpec<infer _A, infer E, infer _R> ? E : never
type SpecContext<Spec> = Spec extends ChildSpec.ChildSpec<infer _A, infer _E, infer R> ? R : never

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
  <Spec extends AnySpec, Extra>(
    spec: Spec | ((extraArguments: Extra) => Spec)
  ): <S extends Target<Extra>>(
    self: S
  ) => Effect.Effect<
    Child<SpecValue<Spec>>,
    StartChildError<SpecError<Spec>> | SupervisorError.SupervisorStopped | TargetError<S>,
    SpecContext<Spec> | TargetContext<S>
  >
  <S extends Target, Spec extends AnySpec>(
    self: S,
    spec: Spec | ((extraArguments: ExtraOf<S>) => Spec)
  ): Effect.Effect<
    Child<SpecValue<Spec>>,
    StartChildError<SpecError<Spec>> | SupervisorError.SupervisorStopped | TargetError<S>,
    SpecContext<Spec> | TargetContext<S>
  >
} = dual(2, <A, E, R>(
  self: Target,
  spec: ChildSpec.ChildSpec<A, E, R> | ((extraArguments: unknown) => ChildSpec.ChildSpec<A, E, R>)
) =>
  withTarget(self, (supervisor) =>
    Effect.flatMap(
      Effect.context<R>(),
      (context) => supervisor.startChild(typeof spec === "function" ? spec(supervisor.extraArguments) : spec, context)
    )))

/**
 * Stops a child (by its `Child` handle, which also works while it is being restarted,
 * or by its current process) within its shutdown deadline and forgets it. `NotFound` for
 * an unknown or already-ended child.
 *
 * @since 0.1.0
 * @category operations
 */
export const terminateChild: {
  (child: Child<unknown> | Process.ProcessRef): <S extends Target>(
    self: S
  ) => Effect.Effect<
    void,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped | TargetError<S>,
    TargetContext<S>
  >
  <S extends Target>(
    self: S,
    child: Child<unknown> | Process.ProcessRef
  ): Effect.Effect<
    void,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped | TargetError<S>,
    TargetContext<S>
  >
} = dual(
  2,
  (self: Target, child: Child<unknown> | Process.ProcessRef) =>
    withTarget(self, (supervisor) => supervisor.terminateChild(child))
)

/**
 * The children, oldest first, with their status.
 *
 * @since 0.1.0
 * @category operations
 */
export const whichChildren = <S extends Target>(
  self: S
): Effect.Effect<ReadonlyArray<ChildInfo>, SupervisorError.SupervisorStopped | TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.whichChildren)

/**
 * Counts the children (`specs` includes children being restarted; `active` does not).
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren = <S extends Target>(
  self: S
): Effect.Effect<ChildCounts, SupervisorError.SupervisorStopped | TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.countChildren)

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
export const tree = <S extends Target>(
  self: S
): Effect.Effect<SupervisionTree.Tree, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.tree)

/**
 * The supervisor's events as a `Stream`: only its own, or with `subtree: true` also those
 * of the supervisors under it. Events published before the stream was subscribed are not
 * replayed.
 *
 * @since 0.1.0
 * @category observability
 */
export const events = <S extends Target>(
  self: S,
  options?: { readonly subtree?: boolean | undefined }
): Stream.Stream<SupervisorEvent.SupervisorEvent, TargetError<S>, TargetContext<S>> =>
  isDynamicSupervisor(self)
    ? impl(self).hub.events(options?.subtree === true)
    : Stream.unwrap(withTarget(self, (supervisor) => Effect.succeed(supervisor.hub.events(options?.subtree === true))))

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
export const join = <S extends Target>(
  self: S
): Effect.Effect<ExitReason.ExitReason, SupervisorError.GaveUp | TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.join)

/**
 * Processes that missed their shutdown deadline and have not ended yet.
 *
 * @since 0.1.0
 * @category operations
 */
export const unstopped = <S extends Target>(
  self: S
): Effect.Effect<ReadonlyArray<Process.ProcessRef>, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => Effect.sync(() => Array.from(supervisor.unstopped)))

/** @internal */
export const defaultPolicy = Restart.defaultPolicy
