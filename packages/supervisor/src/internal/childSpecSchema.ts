/**
 * The Schemas of a child spec's data part (restart type, child type, shutdown, the whole
 * data), with messages that name the field and the value.
 */
import * as Duration from "effect/Duration"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Data, DataEncoded, RestartType, Shutdown } from "../ChildSpec.js"
import * as internalIssue from "./issue.js"

/** @internal */
export const defaultWorkerShutdown = Duration.seconds(5)

/** @internal */
export const RestartTypeSchema = Schema.Literal("permanent", "transient", "temporary").annotations({
  message: internalIssue.literalsMessage(["permanent", "transient", "temporary"])
})

/** @internal */
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

/** @internal */
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

/**
 * A shutdown given as a number or a string, decoded as the Schema decodes it.
 * @internal
 */
export const decodeShutdownData = Schema.decodeOption(ShutdownSchema)

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

/** @internal */
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

/**
 * Checks a spec's data part, every field filled in.
 * @internal
 */
export const validateData = Schema.validateEither(DataTypeSchema)
