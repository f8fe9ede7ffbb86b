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

/**
 * The interruptor the library uses for `Process.exit` with a reason of the caller's
 * choice: the process's exit reason is the one recorded with the signal.
 */
export const exitFiberId: FiberId.FiberId = FiberId.make(-7009, 0)

const NEUTRAL = 0
const SHUTDOWN = 1
const EXIT = 2
const KILLED = 3
const OTHER = 4

/** What one (non-composite) interruptor says: `SHUTDOWN`, `EXIT` or `KILLED`. */
const interruptorKind = (id: FiberId.FiberId): number =>
  id._tag === "Runtime" ? (id.id === -7007 ? SHUTDOWN : id.id === -7009 ? EXIT : KILLED) : KILLED

/**
 * The id of the marker a process fails with to end with a reason of its choosing (the
 * GenServer's `Stop`): its `exitReason` is the process's exit reason.
 */
export const ExitRequestTypeId: unique symbol = Symbol.for("@effect-otp/supervisor/ExitRequest")

/** A failure that carries the exit reason its process ends with. */
export interface ExitRequest {
  readonly [ExitRequestTypeId]: ExitReason.ExitReason
}

const isExitRequest = (u: unknown): u is ExitRequest => typeof u === "object" && u !== null && ExitRequestTypeId in u

/**
 * What a cause made only of interruptions says: `SHUTDOWN` (all by the shutdown
 * interruptor), `EXIT` (some by the exit interruptor, the others by the shutdown one),
 * `KILLED` (some by another fiber), `NEUTRAL` (nothing but empty causes and
 * interruptions by no fiber), `OTHER` (something else: failures, composite
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
          return interruptorKind(cause.fiberId)
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
 * `stopReason` is the reason given to `Process.stop`, `signal` the reason given to
 * `Process.exit` (read when the process was interrupted by the matching interruptor).
 */
export const classify = (
  exit: Exit.Exit<unknown, unknown>,
  stopReason: Option.Option<unknown>,
  signal?: ExitReason.ExitReason | undefined
): ExitReason.ExitReason => {
  if (Exit.isSuccess(exit)) return ExitReason.normal
  const cause = exit.cause
  // the common case first, without building sets: interruptions only
  const interruption = scanInterruption(cause)
  if (interruption !== OTHER && interruption !== NEUTRAL) return byInterruption(interruption, stopReason, signal)
  if (Cause.isInterruptedOnly(cause)) {
    let kind = NEUTRAL
    for (const id of Cause.interruptors(cause)) {
      for (const single of FiberId.toSet(id)) kind = Math.max(kind, interruptorKind(single))
    }
    return byInterruption(kind === NEUTRAL ? KILLED : kind, stopReason, signal)
  }
  if (!Cause.isDie(cause)) {
    const failures = Cause.failures(cause)
    if (failures.length === 1) {
      const failure = Chunk.unsafeHead(failures)
      if (failure instanceof ExitReason.ShutdownRequest) {
        return failure.reason === undefined ? ExitReason.shutdown : ExitReason.shutdownWith(failure.reason)
      }
      if (isExitRequest(failure)) return failure[ExitRequestTypeId]
    }
  }
  return ExitReason.abnormal(cause)
}

/** The exit reason of a process ended by interruptions only, of the given kind. */
const byInterruption = (
  kind: number,
  stopReason: Option.Option<unknown>,
  signal: ExitReason.ExitReason | undefined
): ExitReason.ExitReason => {
  if (kind === SHUTDOWN) {
    return Option.isSome(stopReason) ? ExitReason.shutdownWith(stopReason.value) : ExitReason.shutdown
  }
  if (kind === EXIT && signal !== undefined) return signal
  return ExitReason.killed
}

/**
 * Whether a child that ended with `reason` is restarted: `permanent` always, `transient`
 * after an abnormal exit, `temporary` never (OTP's `do_restart`).
 */
export const shouldRestart = (restart: ChildSpec.RestartType, reason: ExitReason.ExitReason): boolean =>
  restart === "permanent" || (restart === "transient" && ExitReason.isAbnormal(reason))
