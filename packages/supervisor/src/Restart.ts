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
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleInterval from "effect/ScheduleInterval"
import type * as ExitReason from "./ExitReason.js"
import * as internalIssue from "./internal/issue.js"

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
  const parameters = { maxRestarts, windowMillis, within }
  // the parameters travel in the schedule's state, which Effect's combinators keep inside
  // the state of the schedule they build: `validate` finds them there
  const schedule = Schedule.makeWithState<IntensityState, unknown, number>(
    new IntensityState(parameters, []),
    (now, _input, state) => {
      const live = state.stamps.filter((stamp) => now - stamp <= windowMillis)
      live.push(now)
      const next = new IntensityState(parameters, live)
      return Effect.succeed(
        live.length > maxRestarts
          ? [next, live.length, ScheduleDecision.done] as const
          : [next, live.length, ScheduleDecision.continueWith(ScheduleInterval.after(now))] as const
      )
    }
  )
  intensityParameters.set(schedule, parameters)
  return schedule
}

interface IntensityParameters {
  readonly maxRestarts: number
  readonly windowMillis: number
  readonly within: Duration.DurationInput
}

/** The state of an {@link intensity} schedule: its parameters and the restarts in its window. */
class IntensityState {
  constructor(readonly parameters: IntensityParameters, readonly stamps: ReadonlyArray<number>) {}
}

/** @internal */
export const intensityParameters = new WeakMap<object, IntensityParameters>()

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
 * An exponential backoff for restarts: `base * factor^n`, capped at `max`. With
 * `jitter: true` each delay is drawn at random between 80% and 120% of that capped delay,
 * and never above `max`: below the cap a delay `d` becomes one in `[0.8 d, min(1.2 d, max)]`;
 * at the cap, one in `[0.8 max, max]`, so children that crashed together keep restarting
 * apart however long they crash. The random numbers come from Effect's `Random`, so tests
 * can seed it. Never gives up by itself; reset it after a healthy period with a child's
 * `resetBackoffAfter`. (A backoff schedule that does end, e.g. `Schedule.recurs(n)`, makes
 * the supervisor give up when it ends, like the restart policy.)
 *
 * **Example**
 *
 * ```ts
 * import { Restart } from "@effect-otp/supervisor"
 *
 * // 100 ms, 200 ms, 400 ms, ... each within ±20%; once at the cap, between 8 and 10 seconds
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
  if (options.jitter !== true) {
    return max === undefined
      ? exponential
      : Schedule.delayed(exponential, (delay) => (Duration.greaterThan(delay, max) ? max : delay))
  }
  const maxMillis = max === undefined ? Infinity : Duration.toMillis(max)
  // the cap first, then the jitter within [0.8, 1.2] of the capped delay, bounded by `max`
  return Schedule.delayedEffect(exponential, (delay) =>
    Effect.map(Random.next, (random) => {
      const capped = Math.min(Duration.toMillis(delay), maxMillis)
      const low = capped * (1 - jitterSpread)
      const high = Math.min(capped * (1 + jitterSpread), maxMillis)
      return Number.isFinite(high) ? Duration.millis(low + (high - low) * random) : delay
    }))
}

/** How far a jittered delay may be from the capped delay, as a fraction of it. */
const jitterSpread = 0.2

/**
 * The intensity parameters inside a schedule's initial state: Effect's combinators
 * (`Schedule.intersect`, `union`, `map`, `jittered`, `andThen`, ...) keep the states of
 * the schedules they combine inside their own (in tuples), so an intensity stays
 * recognisable however it is piped.
 */
const findIntensities = (state: unknown, found: Array<IntensityParameters>, depth: number): void => {
  if (depth > 16 || typeof state !== "object" || state === null) return
  if (state instanceof IntensityState) {
    found.push(state.parameters)
    return
  }
  if (Array.isArray(state)) {
    for (const item of state) findIntensities(item, found, depth + 1)
    return
  }
  const proto = Object.getPrototypeOf(state)
  if (proto === Object.prototype || proto === null) {
    for (const value of Object.values(state)) findIntensities(value, found, depth + 1)
  }
}

const showWithin = (within: Duration.DurationInput): string =>
  Duration.isDuration(within)
    ? `${Duration.toMillis(within)} ms`
    : typeof within === "number"
    ? `${within} ms`
    : typeof within === "string"
    ? JSON.stringify(within)
    : String(within)

const validateIntensity = (parameters: IntensityParameters, field: string): Either.Either<void, string> => {
  if (!Number.isInteger(parameters.maxRestarts) || parameters.maxRestarts < 0) {
    return Either.left(`${field}: maxRestarts must be an integer >= 0, got ${parameters.maxRestarts}`)
  }
  const within = parameters.within
  if (typeof within === "number" ? !(within > 0) : !(parameters.windowMillis > 0)) {
    return Either.left(`${field}: the window must be longer than 0, got ${showWithin(within)}`)
  }
  if (!Number.isFinite(parameters.windowMillis)) {
    return Either.left(`${field}: the window must be finite, got ${showWithin(within)}`)
  }
  return Either.void
}

/**
 * Checks a schedule given as `field` (`restartPolicy`, `backoff`): it must be a
 * `Schedule`, and the parameters of every {@link intensity} in it (also when combined
 * with other schedules) must be valid.
 *
 * @internal
 */
export const validateSchedule = (field: string, policy: unknown): Either.Either<void, string> => {
  if (!Schedule.isSchedule(policy)) {
    return Either.left(`${field}: expected a Schedule, got ${internalIssue.show(policy)}`)
  }
  const found: Array<IntensityParameters> = []
  findIntensities(policy.initial, found, 0)
  for (const parameters of found) {
    const valid = validateIntensity(parameters, field)
    if (Either.isLeft(valid)) return valid
  }
  return Either.void
}

/**
 * Checks a restart policy: it must be a `Schedule`, and the parameters of every
 * {@link intensity} in it — also after it went through Schedule combinators — must be
 * valid: `maxRestarts` an integer >= 0, the window longer than zero. Supervisors check
 * their policy when they start and fail with `InvalidOptions`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (policy: Policy): Either.Either<void, string> => validateSchedule("restartPolicy", policy)
