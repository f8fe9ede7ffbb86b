/**
 * Child specs: their prototype, how `make` reads a user's options (keeping what it cannot
 * read for `validate` to report), overrides, and validation.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Schedule from "effect/Schedule"
import type * as ChildSpec from "../ChildSpec.js"
import { decodeShutdownData, defaultWorkerShutdown, validateData } from "./childSpecSchema.js"
import * as internalIssue from "./issue.js"
import * as internalProcess from "./process.js"

/** @internal */
export const TypeId: ChildSpec.TypeId = Symbol.for("@effect-otp/supervisor/ChildSpec") as ChildSpec.TypeId

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toJSON(this: ChildSpec.ChildSpec) {
    return {
      _id: "ChildSpec",
      id: this.id,
      restart: this.restart,
      shutdown: Duration.isDuration(this.shutdown) ? Duration.format(this.shutdown) : this.shutdown,
      type: this.type,
      significant: this.significant
    }
  }
}

/** Fields of a spec that `make` could not read: `validate` reports them. */
const invalidFields = new WeakMap<object, ReadonlyArray<string>>()

/**
 * A duration option as `make` reads it: `None` (with an issue) when it is not a
 * non-negative duration.
 * @internal
 */
export const decodeDurationOption = (
  field: string,
  input: Duration.DurationInput | undefined,
  issues: Array<string>
): Option.Option<Duration.Duration> => {
  if (input === undefined) return Option.none()
  if (Duration.isDuration(input)) return Option.some(input)
  const decoded = typeof input === "number" || typeof input === "string"
    ? Option.filter(decodeShutdownData(input), Duration.isDuration)
    : typeof input === "bigint" && input < BigInt(0)
    ? Option.none()
    : Duration.decodeUnknown(input)
  if (Option.isNone(decoded)) {
    issues.push(`${field}: expected a non-negative duration, got ${internalIssue.show(input)}`)
  }
  return decoded
}

const decodeShutdownInput = (input: Duration.DurationInput | "brutal_kill" | "infinity"): ChildSpec.Shutdown => {
  if (input === "brutal_kill" || input === "infinity" || Duration.isDuration(input)) return input
  // `Duration` clamps negative values to zero and throws on a bad string: an invalid value
  // is kept as given instead, so that `validate` rejects it with a message naming it
  const decoded = typeof input === "number" || typeof input === "string"
    ? decodeShutdownData(input)
    : typeof input === "bigint" && input < BigInt(0)
    ? Option.none()
    : Duration.decodeUnknown(input)
  return Option.getOrElse(decoded, () => input as unknown as ChildSpec.Shutdown)
}

const knownKeys: ReadonlySet<string> = new Set([
  "id",
  "start",
  "restart",
  "shutdown",
  "type",
  "significant",
  "backoff",
  "resetBackoffAfter",
  "startTimeout"
])

/** @internal */
export const make = (
  options: ChildSpec.Options & { readonly start: unknown }
): ChildSpec.ChildSpec<unknown, unknown, unknown> => {
  const self = Object.create(Proto)
  const type = options.type ?? "worker"
  self.id = options.id
  // anything else is kept as given, so that `validate` rejects it
  self.start = Effect.isEffect(options.start)
    ? internalProcess.spawnEffect(options.start as Effect.Effect<unknown, unknown, unknown>)
    : options.start
  self.restart = options.restart ?? "permanent"
  self.type = type
  self.shutdown = options.shutdown === undefined
    ? (type === "supervisor" ? "infinity" : defaultWorkerShutdown)
    : decodeShutdownInput(options.shutdown)
  self.significant = options.significant ?? false
  self.backoff = Option.fromNullable(options.backoff)
  const issues: Array<string> = []
  // keys the type does not know (a misspelt `shutdwon` from a spread object) are refused,
  // as the data Schema refuses them
  if (typeof options === "object" && options !== null) {
    for (const key of Object.keys(options)) {
      if (!knownKeys.has(key)) {
        issues.push(`${internalIssue.formatPath([key])}: unknown option (expected ${Array.from(knownKeys).join(", ")})`)
      }
    }
  }
  if (options.backoff !== undefined && !Schedule.isSchedule(options.backoff)) {
    issues.push(`backoff: expected a Schedule, got ${internalIssue.show(options.backoff)}`)
  }
  self.resetBackoffAfter = decodeDurationOption("resetBackoffAfter", options.resetBackoffAfter, issues)
  self.startTimeout = decodeDurationOption("startTimeout", options.startTimeout, issues)
  if (issues.length > 0) invalidFields.set(self, issues)
  return self
}

