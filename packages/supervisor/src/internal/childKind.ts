import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import { pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type * as ChildKind from "../ChildKind.js"
import * as ChildSpec from "../ChildSpec.js"
import * as Process from "../Process.js"
import * as Restart from "../Restart.js"
import * as Supervisor from "../Supervisor.js"
import { formatPath, literalsMessage, show } from "./issue.js"

/** @internal */
export const TypeId: ChildKind.TypeId = Symbol.for("@effect-otp/supervisor/ChildKind") as ChildKind.TypeId

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toJSON(this: ChildKind.Any) {
    return { _id: "ChildKind", name: this.name, defaults: this.defaults }
  }
}

/** @internal */
export const make = (
  name: string,
  args: Schema.Schema.AnyNoContext,
  start: (args: never) => unknown,
  defaults: ChildKind.Defaults
): ChildKind.Any => {
  const self = Object.create(Proto)
  self.name = name
  self.args = args
  self.start = (decoded: never) => {
    const started = start(decoded)
    return Process.isSpawn(started) ? started : Process.fromEffect(started as Effect.Effect<unknown, unknown, unknown>)
  }
  self.defaults = defaults
  return self
}

// -----------------------------------------------------------------------------
// supervisor flags
// -----------------------------------------------------------------------------

const StrategySchema = Schema.Literal("one_for_one", "one_for_all", "rest_for_one").annotations({
  message: literalsMessage(["one_for_one", "one_for_all", "rest_for_one"])
})

const AutoShutdownSchema = Schema.Literal("never", "any_significant", "all_significant").annotations({
  message: literalsMessage(["never", "any_significant", "all_significant"])
})

const MaxRestartsSchema = Schema.Number.pipe(
  Schema.filter((n) => Number.isInteger(n) && n >= 0)
).annotations({
  message: (issue) => ({ message: `expected an integer >= 0, got ${show(issue.actual)}`, override: true })
})

const MaxSecondsSchema = Schema.Number.pipe(
  Schema.filter((n) => Number.isFinite(n) && n > 0)
).annotations({
  message: (issue) => ({ message: `expected a number of seconds > 0, got ${show(issue.actual)}`, override: true })
})

const ChildrenSchema = Schema.Array(Schema.Unknown).annotations({
  message: (issue) => ({ message: `expected an array of children, got ${show(issue.actual)}`, override: true })
})

const TreeFlags = Schema.Struct({
  strategy: Schema.optionalWith(StrategySchema, { exact: true }),
  maxRestarts: Schema.optionalWith(MaxRestartsSchema, { exact: true }),
  maxSeconds: Schema.optionalWith(MaxSecondsSchema, { exact: true }),
  autoShutdown: Schema.optionalWith(AutoShutdownSchema, { exact: true }),
  children: ChildrenSchema
}).annotations({ identifier: "SupervisorTreeData", parseOptions: { onExcessProperty: "error" } })

// -----------------------------------------------------------------------------
// children
// -----------------------------------------------------------------------------

const specFields = {
  id: Schema.Unknown,
  restart: Schema.optionalWith(Schema.Unknown, { exact: true }),
  shutdown: Schema.optionalWith(Schema.Unknown, { exact: true }),
  significant: Schema.optionalWith(Schema.Unknown, { exact: true })
}

const KindChildData = Schema.Struct({
  id: specFields.id,
  kind: Schema.String.annotations({
    message: (issue) => ({ message: `expected the name of a child kind, got ${show(issue.actual)}`, override: true })
  }),
  args: Schema.optionalWith(Schema.Unknown, { exact: true }),
  restart: specFields.restart,
  shutdown: specFields.shutdown,
  type: Schema.optionalWith(Schema.Unknown, { exact: true }),
  significant: specFields.significant
}).annotations({ identifier: "KindChildData", parseOptions: { onExcessProperty: "error" } })

const SupervisorChildData = Schema.Struct({
  id: specFields.id,
  supervisor: Schema.Unknown,
  restart: specFields.restart,
  shutdown: specFields.shutdown,
  significant: specFields.significant
}).annotations({ identifier: "SupervisorChildData", parseOptions: { onExcessProperty: "error" } })

