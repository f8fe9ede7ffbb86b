/**
 * Watching a dynamic supervisor: its live tree, its events, its end, and the processes
 * that missed their shutdown deadline.
 */
import type * as ExitReason from "@effect-otp/supervisor/ExitReason"
import type * as Process from "@effect-otp/supervisor/Process"
import type * as SupervisionTree from "@effect-otp/supervisor/SupervisionTree"
import type * as Supervisor from "@effect-otp/supervisor/Supervisor"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { type Operation, type Target, withTarget } from "./target.js"

/**
 * The live tree under the supervisor, for `SupervisionTree.render`.
 *
 * @since 0.1.0
 * @category observability
 */
export const tree: Operation<SupervisionTree.Tree> = (self) => withTarget(self, (supervisor) => supervisor.tree)

/**
 * The supervisor's events as a `Stream`: only its own, or with `subtree: true` also those
 * of the supervisors under it. Events published before the stream was subscribed are not
 * replayed.
 *
 * @since 0.1.0
 * @category observability
 */
export const events: Supervisor.EventsOperation<Target> = (self, options) =>
  Stream.unwrap(withTarget(self, (supervisor) => Effect.succeed(supervisor.events(options))))

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
export const join: Operation<ExitReason.ExitReason, SupervisorError.GaveUp> = (self) =>
  withTarget(self, (supervisor) => supervisor.join)

/**
 * Processes that missed their shutdown deadline and have not ended yet.
 *
 * @since 0.1.0
 * @category operations
 */
export const unstopped: Operation<ReadonlyArray<Process.ProcessRef>> = (self) =>
  withTarget(self, (supervisor) => supervisor.listUnstopped)
