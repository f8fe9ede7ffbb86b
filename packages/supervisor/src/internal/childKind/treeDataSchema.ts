/**
 * The Schemas of a supervision tree's data (flags, children, durations, backoffs), with
 * messages that name the field and the value; `childKind.ts` decodes trees with them.
 */
import * as Duration from "effect/Duration"
import * as ParseResult from "effect/ParseResult"
import type * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Restart from "../../Restart.js"
import { decodeShutdownData } from "../childSpecSchema.js"
import { literalsMessage, show } from "../issue.js"

// -----------------------------------------------------------------------------
// supervisor flags
// -----------------------------------------------------------------------------

/** @internal */
export const StrategySchema = Schema.Literal("one_for_one", "one_for_all", "rest_for_one").annotations({
  message: literalsMessage(["one_for_one", "one_for_all", "rest_for_one"])
})

/** @internal */
export const AutoShutdownSchema = Schema.Literal("never", "any_significant", "all_significant").annotations({
  message: literalsMessage(["never", "any_significant", "all_significant"])
})

/** @internal */
export const MaxRestartsSchema = Schema.Number.pipe(
  Schema.filter((n) => Number.isInteger(n) && n >= 0)
).annotations({
  message: (issue) => ({ message: `expected an integer >= 0, got ${show(issue.actual)}`, override: true })
})

/** @internal */
export const MaxSecondsSchema = Schema.Number.pipe(
  Schema.filter((n) => Number.isFinite(n) && n > 0)
).annotations({
  message: (issue) => ({ message: `expected a number of seconds > 0, got ${show(issue.actual)}`, override: true })
})

/** @internal */
export const ChildrenSchema = Schema.Array(Schema.Unknown).annotations({
  message: (issue) => ({ message: `expected an array of children, got ${show(issue.actual)}`, override: true })
})

const durationMessage = (input: unknown): string =>
  `expected a duration: a number of milliseconds >= 0 or a string such as "5 seconds", got ${show(input)}`

/** A duration as data: milliseconds (`1500`) or Effect's duration strings (`"1.5 seconds"`). */
/** @internal */
export const DurationData: Schema.Schema<Duration.Duration, number | string> = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.String).annotations({
    message: (issue) => ({ message: durationMessage(issue.actual), override: true })
  }),
  Schema.DurationFromSelf,
  {
    strict: true,
    decode: (input, _, ast) => {
      const decoded = decodeShutdownData(input)
      return decoded._tag === "Some" && Duration.isDuration(decoded.value)
        ? ParseResult.succeed(decoded.value)
        : ParseResult.fail(new ParseResult.Type(ast, input, durationMessage(input)))
    },
    encode: (duration) => ParseResult.succeed(Duration.toMillis(duration))
  }
).annotations({ identifier: "DurationData" })

/** @internal */
export const FactorSchema = Schema.Number.pipe(Schema.filter((n) => Number.isFinite(n) && n >= 1)).annotations({
  message: (issue) => ({ message: `expected a number >= 1, got ${show(issue.actual)}`, override: true })
})

/** `Restart.backoff`'s options as data. */
/** @internal */
export const BackoffData = Schema.Struct({
  base: DurationData,
  factor: Schema.optionalWith(FactorSchema, { exact: true }),
  max: Schema.optionalWith(DurationData, { exact: true }),
  jitter: Schema.optionalWith(
    Schema.Boolean.annotations({
      message: (issue) => ({ message: `expected true or false, got ${show(issue.actual)}`, override: true })
    }),
    { exact: true }
  )
}).annotations({ identifier: "BackoffData", parseOptions: { onExcessProperty: "error" } })

/** @internal */
export const backoffOf = (data: typeof BackoffData.Type): Schedule.Schedule<unknown, Restart.Crash> =>
  Restart.backoff(data)

/** @internal */
export const NameSchema = Schema.NonEmptyString.annotations({
  message: (issue) => ({ message: `expected a non-empty string, got ${show(issue.actual)}`, override: true })
})

/** @internal */
export const TreeFlags = Schema.Struct({
  name: Schema.optionalWith(NameSchema, { exact: true }),
  strategy: Schema.optionalWith(StrategySchema, { exact: true }),
  maxRestarts: Schema.optionalWith(MaxRestartsSchema, { exact: true }),
  maxSeconds: Schema.optionalWith(MaxSecondsSchema, { exact: true }),
  autoShutdown: Schema.optionalWith(AutoShutdownSchema, { exact: true }),
  backoff: Schema.optionalWith(BackoffData, { exact: true }),
  resetBackoffAfter: Schema.optionalWith(DurationData, { exact: true }),
  children: ChildrenSchema
}).annotations({ identifier: "SupervisorTreeData", parseOptions: { onExcessProperty: "error" } })

// -----------------------------------------------------------------------------
// children
// -----------------------------------------------------------------------------

// `id`, `restart`, `shutdown`, `type` and `significant` are checked by `ChildSpec.DataSchema`
/** @internal */
export const specFields = {
  id: Schema.Unknown,
  restart: Schema.optionalWith(Schema.Unknown, { exact: true }),
  shutdown: Schema.optionalWith(Schema.Unknown, { exact: true }),
  significant: Schema.optionalWith(Schema.Unknown, { exact: true }),
  startTimeout: Schema.optionalWith(DurationData, { exact: true }),
  backoff: Schema.optionalWith(BackoffData, { exact: true }),
  resetBackoffAfter: Schema.optionalWith(DurationData, { exact: true })
}

/** @internal */
export const KindChildData = Schema.Struct({
  id: specFields.id,
  kind: Schema.String.annotations({
    message: (issue) => ({ message: `expected the name of a child kind, got ${show(issue.actual)}`, override: true })
  }),
  args: Schema.optionalWith(Schema.Unknown, { exact: true }),
  restart: specFields.restart,
  shutdown: specFields.shutdown,
  type: Schema.optionalWith(Schema.Unknown, { exact: true }),
  significant: specFields.significant,
  startTimeout: specFields.startTimeout,
  backoff: specFields.backoff,
  resetBackoffAfter: specFields.resetBackoffAfter
}).annotations({ identifier: "KindChildData", parseOptions: { onExcessProperty: "error" } })

/** @internal */
export const SupervisorChildData = Schema.Struct({
  id: specFields.id,
  supervisor: Schema.Unknown,
  restart: specFields.restart,
  shutdown: specFields.shutdown,
  significant: specFields.significant,
  startTimeout: specFields.startTimeout,
  backoff: specFields.backoff,
  resetBackoffAfter: specFields.resetBackoffAfter
}).annotations({ identifier: "SupervisorChildData", parseOptions: { onExcessProperty: "error" } })

/** @internal */
export const ChildObject = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  message: (issue) => ({
    message: `expected a child: an object with "id" and "kind" or "supervisor", got ${show(issue.actual)}`,
    override: true
  })
})
