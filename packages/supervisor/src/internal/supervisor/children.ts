/**
 * OTP's runtime API on a static supervisor's children: start, terminate, restart and
 * delete a child, list them, count them, find one and read its spec.
 */
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as ChildSpec from "../../ChildSpec.js"
import type * as Process from "../../Process.js"
import type * as SupervisorError from "../../SupervisorError.js"
import type { ChildCounts, ChildInfo, Supervisor } from "./models.js"
import type * as internal from "./supervisorImpl.js"
import type { ChildOperation, Operation, Target, TargetContext, TargetError } from "./target.js"
import { impl, withTarget } from "./target.js"

/**
 * Why {@link startChild} failed: a bad spec, an id already there, or a failed start (a
 * start that declines fails with `Process.Ignore`, when the child's error type has it).
 *
 * @since 0.3.0
 * @category errors
 */
export type StartChildError<E> = internal.StartChildError<E> | SupervisorError.SupervisorStopped

/**
 * Why {@link restartChild} failed.
 *
 * @since 0.3.0
 * @category errors
 */
export type RestartChildError = internal.RestartChildError | SupervisorError.SupervisorStopped

/**
 * Why {@link deleteChild} failed.
 *
 * @since 0.3.0
 * @category errors
 */
export type DeleteChildError = internal.DeleteChildError | SupervisorError.SupervisorStopped

/**
 * Adds a child and starts it; it is appended to the start order (last to start, first
 * to stop). Returns what the child's start returned.
 *
 * @since 0.1.0
 * @category operations
 */
export const startChild: {
  <A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>
  ): <S extends Target>(self: S) => Effect.Effect<A, StartChildError<E> | TargetError<S>, R | TargetContext<S>>
  <S extends Target, A, E, R>(
    self: S,
    spec: ChildSpec.ChildSpec<A, E, R>
  ): Effect.Effect<A, StartChildError<E> | TargetError<S>, R | TargetContext<S>>
} = dual(
  2,
  <A, E, R>(self: Target, spec: ChildSpec.ChildSpec<A, E, R>) =>
    withTarget(
      self,
      (supervisor) => Effect.flatMap(Effect.context<R>(), (context) => supervisor.startChild(spec, context))
    )
)

/**
 * Stops a child within its shutdown deadline and keeps its spec (a `temporary` child's
 * spec is removed). Idempotent; cancels a pending restart. Never cascades to siblings.
 *
 * @since 0.1.0
 * @category operations
 */
export const terminateChild: ChildOperation<
  string,
  void,
  SupervisorError.NotFound | SupervisorError.SupervisorStopped
> = dual(2, (self: Target, id: string) => withTarget(self, (supervisor) => supervisor.terminateChild(id)))

/**
 * Starts a stopped child again from its spec. Does not count against the restart
 * policy. Returns what the child's start returned: typed when the child is named by the
 * spec it was started from (the spec's value type), `unknown` when named by its id. A
 * spec names the child with its id only if that child was started from the spec's
 * `start` (otherwise `NotFound`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, GenServer, Supervisor } from "@effect-otp/supervisor"
 *
 * const Counter = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })
 * const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({ children: [counter] })
 *   yield* Supervisor.terminateChild(supervisor, "counter")
 *   // typed by the spec: a GenServer ref of Counter
 *   const ref = yield* Supervisor.restartChild(supervisor, counter)
 *   // by id: unknown
 *   yield* Supervisor.terminateChild(supervisor, "counter")
 *   const value: unknown = yield* Supervisor.restartChild(supervisor, "counter")
 *   return [ref, value]
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const restartChild: {
  <A, E, R>(spec: ChildSpec.ChildSpec<A, E, R>): <S extends Target>(
    self: S
  ) => Effect.Effect<A, RestartChildError | TargetError<S>, TargetContext<S>>
  (id: string): <S extends Target>(
    self: S
  ) => Effect.Effect<unknown, RestartChildError | TargetError<S>, TargetContext<S>>
  <S extends Target, A, E, R>(
    self: S,
    spec: ChildSpec.ChildSpec<A, E, R>
  ): Effect.Effect<A, RestartChildError | TargetError<S>, TargetContext<S>>
  <S extends Target>(self: S, id: string): Effect.Effect<unknown, RestartChildError | TargetError<S>, TargetContext<S>>
} = dual(
  2,
  (self: Target, key: string | ChildSpec.ChildSpec<unknown, unknown, unknown>) =>
    withTarget(self, (supervisor) => supervisor.restartChild(key))
)

/**
 * Forgets a stopped child's spec.
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteChild: ChildOperation<string, void, DeleteChildError> = dual(
  2,
  (self: Target, id: string) => withTarget(self, (supervisor) => supervisor.deleteChild(id))
)

/**
 * The children, most recently started first (OTP's order), with their status.
 *
 * @since 0.1.0
 * @category operations
 */
export const whichChildren: Operation<ReadonlyArray<ChildInfo>, SupervisorError.SupervisorStopped> = (self) =>
  withTarget(self, (supervisor) => supervisor.whichChildren)

/**
 * Counts the children as OTP's `count_children`.
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren: Operation<ChildCounts, SupervisorError.SupervisorStopped> = (self) =>
  withTarget(self, (supervisor) => supervisor.countChildren)

/**
 * One child, by id, by its running process, or by the spec it was started from (then its
 * `value` has the spec's value type), as OTP 28's `which_child`; `NotFound` if there is
 * none (a spec names the child with its id only if that child was started from the
 * spec's `start`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Option } from "effect"
 * import { ChildSpec, GenServer, Supervisor } from "@effect-otp/supervisor"
 *
 * const Counter = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })
 * const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({ children: [counter] })
 *   const info = yield* Supervisor.whichChild(supervisor, "counter") // ChildInfo<unknown>
 *   const typed = yield* Supervisor.whichChild(supervisor, counter) // ChildInfo<GenServerRef<...>>
 *   return [info.status, Option.getOrUndefined(typed.value)]
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const whichChild: {
  <A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>
  ): (self: Supervisor) => Effect.Effect<ChildInfo<A>, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  (
    id: string | Process.ProcessRef
  ): (self: Supervisor) => Effect.Effect<ChildInfo, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  <A, E, R>(
    self: Supervisor,
    spec: ChildSpec.ChildSpec<A, E, R>
  ): Effect.Effect<ChildInfo<A>, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  (
    self: Supervisor,
    id: string | Process.ProcessRef
  ): Effect.Effect<ChildInfo, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
} = dual(
  2,
  (self: Supervisor, key: string | Process.ProcessRef | ChildSpec.ChildSpec<unknown, unknown, unknown>) =>
    impl(self).whichChild(key)
)

/**
 * A child's complete spec, every default filled in, by id or by its running process (a
 * running temporary child's spec has no start: the supervisor lets its start go once it
 * runs, as OTP keeps no start arguments for temporary children; starting it fails).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 *   })
 *   const spec = yield* Supervisor.getChildSpec(supervisor, "worker")
 *   return spec.shutdown // Duration(5s)
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const getChildSpec: ChildOperation<
  string | Process.ProcessRef,
  ChildSpec.ChildSpec<unknown, unknown, unknown>,
  SupervisorError.NotFound | SupervisorError.SupervisorStopped
> = dual(
  2,
  (self: Target, id: string | Process.ProcessRef) => withTarget(self, (supervisor) => supervisor.getChildSpec(id))
)
