/**
 * Watching a process end: waiting for its exit reason, or a callback once it has ended.
 */
import type * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as ExitReason from "../../ExitReason.js"
import * as internal from "../process.js"
import type { ProcessRef } from "./models.js"

/**
 * Waits for a process to end and returns why (OTP's monitor: the caller is not affected
 * by the process's exit).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const await_ = (process: ProcessRef): Effect.Effect<ExitReason.ExitReason> => process.await

/**
 * Calls `f` with the exit reason once the process has ended (at once if it has). The
 * callback runs synchronously on the fiber that ends the process: keep it short (e.g.
 * offer to a queue).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const unsafeOnExit = (process: ProcessRef, f: (reason: ExitReason.ExitReason) => void): void => {
  const impl = process as internal.ProcessImpl
  impl.addObserver((exit) => f(impl.reasonOf(exit)))
}

/**
 * The exit reason of a process that ended with `exit` (the classification of
 * `ExitReason`), for code that observes a process's fiber exit itself.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const exitReasonOf = (exit: Exit.Exit<unknown, unknown>): ExitReason.ExitReason =>
  internal.classify(exit, Option.none())
