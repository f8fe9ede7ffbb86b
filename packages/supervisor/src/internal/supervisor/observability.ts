/**
 * What a static supervisor shows of itself: its live tree, its events, and the processes
 * that missed their shutdown deadline.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Process from "../../Process.js"
import type * as SupervisionTree from "../../SupervisionTree.js"
import { type EventsOperation, type Operation, withTarget } from "./target.js"

/**
 * The live tree under the supervisor: every child with its type, status, restart count
 * and incarnation age, and the trees of child supervisors (static or dynamic), for
 * `SupervisionTree.render`.
 *
 * @since 0.1.0
 * @category observability
 */
export const tree: Operation<SupervisionTree.Tree> = (self) => withTarget(self, (supervisor) => supervisor.tree)

/**
 * The supervisor's events as a `Stream`: only its own, or with `subtree: true` also those
 * of the supervisors under it (at any depth). The stream ends when its scope closes;
 * events published before it was subscribed are not replayed.
 *
 * @since 0.1.0
 * @category observability
 */
export const events: EventsOperation = (self, options) =>
  Stream.unwrap(withTarget(self, (supervisor) => Effect.succeed(supervisor.events(options))))

/**
 * Processes that missed their shutdown deadline and have not ended yet (they count as
 * `Killed`; Effect cannot end a fiber that does not yield to interruption).
 *
 * @since 0.1.0
 * @category operations
 */
export const unstopped: Operation<ReadonlyArray<Process.ProcessRef>> = (self) =>
  withTarget(self, (supervisor) => supervisor.listUnstopped)