const ChildObject = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  message: (issue) => ({
    message: `expected a child: an object with "id" and "kind" or "supervisor", got ${show(issue.actual)}`,
    override: true
  })
})

type AnySpec = ChildSpec.ChildSpec<unknown, unknown, unknown>

const pick = (
  input: { readonly [key: string]: unknown },
  keys: ReadonlyArray<string>
): { [key: string]: unknown } => {
  const out: { [key: string]: unknown } = {}
  for (const key of keys) {
    if (Object.hasOwn(input, key)) out[key] = input[key]
  }
  return out
}

const knownKinds = (kinds: ReadonlyMap<string, ChildKind.Any>): string =>
  kinds.size === 0 ? "none" : Array.from(kinds.keys(), (name) => JSON.stringify(name)).join(", ")

const significantUnderNever = (
  child: { readonly [key: string]: unknown },
  autoShutdown: Supervisor.AutoShutdown
): ParseResult.ParseIssue | undefined =>
  child.significant === true && autoShutdown === "never"
    ? new ParseResult.Pointer(
      "significant",
      child,
      new ParseResult.Type(
        Schema.Boolean.ast,
        true,
        "a significant child needs a supervisor with autoShutdown \"any_significant\" or \"all_significant\""
      )
    )
    : undefined

const decodeChild = (
  kinds: ReadonlyMap<string, ChildKind.Any>,
  tree: Schema.Schema<Supervisor.Options<unknown>, ChildKind.TreeData>,
  autoShutdown: Supervisor.AutoShutdown,
  input: unknown,
  options: AST.ParseOptions
): Effect.Effect<AnySpec, ParseResult.ParseIssue> =>
  Effect.gen(function*() {
    const child = yield* ParseResult.decodeUnknown(ChildObject)(input, options)
    if (Object.hasOwn(child, "supervisor")) {
      const fields = yield* ParseResult.decodeUnknown(SupervisorChildData)(child, options)
      const significant = significantUnderNever(child, autoShutdown)
      if (significant !== undefined) return yield* Effect.fail(significant)
      const data = yield* ParseResult.decodeUnknown(ChildSpec.DataSchema)(
        { ...pick(child, ["id", "restart", "shutdown", "significant"]), type: "supervisor" },
        options
      )
      const nested = yield* Effect.mapError(
        ParseResult.decodeUnknown(tree)(fields.supervisor, options),
        (issue) => new ParseResult.Pointer("supervisor", child, issue)
      )
      return ChildSpec.fromData(data, Supervisor.spawn(nested))
    }
    const fields = yield* ParseResult.decodeUnknown(KindChildData)(child, options)
    const kind = kinds.get(fields.kind)
    if (kind === undefined) {
      return yield* Effect.fail(
        new ParseResult.Pointer(
          "kind",
          child,
          new ParseResult.Type(
            Schema.String.ast,
            fields.kind,
            `unknown child kind ${JSON.stringify(fields.kind)}, expected one of: ${knownKinds(kinds)}`
          )
        )
      )
    }
    const significant = significantUnderNever(child, autoShutdown)
    if (significant !== undefined) return yield* Effect.fail(significant)
    const data = yield* ParseResult.decodeUnknown(ChildSpec.DataSchema)(
      { ...kind.defaults, ...pick(child, ["id", "restart", "shutdown", "type", "significant"]) },
      options
    )
    const hasArgs = Object.hasOwn(child, "args")
    const args = yield* Effect.mapError(
      ParseResult.decodeUnknown(kind.args)(fields.args, { onExcessProperty: "error", ...options }),
      (issue) =>
        new ParseResult.Pointer(
          "args",
          child,
          hasArgs
            ? issue
            : new ParseResult.Missing(
              new AST.Type(kind.args.ast),
              `is missing (kind ${JSON.stringify(kind.name)} needs arguments)`
            )
        )
    )
    return ChildSpec.fromData(data, kind.start(args as never))
  })

