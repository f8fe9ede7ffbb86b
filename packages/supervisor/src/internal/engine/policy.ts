/**
 * A restart policy and a child's backoff as the engine steps them: one `Schedule` step
 * per crash, read on the `Clock`.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import type * as Restart from "../../Restart.js"

type Crash = Restart.Crash
type Policy = Restart.Policy

/**
 * Steps a restart policy by hand, without sleeping: what a supervisor does at each
 * restart attempt. Not safe to share between fibers that step it concurrently (a
 * supervisor steps it from its own loop).
 */
export interface Tracker {
  /**
   * Steps the policy for one restart attempt at the current `Clock` time: `Some(delay)`
   * to restart after `delay` (zero for at once), `None` to give up.
   */
  readonly next: (crash: Crash) => Effect.Effect<Option.Option<Duration.Duration>>
  /** Starts the policy over (e.g. after a child stayed up long enough). */
  readonly reset: Effect.Effect<void>
}

/**
 * A {@link Tracker} for a policy.
 */
export const tracker = (policy: Policy): Tracker => {
  let state: unknown = policy.initial
  return {
    next: (crash) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          Effect.map(policy.step(now, crash, state), ([next, _, decision]) => {
            state = next
            return ScheduleDecision.isDone(decision)
              ? Option.none()
              : Option.some(Duration.millis(Math.max(0, ScheduleIntervals.start(decision.intervals) - now)))
          })
      ),
    reset: Effect.sync(() => {
      state = policy.initial
    })
  }
}

/**
 * The delay before one restart attempt, or `None` to give up: the supervisor-wide
 * `policy` is stepped, then the child's `backoff` if it has one (started over first when
 * the incarnation that just ended, up since `upSince`, stayed up for `resetAfter`
 * milliseconds). The restart waits for the longer of the two delays; either schedule
 * being done gives up. What `Supervisor` and `DynamicSupervisor` do at each attempt.
 */
export const nextDelay = (
  policy: Tracker,
  crash: Crash,
  backoff?: {
    readonly tracker: Tracker
    readonly resetAfter: Option.Option<number>
    /** When the incarnation that just ended started; `undefined` for a failed start. */
    readonly upSince: number | undefined
  }
): Effect.Effect<Option.Option<Duration.Duration>> =>
  Effect.flatMap(policy.next(crash), (delay) => {
    if (Option.isNone(delay) || backoff === undefined) return Effect.succeed(delay)
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const { resetAfter, tracker, upSince } = backoff
      const reset = upSince !== undefined && Option.isSome(resetAfter) && now - upSince >= resetAfter.value
        ? tracker.reset
        : Effect.void
      return Effect.map(
        Effect.zipRight(reset, tracker.next(crash)),
        Option.map((backoffDelay) => Duration.max(delay.value, backoffDelay))
      )
    })
  })
