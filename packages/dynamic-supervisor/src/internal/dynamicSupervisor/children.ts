/**
 * What a dynamic supervisor does with its children: starts one, stops one, lists and
 * counts them, and gives the spec one was started with.
 */
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import type * as Process from "@effect-otp/supervisor/Process"
import type * as Supervisor from "@effect-otp/supervisor/Supervisor"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type { Child, ChildCounts, ChildInfo, DynamicSupervisor, StartChildError } from "./models.js"
import {
  type ExtraOf,
  impl,
  type Operation,
  type Target,
  type TargetContext,
  type TargetError,
  withTarget
} from "./target.js"

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
export const terminateChild: Supervisor.ChildOperation<
  Child<unknown> | Process.ProcessRef,
  void,
  SupervisorError.NotFound | SupervisorError.SupervisorStopped,
  Target
> = dual(
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
export const whichChildren: Operation<ReadonlyArray<ChildInfo>, SupervisorError.SupervisorStopped> = (self) =>
  withTarget(self, (supervisor) => supervisor.whichChildren)

/**
 * Counts the children (`specs` includes children being restarted; `active` does not).
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren: Operation<ChildCounts, SupervisorError.SupervisorStopped> = (self) =>
  withTarget(self, (supervisor) => supervisor.countChildren)

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