const duplicateIds = (
  ids: ReadonlyArray<string>,
  children: ReadonlyArray<unknown>
): Array<ParseResult.ParseIssue> => {
  const first = new Map<string, number>()
  const issues: Array<ParseResult.ParseIssue> = []
  ids.forEach((id, index) => {
    const previous = first.get(id)
    if (previous === undefined) {
      first.set(id, index)
      return
    }
    issues.push(
      new ParseResult.Pointer(
        ["children", index, "id"],
        children,
        new ParseResult.Type(
          Schema.String.ast,
          id,
          `duplicate child id ${JSON.stringify(id)}: ${formatPath(["children", previous])} has the same id`
        )
      )
    )
  })
  return issues
}

const isOptions = (u: unknown): u is Supervisor.Options<unknown> => Predicate.isRecord(u)

const OptionsSchema = Schema.declare(isOptions, { identifier: "Supervisor.Options" })

/** @internal */
export const treeSchema = (
  kinds: ReadonlyArray<ChildKind.Any>
): Schema.Schema<Supervisor.Options<unknown>, ChildKind.TreeData> => {
  const byName = new Map<string, ChildKind.Any>()
  for (const kind of kinds) {
    if (byName.has(kind.name)) throw new Error(`two child kinds are named ${JSON.stringify(kind.name)}`)
    byName.set(kind.name, kind)
  }
  const self: Schema.Schema<Supervisor.Options<unknown>, ChildKind.TreeData> = Schema.transformOrFail(
    TreeFlags,
    OptionsSchema,
    {
      strict: true,
      decode: (flags, options) =>
        Effect.gen(function*() {
          const autoShutdown = flags.autoShutdown ?? "never"
          const all = options.errors === "all"
          const issues: Array<ParseResult.ParseIssue> = []
          const children: Array<AnySpec> = []
          for (let index = 0; index < flags.children.length; index++) {
            const decoded = yield* Effect.either(
              decodeChild(byName, self, autoShutdown, flags.children[index], options)
            )
            if (Either.isRight(decoded)) {
              children.push(decoded.right)
              continue
            }
            issues.push(new ParseResult.Pointer(["children", index], flags.children, decoded.left))
            if (!all) break
          }
          if (issues.length === 0) {
            for (const issue of duplicateIds(children.map((child) => child.id), flags.children)) issues.push(issue)
          }
          if (issues.length > 0) {
            return yield* Effect.fail(
              issues.length === 1 || !all
                ? issues[0]
                : new ParseResult.Composite(TreeFlags.ast, flags, [issues[0], ...issues.slice(1)])
            )
          }
          const result: Supervisor.Options<unknown> = {
            strategy: flags.strategy ?? "one_for_one",
            autoShutdown,
            restartPolicy: Restart.intensity(flags.maxRestarts ?? 3, Duration.seconds(flags.maxSeconds ?? 5)),
            children
          }
          return result
        }),
      encode: (decoded, _, ast) =>
        ParseResult.fail(
          new ParseResult.Forbidden(
            ast,
            decoded,
            "a supervision tree decoded into specs cannot be encoded back to data"
          )
        )
    }
  ).annotations({ identifier: "SupervisorTree" }) as unknown as Schema.Schema<
    Supervisor.Options<unknown>,
    ChildKind.TreeData
  >
  return self
}

const JsonString = Schema.transformOrFail(Schema.String, Schema.Unknown, {
  strict: true,
  decode: (input, _, ast) =>
    ParseResult.try({
      try: (): unknown => JSON.parse(input),
      catch: (error) =>
        new ParseResult.Type(ast, input, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`)
    }),
  encode: (value, _, ast) =>
    ParseResult.try({
      try: () => JSON.stringify(value),
      catch: (error) => new ParseResult.Type(ast, value, error instanceof Error ? error.message : String(error))
    })
}).annotations({ identifier: "JsonString" })

/** @internal */
export const treeJsonSchema = (
  kinds: ReadonlyArray<ChildKind.Any>
): Schema.Schema<Supervisor.Options<unknown>, string> => Schema.compose(JsonString, treeSchema(kinds))
