/**
 * A dynamic supervisor's child: its record in the supervisor, which is also the handle
 * `startChild` returns.
 */
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import type * as Process from "@effect-otp/supervisor/Process"
import { pipeArguments } from "effect/Pipeable"
import type { Slotted } from "./childList.js"
import { type Child, ChildTypeId } from "./models.js"

/**
 * One child, and the handle its starter gets.
 *
 * @internal
 */
export class DynamicChild extends Engine.ChildRecord implements Child<unknown>, Slotted {
  // on the prototype: a child holds no more than its own fields
  get [ChildTypeId](): ChildTypeId {
    return ChildTypeId
  }
  /** Its slot among its supervisor's children. */
  slot = -1
  constructor(
    readonly key: number,
    spec: ChildSpec.ChildSpec<unknown, unknown, never>,
    origin: Engine.Origin,
    readonly value: unknown,
    readonly initial: Process.ProcessRef
  ) {
    super(spec, origin, Engine.noDefaults)
  }
  pipe() {
    return pipeArguments(this, arguments)
  }
  toJSON() {
    return { _id: "DynamicSupervisor.Child", key: this.key, status: this.status }
  }
}

/**
 * `true` for a child handle (what `DynamicSupervisor.startChild` returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isChild = (u: unknown): u is Child<unknown> => u instanceof DynamicChild
