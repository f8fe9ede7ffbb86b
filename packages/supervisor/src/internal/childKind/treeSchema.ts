import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type * as ChildKind from "../../ChildKind.js"
import * as ChildSpec from "../../ChildSpec.js"
import * as Restart from "../../Restart.js"
import * as Supervisor from "../../Supervisor.js"
import { make as makeSpec } from "../childSpec.js"
import { formatIssueLines, formatPath } from "../issue.js"
import {
  AutoShutdownSchema,
  BackoffData,
  backoffOf,
  ChildObject,
  KindChildData,
  SupervisorChildData,
  TreeFlags
} from "./treeDataSchema.js"

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
  autoShutdown: Supervisor.AutoShutdown | undefined
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

/** The issues of one child, each once (the shapes and the spec data may see one missing `id`). */
const childIssue = (
  child: { readonly [key: string]: unknown },
  issues: ReadonlyArray<ParseResult.ParseIssue>
): ParseResult.ParseIssue => {
  const seen = new Set<string>()
  const unique = issues.filter((issue) => {
    const key = formatIssueLines(issue).join("\n")
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return unique.length === 1
    ? unique[0]
    : new ParseResult.Composite(KindChildData.ast, child, [unique[0], ...unique.slice(1)])
}

type Extras = {
  readonly startTimeout?: Duration.Duration
  readonly backoff?: typeof BackoffData.Type
  readonly resetBackoffAfter?: Duration.Duration
}

const specOf = (data: ChildSpec.Data, start: unknown, extras: Extras | undefined): AnySpec =>
  extras === undefined || (extras.startTimeout === undefined && extras.backoff === undefined &&
      extras.resetBackoffAfter === undefined)
    ? ChildSpec.fromData(data, start as AnySpec["start"])
    : makeSpec({
      ...data,
      start,
      startTimeout: extras.startTimeout,
      backoff: extras.backoff === undefined ? undefined : backoffOf(extras.backoff),
      resetBackoffAfter: extras.resetBackoffAfter
    })

/**
 * Decodes one child. With `errors: "all"` every check runs and the child fails with all
 * its issues (bad arguments together with a bad restart type, say); otherwise with the
 * first, in the order: shape, kind, significance, spec fields, arguments.
 */
const decodeChild = (
  kinds: ReadonlyMap<string, ChildKind.Any>,
  tree: Schema.Schema<Supervisor.Options<unknown>, ChildKind.TreeData>,
  autoShutdown: Supervisor.AutoShutdown | undefined,
  input: unknown,
  options: AST.ParseOptions
): Effect.Effect<AnySpec, ParseResult.ParseIssue> =>
  Effect.gen(function*() {
    const all = options.errors === "all"
    const child = yield* ParseResult.decodeUnknown(ChildObject)(input, options)
    const issues: Array<ParseResult.ParseIssue> = []
    const attempt = <A>(effect: Effect.Effect<A, ParseResult.ParseIssue>) =>
      Effect.map(Effect.either(effect), (result) => {
        if (Either.isRight(result)) return result.right
        issues.push(result.left)
        return undefined
      })
    const check = (issue: ParseResult.ParseIssue | undefined) => {
      if (issue !== undefined) issues.push(issue)
    }
    const failed = () => issues.length > 0 && !all
    if (Object.hasOwn(child, "supervisor")) {
      const fields = yield* attempt(ParseResult.decodeUnknown(SupervisorChildData)(child, options))
      if (failed()) return yield* Effect.fail(issues[0])
      check(significantUnderNever(child, autoShutdown))
      if (failed()) return yield* Effect.fail(issues[0])
      const data = yield* attempt(
        ParseResult.decodeUnknown(ChildSpec.DataSchema)(
          { ...pick(child, ["id", "restart", "shutdown", "significant"]), type: "supervisor" },
          options
        )
      )
      if (failed()) return yield* Effect.fail(issues[0])
      const nested = yield* attempt(Effect.mapError(
        ParseResult.decodeUnknown(tree)(child.supervisor, options),
        (issue) => new ParseResult.Pointer("supervisor", child, issue)
      ))
      if (issues.length > 0) return yield* Effect.fail(childIssue(child, issues))
      return specOf(data!, Supervisor.spawn(nested!), fields)
    }
    const fields = yield* attempt(ParseResult.decodeUnknown(KindChildData)(child, options))
    if (failed()) return yield* Effect.fail(issues[0])
    const kindName = typeof child.kind === "string" ? child.kind : undefined
    const kind = kindName === undefined ? undefined : kinds.get(kindName)
    if (kindName !== undefined && kind === undefined) {
      check(
        new ParseResult.Pointer(
          "kind",
          child,
          new ParseResult.Type(
            Schema.String.ast,
            kindName,
            `unknown child kind ${JSON.stringify(kindName)}, expected one of: ${knownKinds(kinds)}`
          )
        )
      )
    }
    if (failed()) return yield* Effect.fail(issues[0])
    check(significantUnderNever(child, autoShutdown))
    if (failed()) return yield* Effect.fail(issues[0])
    const data = yield* attempt(
      ParseResult.decodeUnknown(ChildSpec.DataSchema)(
        { ...kind?.defaults, ...pick(child, ["id", "restart", "shutdown", "type", "significant"]) },
        options
      )
    )
    if (failed()) return yield* Effect.fail(issues[0])
    if (kind === undefined) return yield* Effect.fail(childIssue(child, issues))
    const hasArgs = Object.hasOwn(child, "args")
    const args = yield* attempt(Effect.mapError(
      ParseResult.decodeUnknown(kind.args)(child.args, { onExcessProperty: "error", ...options }),
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
    ))
    if (issues.length > 0) return yield* Effect.fail(childIssue(child, issues))
    return specOf(data!, kind.start(args as never), fields)
  })

const duplicateIds = (
  ids: ReadonlyArray<string | undefined>,
  children: ReadonlyArray<unknown>
): Array<ParseResult.ParseIssue> => {
  const first = new Map<string, number>()
  const issues: Array<ParseResult.ParseIssue> = []
  ids.forEach((id, index) => {
    if (id === undefined) return
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
    Schema.Unknown,
    OptionsSchema,
    {
      strict: true,
      decode: (input, options) =>
        Effect.gen(function*() {
          const all = options.errors === "all"
          const issues: Array<ParseResult.ParseIssue> = []
          // the flags first; with errors: "all" the children are decoded even under bad flags
          const decodedFlags = yield* Effect.either(ParseResult.decodeUnknown(TreeFlags)(input, options))
          if (Either.isLeft(decodedFlags)) {
            if (!all || !Predicate.isRecord(input)) return yield* Effect.fail(decodedFlags.left)
            issues.push(decodedFlags.left)
          }
          const flags = Either.getOrUndefined(decodedFlags)
          const raw: { readonly [key: string]: unknown } = Predicate.isRecord(input) ? input : {}
          const inputs: ReadonlyArray<unknown> = flags?.children ?? (Array.isArray(raw.children) ? raw.children : [])
          // an unreadable autoShutdown leaves the significance of the children unchecked
          const autoShutdown = flags !== undefined
            ? flags.autoShutdown ?? "never"
            : raw.autoShutdown === undefined
            ? "never"
            : Schema.is(AutoShutdownSchema)(raw.autoShutdown)
            ? raw.autoShutdown
            : undefined
          const children: Array<AnySpec> = []
          for (let index = 0; index < inputs.length; index++) {
            const decoded = yield* Effect.either(decodeChild(byName, self, autoShutdown, inputs[index], options))
            if (Either.isRight(decoded)) {
              children.push(decoded.right)
              continue
            }
            issues.push(new ParseResult.Pointer(["children", index], inputs, decoded.left))
            if (!all) break
          }
          if (issues.length === 0 || all) {
            const ids = inputs.map((child) =>
              Predicate.isRecord(child) && typeof child.id === "string" && child.id !== "" ? child.id : undefined
            )
            for (const issue of duplicateIds(ids, inputs)) issues.push(issue)
          }
          if (issues.length > 0) {
            return yield* Effect.fail(
              issues.length === 1 || !all
                ? issues[0]
                : new ParseResult.Composite(TreeFlags.ast, input, [issues[0], ...issues.slice(1)])
            )
          }
          const result: Supervisor.Options<unknown> = {
            strategy: flags!.strategy ?? "one_for_one",
            autoShutdown: flags!.autoShutdown ?? "never",
            restartPolicy: Restart.intensity(flags!.maxRestarts ?? 3, Duration.seconds(flags!.maxSeconds ?? 5)),
            children,
            ...(flags!.name === undefined ? {} : { name: flags!.name }),
            ...(flags!.backoff === undefined ? {} : { backoff: backoffOf(flags!.backoff) }),
            ...(flags!.resetBackoffAfter === undefined ? {} : { resetBackoffAfter: flags!.resetBackoffAfter })
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

const syntaxError = (issue: ParseResult.ParseIssue): string =>
  issue._tag === "Transformation"
    ? syntaxError(issue.issue)
    : issue._tag === "Type" && issue.message !== undefined
    ? issue.message
    : "not a string"

/** JSON text, through `Schema.parseJson`; a syntax error reads `invalid JSON: …`. */
const JsonString = Schema.parseJson().annotations({
  identifier: "JsonString",
  message: (issue) => ({ message: `invalid JSON: ${syntaxError(issue)}`, override: true })
})

/** @internal */
export const treeJsonSchema = (
  kinds: ReadonlyArray<ChildKind.Any>
): Schema.Schema<Supervisor.Options<unknown>, string> => Schema.compose(JsonString, treeSchema(kinds))
