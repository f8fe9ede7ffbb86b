/**
 * Child specifications: how a supervisor starts, restarts and stops one child.
 *
 * A spec pairs a typed `start` (an effect or a {@link Process.Spawn}) with data (`id`,
 * `restart`, `shutdown`, `type`, `significant`) described by a Schema, so the data part
 * can be decoded from JSON or configuration with errors that name the bad field.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import type * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as internalIssue from "./internal/issue.js"
import * as internalProcess from "./internal/process.js"
import type * as Process from "./Process.js"
import type * as Restart from "./Restart.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/supervisor/ChildSpec")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * When a child that exited by itself is restarted (OTP restart types):
 * `permanent` always, `transient` only after an abnormal exit, `temporary` never.
 *
 * @since 0.1.0
 * @category models
 */
export type RestartType = "permanent" | "transient" | "temporary"

/**
 * `worker`, or `supervisor` for a child that is itself a supervisor.
 *
 * @since 0.1.0
 * @category models
 */
export type ChildType = "worker" | "supervisor"

/**
 * How a child is stopped: interrupted, then waited for up to a `Duration` (past it the
 * child counts as `Killed` and is listed as unstopped until it ends; `0` asks and does
 * not wait); `"infinity"` waits as long as it takes; `"brutal_kill"` interrupts it as
 * `Killed` and waits for it without a deadline (Effect cannot skip finalizers, so they
 * still run: use a duration to bound the wait).
 *
 * @since 0.1.0
 * @category models
 */
export type Shutdown = Duration.Duration | "brutal_kill" | "infinity"

/**
 * A complete child specification, every field filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildSpec<out A = unknown, out E = unknown, out R = never> extends Pipeable {
  readonly [TypeId]: TypeId
  readonly id: string
  readonly start: Process.Spawn<A, E, R>
  readonly restart: RestartType
  readonly shutdown: Shutdown
  readonly type: ChildType
  readonly significant: boolean
  /** A per-child delay between restarts (none by default). */
  readonly backoff: Option.Option<Schedule.Schedule<unknown, Restart.Crash>>
  /** Once an incarnation has run this long, the backoff starts over. */
  readonly resetBackoffAfter: Option.Option<Duration.Duration>
  /**
   * How long a start may take (none by default, as in OTP): past it the start is
   * interrupted and fails with `StartTimeout`, and the supervisor goes on.
   */
  readonly startTimeout: Option.Option<Duration.Duration>
}

/**
 * `true` for a child spec made by `ChildSpec.make` (or a constructor built on it).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isChildSpec = (u: unknown): u is ChildSpec<unknown, unknown, unknown> =>
  typeof u === "object" && u !== null && TypeId in u

/**
 * The data part of a child spec, as given by a user: everything but `id` is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly id: string
  readonly restart?: RestartType | undefined
  readonly shutdown?: Duration.DurationInput | "brutal_kill" | "infinity" | undefined
  readonly type?: ChildType | undefined
  readonly significant?: boolean | undefined
  readonly backoff?: Schedule.Schedule<unknown, Restart.Crash> | undefined
  readonly resetBackoffAfter?: Duration.DurationInput | undefined
  readonly startTimeout?: Duration.DurationInput | undefined
}

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toJSON(this: ChildSpec) {
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

/**
 * Builds a child spec. `start` is either an effect (the child's body, started as soon as
 * it is forked; it may use a `Scope` released when the incarnation ends) or a
 * `Process.Spawn` (e.g. a GenServer or a supervisor, started when initialized).
 *
 * Defaults (OTP's): `restart: "permanent"`, `type: "worker"`, `shutdown: "5 seconds"`
 * for workers and `"infinity"` for supervisors, `significant: false`. Values are checked
 * when the spec is given to a supervisor, which rejects invalid ones with
 * `InvalidChildSpec`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const ticker = ChildSpec.make({
 *   id: "ticker",
 *   start: Effect.log("tick").pipe(Effect.delay("1 second"), Effect.forever),
 *   restart: "transient",
 *   shutdown: "1 second"
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export function make<A, E, R>(options: Options & { readonly start: Process.Spawn<A, E, R> }): ChildSpec<A, E, R>
export function make<E, R>(
  options: Options & { readonly start: Effect.Effect<unknown, E, R> }
): ChildSpec<Process.ProcessRef, never, Exclude<R, Scope.Scope | Process.Self>>
export function make(options: Options & { readonly start: unknown }): ChildSpec<unknown, unknown, unknown> {
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
  self.resetBackoffAfter = decodeDurationOption("resetBackoffAfter", options.resetBackoffAfter, issues)
  self.startTimeout = decodeDurationOption("startTimeout", options.startTimeout, issues)
  if (issues.length > 0) invalidFields.set(self, issues)
  return self
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

const defaultWorkerShutdown = Duration.seconds(5)

const decodeShutdownInput = (input: Duration.DurationInput | "brutal_kill" | "infinity"): Shutdown => {
  if (input === "brutal_kill" || input === "infinity" || Duration.isDuration(input)) return input
  // `Duration` clamps negative values to zero and throws on a bad string: an invalid value
  // is kept as given instead, so that `validate` rejects it with a message naming it
  const decoded = typeof input === "number" || typeof input === "string"
    ? decodeShutdownData(input)
    : typeof input === "bigint" && input < BigInt(0)
    ? Option.none()
    : Duration.decodeUnknown(input)
  return Option.getOrElse(decoded, () => input as unknown as Shutdown)
}

/**
 * Returns a copy of a spec with some fields replaced (Elixir's
 * `Supervisor.child_spec/2` overrides).
 *
 * @since 0.1.0
 * @category combinators
 */
