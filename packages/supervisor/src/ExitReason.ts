/**
 * Why a process ended, classified as OTP classifies exit reasons.
 *
 * Every decision that depends on how a child ended (restart types, auto-shutdown,
 * logging) reads this one classification:
 *
 * | Effect exit | ExitReason |
 * |---|---|
 * | success | `Normal` |
 * | interrupted by its supervisor (shutdown, cascade, `terminateChild`, `Process.stop`) | `Shutdown` |
 * | failed with {@link ShutdownRequest} (a process asking to stop on purpose) | `Shutdown` with its reason |
 * | `Process.exit(process, reason)`; a GenServer handler failing with `GenServer.stop(reason)` | that `reason` |
 * | `Process.kill`, an interruption from outside the library, a missed shutdown deadline | `Killed` |
 * | any other failure or defect | `Abnormal`, with its full `Cause` |
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Option from "effect/Option"

/**
 * The process completed successfully (OTP `normal`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Normal {
  readonly _tag: "Normal"
}

/**
 * The process was stopped in an orderly way (OTP `shutdown`, or `{shutdown, reason}` when
 * a reason is present).
 *
 * @since 0.1.0
 * @category models
 */
export interface Shutdown {
  readonly _tag: "Shutdown"
  readonly reason: Option.Option<unknown>
}

/**
 * The process was killed (OTP `killed`): `Process.kill`, an interruption from outside
 * the library, or a shutdown deadline that passed. Abnormal.
 *
 * @since 0.1.0
 * @category models
 */
export interface Killed {
  readonly _tag: "Killed"
}

/**
 * The process failed or died. Abnormal; the full `Cause` is kept.
 *
 * @since 0.1.0
 * @category models
 */
export interface Abnormal {
  readonly _tag: "Abnormal"
  readonly cause: Cause.Cause<unknown>
}

/**
 * Why a process ended.
 *
 * **Example**
 *
 * ```ts
 * import { ExitReason } from "@effect-otp/supervisor"
 *
 * const describe = (reason: ExitReason.ExitReason): string =>
 *   ExitReason.$match(reason, {
 *     Normal: () => "finished",
 *     Shutdown: () => "stopped",
 *     Killed: () => "killed",
 *     Abnormal: ({ cause }) => `crashed: ${cause}`
 *   })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ExitReason = Normal | Shutdown | Killed | Abnormal

const taggedEnum = Data.taggedEnum<ExitReason>()

/**
 * Pattern matching over the four reasons.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export const $match = taggedEnum.$match

/**
 * Refines an `ExitReason` by its tag.
 *
 * @since 0.1.0
 * @category refinements
 */
export const $is = taggedEnum.$is

/**
 * The `normal` exit reason.
 *
 * @since 0.1.0
 * @category constructors
 */
export const normal: ExitReason = taggedEnum.Normal()

/**
 * The plain `shutdown` exit reason (no reason attached).
 *
 * @since 0.1.0
 * @category constructors
 */
export const shutdown: ExitReason = taggedEnum.Shutdown({ reason: Option.none() })

/**
 * A `{shutdown, reason}` exit reason.
 *
 * @since 0.1.0
 * @category constructors
 */
export const shutdownWith = (reason: unknown): ExitReason => taggedEnum.Shutdown({ reason: Option.some(reason) })

/**
 * The `killed` exit reason.
 *
 * @since 0.1.0
 * @category constructors
 */
export const killed: ExitReason = taggedEnum.Killed()

/**
 * An abnormal exit with its cause.
 *
 * @since 0.1.0
 * @category constructors
 */
export const abnormal = (cause: Cause.Cause<unknown>): ExitReason => taggedEnum.Abnormal({ cause })

/**
 * `true` for `Normal` and `Shutdown`: the reasons after which a `transient` child is not
 * restarted and no crash is logged.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isNormal = (reason: ExitReason): boolean => reason._tag === "Normal" || reason._tag === "Shutdown"

/**
 * `true` for `Killed` and `Abnormal`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAbnormal = (reason: ExitReason): boolean => !isNormal(reason)

/**
 * The error a process fails with to stop on purpose: its exit reason is `Shutdown`
 * (with `reason` when one is given), which is a normal exit for `transient` children.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ExitReason } from "@effect-otp/supervisor"
 *
 * // a job that stops itself once its work is done, with a reason
 * const job = Effect.gen(function*() {
 *   yield* Effect.log("working")
 *   return yield* new ExitReason.ShutdownRequest({ reason: "done" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ShutdownRequest extends Data.TaggedError("ShutdownRequest")<{
  readonly reason?: unknown
}> {}
