/**
 * Stopping processes within a shutdown deadline (DESIGN decision 4).
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ExitReason from "../ExitReason.js"
import { killFiberId, shutdownFiberId } from "./exitReason.js"
import type { ProcessImpl } from "./process.js"
import { type Cancel, schedule } from "./timer.js"

/**
 * Stops a process within a shutdown deadline (DESIGN decision 4): interrupts it as
 * `shutdown` (as `killed` for `brutal_kill`) and waits up to the deadline; past it the
 * process counts as `Killed` and keeps running until it yields to the interruption.
 * @internal
 */
export const shutdownProcess = (
  process: ProcessImpl,
  shutdown: Duration.Duration | "brutal_kill" | "infinity"
): Effect.Effect<ExitReason.ExitReason> =>
  Effect.map(
    shutdownAllProcesses([process], shutdown),
    // past its deadline the process counts as killed, however it ends later
    () => Option.getOrElse(process.poll, () => ExitReason.killed)
  )

/**
 * Stops processes all at once within one shutdown deadline (OTP's dynamic shutdown):
 * signals them all, then waits for them together; those still running at the deadline
 * count as `Killed`. Linear in the number of processes.
 * @internal
 */
export const shutdownAllProcesses = (
  processes: ReadonlyArray<ProcessImpl>,
  shutdown: Duration.Duration | "brutal_kill" | "infinity"
): Effect.Effect<void> => {
  if (processes.length === 0) return Effect.void
  const interruptor = shutdown === "brutal_kill" ? killFiberId : shutdownFiberId
  // signals them all, calls `done` once all have ended; returns how to stop watching them
  const signal = (done: () => void): () => void => {
    let remaining = processes.length
    const onEnd = () => {
      if (--remaining === 0) done()
    }
    for (const process of processes) {
      process.interrupt(interruptor)
      process.addObserver(onEnd)
    }
    return () => {
      for (const process of processes) process.removeObserver(onEnd)
    }
  }
  if (typeof shutdown === "string") {
    return Effect.async<void>((resume) => {
      const unwatch = signal(() => resume(Effect.void))
      return Effect.sync(unwatch)
    })
  }
  // the deadline is a timer, as for one process
  return Effect.clockWith((clock) =>
    Effect.async<void>((resume) => {
      let settled = false
      let cancel: Cancel | undefined = undefined
      const unwatch = signal(() => {
        if (settled) return
        settled = true
        if (cancel !== undefined) cancel()
        resume(Effect.void)
      })
      if (settled) return
      cancel = schedule(clock, shutdown, () => {
        if (settled) return
        settled = true
        unwatch()
        // past the deadline they count as killed, however they end later
        for (const process of processes) if (process.exit === undefined) process.markKilled()
        resume(Effect.void)
      })
      return Effect.sync(() => {
        settled = true
        unwatch()
        if (cancel !== undefined) cancel()
      })
    })
  )
}