export const override = <A, E, R>(
  self: ChildSpec<A, E, R>,
  overrides: Partial<Omit<Options, "backoff" | "resetBackoffAfter" | "startTimeout">>
): ChildSpec<A, E, R> => {
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

// -----------------------------------------------------------------------------
// Schema of the data part
// -----------------------------------------------------------------------------

/**
 * The restart type, as a Schema. A bad value is reported as
 * `expected "permanent", "transient" or "temporary", got "sometimes"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RestartTypeSchema = Schema.Literal("permanent", "transient", "temporary").annotations({
  message: internalIssue.literalsMessage(["permanent", "transient", "temporary"])
})

/**
 * The child type, as a Schema. A bad value is reported as
 * `expected "worker" or "supervisor", got "boss"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChildTypeSchema = Schema.Literal("worker", "supervisor").annotations({
  message: internalIssue.literalsMessage(["worker", "supervisor"])
})

const DURATION_STRING = /^(-?\d+(?:\.\d+)?)\s+(nanos?|micros?|millis?|seconds?|minutes?|hours?|days?|weeks?)$/

const shutdownMessage = (input: unknown): string =>
  (typeof input === "number" && input < 0) ||
    (typeof input === "bigint" && input < BigInt(0)) ||
    (typeof input === "string" && DURATION_STRING.test(input) && input.startsWith("-"))
    ? `a shutdown must not be negative, got ${internalIssue.show(input)}`
    : `expected "brutal_kill", "infinity", a number of milliseconds >= 0 or a duration such as "5 seconds", got ${
      internalIssue.show(input)
    }`

const shutdownIssue = (issue: ParseResult.ParseIssue) => ({ message: shutdownMessage(issue.actual), override: true })

const ShutdownTypeSchema = Schema.Union(Schema.Literal("brutal_kill", "infinity"), Schema.DurationFromSelf)
  .annotations({ identifier: "Shutdown", message: shutdownIssue })

/**
 * The shutdown value as data: `"brutal_kill"`, `"infinity"`, a non-negative number of
 * milliseconds, or a non-negative duration string (`"5 seconds"`). Encodes an infinite
 * duration as `"infinity"` and any other duration as milliseconds. A bad value is
 * reported as `a shutdown must not be negative, got -1`, or as
 * `expected "brutal_kill", "infinity", a number of milliseconds >= 0 or a duration such as "5 seconds", got "soon"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ShutdownSchema: Schema.Schema<Shutdown, number | string> = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.String).annotations({ message: shutdownIssue }),
  ShutdownTypeSchema,
  {
    strict: true,
    decode: (input, _, ast) => {
      if (input === "brutal_kill" || input === "infinity") return ParseResult.succeed(input)
      if (typeof input === "number") {
        return input >= 0
          ? ParseResult.succeed(Duration.millis(input))
          : ParseResult.fail(new ParseResult.Type(ast, input, shutdownMessage(input)))
      }
      return DURATION_STRING.test(input) && !input.startsWith("-")
        ? ParseResult.succeed(Duration.decode(input as Duration.DurationInput))
        : ParseResult.fail(new ParseResult.Type(ast, input, shutdownMessage(input)))
    },
    encode: (shutdown) =>
      ParseResult.succeed(
        typeof shutdown === "string" ? shutdown : Duration.isFinite(shutdown) ? Duration.toMillis(shutdown) : "infinity"
      )
  }
).annotations({ identifier: "ShutdownFromData" })

const decodeShutdownData = Schema.decodeOption(ShutdownSchema)

const idSchema = Schema.NonEmptyString.annotations({
  message: (issue) => ({
    message: `a child id must be a non-empty string, got ${internalIssue.show(issue.actual)}`,
    override: true
  })
})

const significantSchema = Schema.Boolean.annotations({
  message: (issue) => ({ message: `expected true or false, got ${internalIssue.show(issue.actual)}`, override: true })
})

const checkSignificant = <T extends { readonly restart: RestartType; readonly significant: boolean }>(
  spec: T
): true | Schema.FilterIssue =>
  spec.significant && spec.restart === "permanent"
    ? { path: ["significant"], message: "a significant child must be transient or temporary, not permanent" }
    : true

const DataTypeSchema = Schema.Struct({
  id: idSchema,
  restart: RestartTypeSchema,
  shutdown: ShutdownTypeSchema,
  type: ChildTypeSchema,
  significant: significantSchema
}).pipe(Schema.filter(checkSignificant)).annotations({ identifier: "ChildSpecData" })

/**
 * The data part of a child spec with every field filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Data {
  readonly id: string
  readonly restart: RestartType
  readonly shutdown: Shutdown
  readonly type: ChildType
  readonly significant: boolean
}

/**
 * The data part of a child spec as it is written in JSON or configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface DataEncoded {
  readonly id: string
  readonly restart?: RestartType
  readonly shutdown?: number | string
  readonly type?: ChildType
  readonly significant?: boolean
}

/**
 * The data part of a child spec decoded from JSON-like input: unknown keys are rejected,
 * defaults are filled in (`restart: "permanent"`, `type: "worker"`, `shutdown` 5000 ms
 * for workers and `"infinity"` for supervisors, `significant: false`), `significant`
 * with `permanent` is rejected. Every issue points at its field, e.g. `["shutdown"]` with
 * `a shutdown must not be negative, got -1`.
 *
 * **Example**
 *
 * ```ts
 * import { Schema } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const data = Schema.decodeUnknownSync(ChildSpec.DataSchema)({ id: "cache", shutdown: 1000 })
 * // { id: "cache", restart: "permanent", type: "worker", shutdown: Duration(1s), significant: false }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSchema: Schema.Schema<Data, DataEncoded> = Schema.transform(
  Schema.Struct({
    id: idSchema,
    restart: Schema.optionalWith(RestartTypeSchema, { exact: true }),
    shutdown: Schema.optionalWith(ShutdownSchema, { exact: true }),
    type: Schema.optionalWith(ChildTypeSchema, { exact: true }),
    significant: Schema.optionalWith(significantSchema, { exact: true })
  }).annotations({ identifier: "ChildSpecDataInput" }),
  DataTypeSchema,
  {
    strict: true,
    decode: (input) => {
      const type = input.type ?? "worker"
      return {
        id: input.id,
        restart: input.restart ?? "permanent",
        type,
        shutdown: input.shutdown ?? (type === "supervisor" ? "infinity" as const : defaultWorkerShutdown),
        significant: input.significant ?? false
      }
    },
    encode: (data) => data
  }
).annotations({ identifier: "ChildSpecData", parseOptions: { onExcessProperty: "error" } })

const validateData = Schema.validateEither(DataTypeSchema)

const validated = new WeakSet<object>()

/**
 * Checks a spec's data. The message names the field and the value, e.g.
 * `shutdown: a shutdown must not be negative, got -10` or
 * `restart: expected "permanent", "transient" or "temporary", got "sometimes"`. Used by
 * supervisors before they accept a spec.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (spec: ChildSpec<unknown, unknown, unknown>): Either.Either<void, string> => {
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
    if (!internalProcess.isSpawn(spec.start)) return Either.left("start: expected an Effect or a Process.Spawn")
    // specs are immutable: a valid one stays valid
    validated.add(spec)
    return Either.void
  }
  return Either.left(internalIssue.formatIssueLines(result.left.issue)[0])
}
/**
 * Builds a spec from decoded data and a start.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromData = <A, E, R>(data: Data, start: Process.Spawn<A, E, R>): ChildSpec<A, E, R> => {
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
