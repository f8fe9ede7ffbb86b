/**
 * Changing a running dynamic supervisor's `maxChildren`, restart policy and extra
 * arguments.
 */
import type * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type { DynamicSupervisor } from "./models.js"
import { impl } from "./target.js"

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
