/**
 * Supervisors: start children in order, watch them, restart them per strategy, restart
 * type and restart policy, and stop them in reverse order when the supervisor's scope
 * closes (or on `Supervisor.stop`). Every operation takes the supervisor or the
 * `Supervisor.Name` it is registered under; a supervisor needs what all its children need.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     strategy: "one_for_one",
 *     children: [
 *       ChildSpec.make({ id: "pinger", start: Effect.never })
 *     ]
 *   })
 *   return yield* Supervisor.countChildren(supervisor)
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.1.0
 */
export { childSpec, join, layer, run, spawn, spawnWith, start, stop } from "./internal/supervisor/lifecycle.js"
export type { ChildSpecOptions } from "./internal/supervisor/lifecycle.js"

export {
  countChildren,
  deleteChild,
  getChildSpec,
  restartChild,
  startChild,
  terminateChild,
  whichChild,
  whichChildren
} from "./internal/supervisor/children.js"
export type { DeleteChildError, RestartChildError, StartChildError } from "./internal/supervisor/children.js"

export { reconfigure } from "./internal/supervisor/reconfigure.js"
export type { ReconfigureError, ReconfigureOptions } from "./internal/supervisor/reconfigure.js"

export { events, tree, unstopped } from "./internal/supervisor/observability.js"

export { isSupervisor, TypeId } from "./internal/supervisor/models.js"
export type {
  AutoShutdown,
  ChildCounts,
  ChildInfo,
  ChildStatus,
  Context,
  NameError,
  Options,
  StartError,
  StartOptions,
  Strategy,
  Supervisor
} from "./internal/supervisor/models.js"

export { name, NameTypeId } from "./internal/supervisor/target.js"
export type {
  ChildOperation,
  EventsOperation,
  Name,
  Operation,
  Target,
  TargetContext,
  TargetError
} from "./internal/supervisor/target.js"
