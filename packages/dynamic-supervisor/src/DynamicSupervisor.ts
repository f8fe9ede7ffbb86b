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
import * as Restart from "@effect-otp/supervisor/Restart"

export { isChild } from "./internal/dynamicSupervisor/child.js"
export {
  countChildren,
  getChildSpec,
  startChild,
  terminateChild,
  whichChildren
} from "./internal/dynamicSupervisor/children.js"
export { childSpec, layer, spawn, start, stop } from "./internal/dynamicSupervisor/lifecycle.js"
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
export { events, join, tree, unstopped } from "./internal/dynamicSupervisor/observability.js"
export { reconfigure } from "./internal/dynamicSupervisor/reconfigure.js"
export type { ReconfigureOptions } from "./internal/dynamicSupervisor/reconfigure.js"
export type { ExtraOf, Operation, Target, TargetContext, TargetError } from "./internal/dynamicSupervisor/target.js"

/** @internal */
export const defaultPolicy = Restart.defaultPolicy