/** @internal */
export const override = <A, E, R>(
  self: ChildSpec.ChildSpec<A, E, R>,
  overrides: Partial<Omit<ChildSpec.Options, "backoff" | "resetBackoffAfter" | "startTimeout">>
): ChildSpec.ChildSpec<A, E, R> => {
  const copy = Object.assign(Object.create(Proto), self)
  const invalid = invalidFields.get(self)
  if (invalid !== undefined) invalidFields.set(copy, invalid)
  if (overrides.id !== undefined) copy.id = overrides.id
  if (overrides.restart !== undefined) copy.restart = overrides.restart
  if (overrides.type !== undefined) copy.type = overrides.type
  if (overrides.shutdown !== undefined) copy.shutdown = decodeShutdownInput(overrides.shutdown)
  else if (overrides.type !== undefined && overrides.type !== self.type) {
    copy.shutdown = overrides.type === "supervisor" ? "infinity" : defaultWorkerShutdown
  }
  if (overrides.significant !== undefined) copy.significant = overrides.significant
  return copy
}

/**
 * The start of a spec whose start was let go: starting it fails (a defect, naming why).
 */
const notKept: ChildSpec.ChildSpec["start"] = internalProcess.makeSpawn(() =>
  Effect.sync(() => {
    const starting = new internalProcess.StartingImpl<never, never>()
    starting.done(
      Exit.die(new Error("the start of a temporary child is not kept once it runs (OTP keeps none either)"))
    )
    return starting
  })
)

/** The start-less copy of each spec, shared by the temporary children started from it. */
const startless = new WeakMap<object, ChildSpec.ChildSpec<unknown, unknown, unknown>>()

/**
 * A copy of `spec` that keeps nothing of its start: what a supervisor keeps of a running
 * temporary child (its start, and what the start captures, can be collected).
 * @internal
 */
export const withoutStart = (
  spec: ChildSpec.ChildSpec<unknown, unknown, unknown>
): ChildSpec.ChildSpec<unknown, unknown, unknown> => {
  if (spec.start === notKept) return spec
  let copy = startless.get(spec)
  if (copy === undefined) {
    copy = Object.assign(Object.create(Proto), spec, { start: notKept }) as ChildSpec.ChildSpec<
      unknown,
      unknown,
      unknown
    >
    startless.set(spec, copy)
  }
  return copy
}

const validated = new WeakSet<object>()

/** @internal */
export const validate = (spec: ChildSpec.ChildSpec<unknown, unknown, unknown>): Either.Either<void, string> => {
  if (validated.has(spec)) return Either.void
  const invalid = invalidFields.get(spec)
  if (invalid !== undefined) return Either.left(invalid[0])
  const result = validateData({
    id: spec.id,
    restart: spec.restart,
    shutdown: spec.shutdown,
    type: spec.type,
    significant: spec.significant
  }, { onExcessProperty: "ignore" })
  if (Either.isRight(result)) {
    if (!internalProcess.isSpawn(spec.start)) {
      return Either.left(`start: expected an Effect or a Process.Spawn, got ${internalIssue.show(spec.start)}`)
    }
    // specs are immutable: a valid one stays valid
    validated.add(spec)
    return Either.void
  }
  return Either.left(internalIssue.formatIssueLines(result.left.issue)[0])
}

/** @internal */
export const fromData = <A, E, R>(
  data: ChildSpec.Data,
  start: ChildSpec.ChildSpec<A, E, R>["start"]
): ChildSpec.ChildSpec<A, E, R> => {
  const self = Object.create(Proto)
  self.id = data.id
  self.start = start
  self.restart = data.restart
  self.type = data.type
  self.shutdown = data.shutdown
  self.significant = data.significant
  self.backoff = Option.none()
  self.resetBackoffAfter = Option.none()
  self.startTimeout = Option.none()
  return self
}
