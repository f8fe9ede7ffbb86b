/**
 * Signals that end a process: kill, stop (with a reason), an exit reason of the
 * caller's choice, and a stop within a shutdown deadline.
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import type * as ExitReason from "../../ExitReason.js"
import * as internal from "../process.js"
import { shutdownProcess } from "../shutdown.js"
import type { ProcessRef } from "./models.js"

/**
 * Kills a process: it is interrupted and its exit reason is `Killed` (abnormal), so a
 * supervisor restarts it per its restart type. Waits until the process has ended (its
 * finalizers run: Effect cannot skip them).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const kill = (process: ProcessRef): Effect.Effect<ExitReason.ExitReason> => {
  const impl = process as unknown as internal.ProcessImpl
  return impl.interruptAs(internal.killFiberId)
}

/**
 * Stops a process in an orderly way, with an optional reason: its exit reason is
 * `Shutdown` (OTP `shutdown` or `{shutdown, reason}`), a normal exit for `transient`
 * children. Waits until the process has ended.
 *
 * Nothing happens until the effect runs: the reason is recorded then, on a process still
 * running (the first reason given wins; a process that has ended keeps its exit reason).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const stop = (process: ProcessRef, reason?: unknown): Effect.Effect<ExitReason.ExitReason> => {
  const impl = process as unknown as internal.ProcessImpl
  return Effect.suspend(() => {
    // recorded when the stop runs, on a process still running: the first reason given wins
    if (reason !== undefined) impl.requestStop(reason)
    return impl.interruptAs(internal.shutdownFiberId)
  })
}

/**
 * Ends a process with an exit reason of the caller's choice (OTP's `exit/2`), and waits
 * until it has ended; the result is its exit reason. A supervisor sees the process end
 * with that reason and restarts it per its restart type, as for any crash.
 *
 * - `ExitReason.abnormal(cause)`: the process is interrupted and its exit reason is
 *   that `Abnormal` (a crash: `permanent` and `transient` children are restarted).
 * - `ExitReason.killed`: as {@link kill}.
 * - `ExitReason.shutdown` / `ExitReason.shutdownWith(reason)`: as {@link stop} (a normal
 *   exit for `transient` children).
 * - `ExitReason.normal`: the process is interrupted and its exit reason is `Normal`, as if
 *   it had finished (a `transient` child is not restarted, a `permanent` one is). OTP
 *   differs here: a process that does not trap exits ignores `exit(Pid, normal)`;
 *   effect-otp processes have no exit trapping, and every signal ends them.
 *
 * The process is interrupted: its finalizers run (Effect cannot skip them), and a
 * process that does not yield to the interruption ends later, with this reason. The
 * first reason given wins; a process that has already ended keeps its exit reason.
 *
 * @example
 * ```ts
 * import { Cause, Data, Effect } from "effect"
 * import { ExitReason, Process } from "@effect-otp/supervisor"
 *
 * class Evicted extends Data.TaggedError("Evicted")<{}> {}
 *
 * const program = Effect.gen(function*() {
 *   const started = yield* Process.run(Process.fromEffect(Effect.never))
 *   if (started._tag !== "Started") return
 *   const reason = yield* Process.exit(started.process, ExitReason.abnormal(Cause.fail(new Evicted())))
 *   yield* Effect.log(reason._tag) // Abnormal
 * })
 * ```
 *
 * @since 0.3.0
 * @category lifecycle
 */
export const exit: {
  (reason: ExitReason.ExitReason): (process: ProcessRef) => Effect.Effect<ExitReason.ExitReason>
  (process: ProcessRef, reason: ExitReason.ExitReason): Effect.Effect<ExitReason.ExitReason>
} = dual(2, (process: ProcessRef, reason: ExitReason.ExitReason): Effect.Effect<ExitReason.ExitReason> => {
  switch (reason._tag) {
    case "Killed":
      return kill(process)
    case "Shutdown":
      return Option.isSome(reason.reason) ? stop(process, reason.reason.value) : stop(process)
    default: {
      const impl = process as unknown as internal.ProcessImpl
      return Effect.suspend(() => {
        impl.requestExit(reason)
        return impl.interruptAs(internal.exitFiberId)
      })
    }
  }
})

/**
 * Stops a process within a shutdown deadline: interrupts it as `shutdown` (as `killed`
 * for `"brutal_kill"`) and waits up to the deadline (`"infinity"`: as long as it takes).
 * Past the deadline the result is `Killed` and the process goes on until it yields to the
 * interruption (its `poll` stays `None`).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const shutdown: {
  (
    shutdown: Duration.Duration | "brutal_kill" | "infinity"
  ): (process: ProcessRef) => Effect.Effect<ExitReason.ExitReason>
  (process: ProcessRef, shutdown: Duration.Duration | "brutal_kill" | "infinity"): Effect.Effect<ExitReason.ExitReason>
} = dual(
  2,
  (process: ProcessRef, shutdown: Duration.Duration | "brutal_kill" | "infinity") =>
    shutdownProcess(process as internal.ProcessImpl, shutdown)
)
