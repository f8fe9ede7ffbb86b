/**
 * Restart policies as `Schedule`s.
 *
 * A supervisor steps its restart policy once per restart attempt (one cascade counts once;
 * a failed restart attempt counts again). The input is the {@link Crash} that caused the
 * attempt. While the schedule continues, the restart happens after the delay it asks
 * for; when it is done, the supervisor gives up: it stops its children in reverse order
 * and exits with `shutdown`.
 *
 * The default, OTP's intensity, is {@link intensity}`(3, "5 seconds")`. Any `Schedule`
 * works: combine the intensity with a backoff (`Schedule.intersect`) to delay restarts.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleInterval from "effect/ScheduleInterval"
import type * as ExitReason from "./ExitReason.js"

/**
 * What a restart policy receives at each restart attempt.
 *
 * @since 0.1.0
 * @category models
 */
export interface Crash {
  /** The id of the child whose exit (or failed restart) caused this attempt. */
  readonly childId: string
  /** Why it exited. A failed restart attempt is `Abnormal` with the start's cause. */
  readonly reason: ExitReason.ExitReason
}

/**
 * A restart policy: a `Schedule` stepped once per restart attempt.
 *
 * @since 0.1.0
 * @category models
 */
export type Policy = Schedule.Schedule<unknown, Crash>

/**
 * OTP's restart intensity: allows a restart if, counting it, at most `maxRestarts`
 * restarts happened within the last `within` (a sliding window with millisecond
 * precision, inclusive at its edge: a restart exactly `within` after an earlier one still
 * counts it). Outputs the number of restarts in the window. `maxRestarts = 0` gives up on
 * the first restart.
 *
 * **Example**
 *
 * ```ts
 * import { Restart } from "@effect-otp/supervisor"
 *
 * // Elixir's default: 3 restarts in 5 seconds
 * const policy = Restart.intensity(3, "5 seconds")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const intensity = (maxRestarts: number, within: Duration.DurationInput): Schedule.Schedule<number, unknown> => {
  // an undecodable window is kept as NaN: supervisors reject it (see `validate`)
  const windowMillis = Option.match(Duration.decodeUnknown(within), { onNone: () => NaN, onSome: Duration.toMillis })
  const schedule = Schedule.makeWithState<ReadonlyArray<number>, unknown, number>(
    [],
    (now, _input, stamps) => {
      const live = stamps.filter((stamp) => now - stamp <= windowMillis)
      live.push(now)
      return Effect.succeed(
        live.length > maxRestarts
          ? [live, live.length, ScheduleDecision.done] as const
          : [live, live.length, ScheduleDecision.continueWith(ScheduleInterval.after(now))] as const
      )
    }
  )
  intensityParameters.set(schedule, { maxRestarts, windowMillis, within })
  return schedule
}

/** @internal */
export const intensityParameters = new WeakMap<
  object,
  { readonly maxRestarts: number; readonly windowMillis: number; readonly within: Duration.DurationInput }
>()

/**
 * The default restart policy: 3 restarts within 5 seconds (Elixir's default).
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: Policy = intensity(3, "5 seconds")

/**
 * A policy that never gives up. Use with care: a child that always crashes is restarted
 * forever (add a backoff).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unlimited: Policy = Schedule.forever

/**
 * An exponential backoff for restarts: `base * factor^n`, optionally jittered (each
 * delay multiplied by a random factor in [0.8, 1.2], read from Effect's `Random`, so
 * tests can seed it), then capped at `max`. Never gives up by itself; reset it after a
 * healthy period with a child's `resetBackoffAfter`. (A backoff schedule that does end,
 * e.g. `Schedule.recurs(n)`, makes the supervisor give up when it ends, like the restart
 * policy.)
 *
 * **Example**
 *
 * ```ts
 * import { Restart } from "@effect-otp/supervisor"
 *
 * const backoff = Restart.backoff({ base: "100 millis", max: "10 seconds", jitter: true })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const backoff = (options: {
  readonly base: Duration.DurationInput
  readonly factor?: number | undefined
  readonly max?: Duration.DurationInput | undefined
  readonly jitter?: boolean | undefined
}): Schedule.Schedule<Duration.Duration, unknown> => {
  const max = options.max === undefined ? undefined : Duration.decode(options.max)
  const exponential = Schedule.exponential(options.base, options.factor ?? 2)
  const jittered = options.jitter === true ? Schedule.jittered(exponential) : exponential
  // capped after the jitter: a delay never exceeds `max`
  return max === undefined
    ? jittered
    : Schedule.delayed(jittered, (delay) => (Duration.greaterThan(delay, max) ? max : delay))
}

/**
 * Checks the parameters of a policy built with {@link intensity}: `maxRestarts` an
 * integer >= 0, the window longer than zero. Other schedules are accepted as they are.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (policy: Policy): Either.Either<void, string> => {
  const parameters = intensityParameters.get(policy)
  if (parameters === undefined) return Either.void
  if (!Number.isInteger(parameters.maxRestarts) || parameters.maxRestarts < 0) {
    return Either.left(`restartPolicy: maxRestarts must be an integer >= 0, got ${parameters.maxRestarts}`)
  }
  const within = parameters.within
  const given = Duration.isDuration(within)
    ? `${Duration.toMillis(within)} ms`
    : typeof within === "number"
    ? `${within} ms`
    : typeof within === "string"
    ? JSON.stringify(within)
    : String(within)
  if (typeof within === "number" ? !(within > 0) : !(parameters.windowMillis > 0)) {
    return Either.left(`restartPolicy: the window must be longer than 0, got ${given}`)
  }
  if (!Number.isFinite(parameters.windowMillis)) {
    return Either.left(`restartPolicy: the window must be finite, got ${given}`)
  }
  return Either.void
}
