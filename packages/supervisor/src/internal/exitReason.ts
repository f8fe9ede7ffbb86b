/**
 * The one place where an `Exit` becomes an `ExitReason` (DESIGN decision 1), and the
 * restart decision that reads it.
 */
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import type * as ChildSpec from "../ChildSpec.js"
import * as ExitReason from "../ExitReason.js"

/**
 * The interruptor the library uses for orderly stops (`shutdown`).
 */
export const shutdownFiberId: FiberId.FiberId = FiberId.make(-7007, 0)

/**
 * The interruptor the library uses for `Process.kill` (`killed`).
 */
export const killFiberId: FiberId.FiberId = FiberId.make(-7008, 0)

const isShutdownId = (id: FiberId.FiberId): boolean => id._tag === "Runtime" && id.id === -7007

const NEUTRAL = 0
const SHUTDOWN = 1
const KILLED = 2
const OTHER = 3

/**
 * What a cause made only of interruptions says: `SHUTDOWN` (all by the shutdown
 * interruptor), `KILLED` (some by another fiber), `NEUTRAL` (nothing but empty causes
 * and interruptions by no fiber), `OTHER` (something else: failures, composite
 * interruptors; `classify` looks closer).
 */
const scanInterruption = (cause: Cause.Cause<unknown>): number => {
  switch (cause._tag) {
    case "Interrupt":
      switch (cause.fiberId._tag) {
        case "None":
          return NEUTRAL
        case "Composite":
          return OTHER
        default:
          return isShutdownId(cause.fiberId) ? SHUTDOWN : KILLED
      }
    case "Sequential":
    case "Parallel": {
      const left = cause.left._tag === "Empty" ? NEUTRAL : scanInterruption(cause.left)
      if (left === OTHER) return OTHER
      const right = cause.right._tag === "Empty" ? NEUTRAL : scanInterruption(cause.right)
      if (right === OTHER) return OTHER
      return Math.max(left, right)
    }
    default:
      return OTHER
  }
}

/**
 * The one place where an `Exit` becomes an `ExitReason` (DESIGN decision 1).
 */
export const classify = (exit: Exit.Exit<unknown, unknown>, stopReason: Option.Option<unknown>) => {
  if (Exit.isSuccess(exit)) return ExitReason.normal
  const cause = exit.cause
  // the common case first, without building sets: interruptions only
  const interruption = scanInterruption(cause)
  if (interruption === KILLED) return ExitReason.killed
  if (interruption === SHUTDOWN) {
    return Option.isSome(stopReason) ? ExitReason.shutdownWith(stopReason.value) : ExitReason.shutdown
  }
  if (Cause.isInterruptedOnly(cause)) {
    let byShutdown = false
    for (const id of Cause.interruptors(cause)) {
      for (const single of FiberId.toSet(id)) {
        if (!isShutdownId(single)) return ExitReason.killed
        byShutdown = true
      }
    }
    if (!byShutdown) return ExitReason.killed
    return Option.isSome(stopReason) ? ExitReason.shutdownWith(stopReason.value) : ExitReason.shutdown
  }
  if (!Cause.isDie(cause)) {
    const failures = Cause.failures(cause)
    if (failures.length === 1) {
      const failure = Chunk.unsafeHead(failures)
      if (failure instanceof ExitReason.ShutdownRequest) {
        return failure.reason === undefined ? ExitReason.shutdown : ExitReason.shutdownWith(failure.reason)
      }
    }
  }
  return ExitReason.abnormal(cause)
}

/**
 * Whether a child that ended with `reason` is restarted: `permanent` always, `transient`
 * after an abnormal exit, `temporary` never (OTP's `do_restart`).
 */
export const shouldRestart = (restart: ChildSpec.RestartType, reason: ExitReason.ExitReason): boolean =>
  restart === "permanent" || (restart === "transient" && ExitReason.isAbnormal(reason))
