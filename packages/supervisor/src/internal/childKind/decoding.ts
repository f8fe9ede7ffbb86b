/**
 * Decoding a supervision tree written as data with child kinds: as a Schema, from an
 * unknown value or a JSON string, from configuration; and its errors, formatted.
 */
import type * as Config from "effect/Config"
import type * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { ParseOptions } from "effect/SchemaAST"
import type * as Supervisor from "../../Supervisor.js"
import * as internalIssue from "../issue.js"
import type { Any, Context } from "./kind.js"
import * as internalTreeConfig from "./treeConfig.js"
import type { TreeData } from "./treeData.js"
import * as internal from "./treeSchema.js"

/**
 * The Schema of a supervision tree written with these kinds: decoding yields the
 * options to give to `Supervisor.start` (or `Supervisor.layer`); encoding is not
 * supported. Use it to embed a tree in a larger Schema of your configuration.
 * Throws if two kinds have the same name.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind } from "@effect-otp/supervisor"
 *
 * const worker = ChildKind.make("worker", Schema.Struct({ queue: Schema.String }), ({ queue }) =>
 *   Effect.log(`consuming ${queue}`).pipe(Effect.forever))
 *
 * const AppConfig = Schema.Struct({
 *   port: Schema.Number,
 *   supervision: ChildKind.treeSchema([worker])
 * })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const treeSchema = <const Kinds extends ReadonlyArray<Any>>(
  kinds: Kinds
): Schema.Schema<Supervisor.Options<Context<Kinds[number]>>, TreeData> =>
  // the children's requirements are the kinds' requirements, which the data cannot change
  internal.treeSchema(kinds) as unknown as Schema.Schema<Supervisor.Options<Context<Kinds[number]>>, TreeData>

/**
 * Decodes a supervision tree written as data (a parsed JSON value, say) with these
 * kinds. Fails with a `ParseError` whose issues point at the bad path (see
 * {@link formatError}): an unknown kind at `children[0].kind`, bad arguments under
 * `children[0].args`, a negative shutdown at `children[0].shutdown`, a bad flag at
 * `maxRestarts`, a duplicate id at `children[2].id`, a bad field of a nested
 * supervisor at `children[1].supervisor.children[0]...`. Pass
 * `{ errors: "all" }` to get every issue rather than the first.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind, Supervisor } from "@effect-otp/supervisor"
 *
 * const echo = ChildKind.make("echo", Schema.Struct({ text: Schema.String }), ({ text }) =>
 *   Effect.log(text).pipe(Effect.zipRight(Effect.never)))
 *
 * const program = Effect.gen(function*() {
 *   const options = yield* ChildKind.decodeTree([echo])({
 *     strategy: "one_for_all",
 *     children: [{ id: "hello", kind: "echo", args: { text: "hello" } }]
 *   })
 *   const supervisor = yield* Supervisor.start(options)
 *   return yield* Supervisor.whichChildren(supervisor)
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeTree = <const Kinds extends ReadonlyArray<Any>>(
  kinds: Kinds
): (
  input: unknown,
  options?: ParseOptions
) => Effect.Effect<Supervisor.Options<Context<Kinds[number]>>, ParseResult.ParseError> =>
  Schema.decodeUnknown(treeSchema(kinds))

/**
 * Decodes a supervision tree from a JSON string with these kinds, as {@link decodeTree};
 * a string that is not JSON fails with `invalid JSON: ...` at the root.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind, Supervisor } from "@effect-otp/supervisor"
 *
 * const sleeper = ChildKind.make("sleeper", Schema.Void, () => Effect.never)
 *
 * const program = ChildKind.decodeTreeJson([sleeper])(
 *   `{ "children": [{ "id": "a", "kind": "sleeper" }] }`
 * ).pipe(Effect.flatMap(Supervisor.start), Effect.scoped)
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeTreeJson = <const Kinds extends ReadonlyArray<Any>>(
  kinds: Kinds
): (
  json: string,
  options?: ParseOptions
) => Effect.Effect<Supervisor.Options<Context<Kinds[number]>>, ParseResult.ParseError> =>
  Schema.decodeUnknown(internal.treeJsonSchema(kinds)) as (
    json: string,
    options?: ParseOptions
  ) => Effect.Effect<Supervisor.Options<Context<Kinds[number]>>, ParseResult.ParseError>

/**
 * Reads a supervision tree from configuration at `name`, with these kinds. The value is
 * either the tree's data as keys under `name`, as any structured `ConfigProvider` gives
 * them (`ConfigProvider.fromJson`, environment variables with a path delimiter), or a
 * JSON string holding the data. Values read as strings are given the types the tree
 * and each kind's arguments expect (`"3"` for `maxRestarts` is 3, `"true"` for
 * `significant` is true), an object or array may also be given as a JSON string (an
 * `ARGS` variable holding `{"size":100}`), and keys match without regard to case or `_`
 * (`MAX_RESTARTS` is `maxRestarts`). Array indices are keys `0`, `1`, … (or `[0]`, …).
 *
 * A bad tree is a `ConfigError.InvalidData` at `name` whose message lists every issue,
 * one per line, as `path: message`
 * (`children[0].kind: unknown child kind "nope", expected one of: "echo"`); a missing
 * one is missing data (so `Config.withDefault` and `Config.option` apply).
 *
 * **Example**
 *
 * ```ts
 * import { Config, ConfigProvider, Effect, Schema } from "effect"
 * import { ChildKind, Supervisor } from "@effect-otp/supervisor"
 *
 * const cache = ChildKind.make("cache", Schema.Struct({ size: Schema.Number }), () => Effect.never)
 *
 * // APP__SUPERVISION__STRATEGY=one_for_all
 * // APP__SUPERVISION__CHILDREN__0__ID=cache
 * // APP__SUPERVISION__CHILDREN__0__KIND=cache
 * // APP__SUPERVISION__CHILDREN__0__ARGS__SIZE=100
 * const program = Effect.gen(function*() {
 *   const options = yield* ChildKind.treeConfig([cache], "SUPERVISION").pipe(Config.nested("APP"))
 *   return yield* Supervisor.start(options)
 * }).pipe(Effect.withConfigProvider(ConfigProvider.fromEnv({ pathDelim: "__" })), Effect.scoped)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const treeConfig = <const Kinds extends ReadonlyArray<Any>>(
  kinds: Kinds,
  name: string
): Config.Config<Supervisor.Options<Context<Kinds[number]>>> =>
  // the children's requirements are the kinds' requirements, which the data cannot change
  internalTreeConfig.treeConfig(kinds, name) as Config.Config<Supervisor.Options<Context<Kinds[number]>>>

/**
 * A parse error as one line per issue, `path: message`, e.g.
 * `children[1].supervisor.children[0].args.port: Expected number, actual "80"`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatError = (error: ParseResult.ParseError): string => internalIssue.formatIssue(error.issue)
