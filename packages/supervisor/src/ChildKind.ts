/**
 * Child kinds: supervision trees as data.
 *
 * A kind pairs a name, a Schema of its arguments and a start function. A tree written as
 * data (JSON, a configuration value) names kinds and gives their arguments; decoding it
 * with the kinds checks every field, fills in OTP's defaults and yields the
 * `Supervisor.Options` to start, or a `ParseError` whose issues point at the bad path
 * (`children[1].args.port`).
 *
 * The data of a tree:
 *
 * ```json
 * {
 *   "name": "app",
 *   "strategy": "one_for_one",
 *   "maxRestarts": 3,
 *   "maxSeconds": 5,
 *   "autoShutdown": "never",
 *   "backoff": { "base": "100 millis", "max": "10 seconds", "jitter": true },
 *   "resetBackoffAfter": "1 minute",
 *   "children": [
 *     { "id": "cache", "kind": "cache", "args": { "size": 100 }, "restart": "transient", "shutdown": 1000 },
 *     { "id": "db", "supervisor": { "strategy": "one_for_all", "children": [] }, "startTimeout": "5 seconds" }
 *   ]
 * }
 * ```
 *
 * Flags (all optional): `name` (the supervisor's name), `strategy` (`"one_for_one"` by
 * default, `"one_for_all"`, `"rest_for_one"`), `maxRestarts` (an integer >= 0, default 3)
 * and `maxSeconds` (a number > 0, default 5), giving the restart policy
 * `Restart.intensity(maxRestarts, maxSeconds seconds)`, `autoShutdown` (`"never"` by
 * default, `"any_significant"`, `"all_significant"`), and `backoff` (the options of
 * `Restart.backoff`: `base`, `factor`, `max`, `jitter`) and `resetBackoffAfter` for the
 * children whose data has none. A child is a kind child (`id`, `kind`, `args`, and the
 * spec fields `restart`, `shutdown`, `type`, `significant` of `ChildSpec.DataSchema`) or
 * a nested supervisor (`id`, `supervisor`: a tree, and `restart`, `shutdown`,
 * `significant`; its type is `"supervisor"` and its shutdown `"infinity"` by default);
 * both may have `startTimeout`, `backoff` and `resetBackoffAfter`. Durations are
 * milliseconds (`1500`) or duration strings (`"1.5 seconds"`).
 *
 * With `{ errors: "all" }` every issue is reported in one pass: a child's bad arguments
 * with its other bad fields, the children under a bad flag, duplicate ids with the rest.
 * {@link treeConfig} reads a tree from any `ConfigProvider`, as keys or as JSON.
 *
 * Unknown keys are rejected (in a kind's arguments too, unless the caller passes its own
 * `onExcessProperty` option), and so are duplicate child ids within one supervisor, a
 * significant child under a supervisor whose `autoShutdown` is `"never"`, and a
 * significant `permanent` child.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import type { Pipeable } from "effect/Pipeable"
import * as Schema from "effect/Schema"
import type { ParseOptions } from "effect/SchemaAST"
import type * as Scope from "effect/Scope"
import type * as ChildSpec from "./ChildSpec.js"
import * as internal from "./internal/childKind.js"
import * as internalChildSpec from "./internal/childSpec.js"
import * as internalIssue from "./internal/issue.js"
import * as internalTreeConfig from "./internal/treeConfig.js"
import type * as Process from "./Process.js"
import type * as Supervisor from "./Supervisor.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Spec fields a kind gives its children unless their data says otherwise, in the form
 * of the data (e.g. `{ type: "supervisor" }` for a kind whose start is a supervisor,
 * `{ restart: "temporary" }` for one-off tasks).
 *
 * @since 0.1.0
 * @category models
 */
export interface Defaults {
  readonly restart?: ChildSpec.RestartType
  readonly shutdown?: number | string
  readonly type?: ChildSpec.ChildType
  readonly significant?: boolean
}

/**
 * A child kind: children of this kind are started by `start` with arguments decoded by
 * `args`. Starting yields `A`, may fail with `E` and needs `R`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildKind<in out Args, out A = unknown, out E = unknown, out R = never> extends Pipeable {
  readonly [TypeId]: TypeId
  /** The name a tree's data uses for this kind (`"kind": "cache"`). */
  readonly name: string
  /** The Schema the arguments are decoded with (its encoded side is forgotten). */
  readonly args: Schema.Schema<Args, unknown>
  /** How to start one child of this kind (called once per child, when the tree is decoded). */
  readonly start: (args: Args) => Process.Spawn<A, E, R>
  /** Spec fields given to children whose data leaves them out. */
  readonly defaults: Defaults
}

/**
 * Any child kind, whatever its arguments.
 *
 * @since 0.1.0
 * @category models
 */
export interface Any extends Pipeable {
  readonly [TypeId]: TypeId
  readonly name: string
  readonly args: Schema.Schema.AnyNoContext
  readonly start: (args: never) => Process.Spawn<unknown, unknown, unknown>
  readonly defaults: Defaults
}

/**
 * What starting children of a kind needs.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Context<K> = K extends ChildKind<infer _Args, infer _A, infer _E, infer R> ? R : never

/**
 * `true` for a child kind (a `ChildKind` value).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isChildKind = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u

/**
 * Defines a child kind from a name, a Schema of its arguments and a start function. The
 * start function returns an effect (the child's body, as in `ChildSpec.make`: it may use
 * a `Scope` and `Process.Self`) or a `Process.Spawn` (a GenServer, a supervisor, a
 * process with an `init`). It is called once per child when a tree is decoded; what it
 * returns is run for every incarnation of the child.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind } from "@effect-otp/supervisor"
 *
 * const poller = ChildKind.make(
 *   "poller",
 *   Schema.Struct({ url: Schema.String, everySeconds: Schema.Number }),
 *   ({ everySeconds, url }) =>
 *     Effect.log(`polling ${url}`).pipe(Effect.delay(`${everySeconds} seconds`), Effect.forever)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export function make<Args, I, A, E, R>(
  name: string,
  args: Schema.Schema<Args, I>,
  start: (args: Args) => Process.Spawn<A, E, R>,
  defaults?: Defaults
): ChildKind<Args, A, E, R>
export function make<Args, I, E, R>(
  name: string,
  args: Schema.Schema<Args, I>,
  start: (args: Args) => Effect.Effect<unknown, E, R>,
  defaults?: Defaults
): ChildKind<Args, Process.ProcessRef, never, Exclude<R, Scope.Scope | Process.Self>>
export function make(
  name: string,
  args: Schema.Schema.AnyNoContext,
  start: (args: never) => unknown,
  defaults?: Defaults
): Any {
  const given: { -readonly [K in keyof Defaults]: Defaults[K] } = {}
  if (defaults?.restart !== undefined) given.restart = defaults.restart
  if (defaults?.shutdown !== undefined) given.shutdown = defaults.shutdown
  if (defaults?.type !== undefined) given.type = defaults.type
  if (defaults?.significant !== undefined) given.significant = defaults.significant
  return internal.make(name, args, start, given)
}

/**
 * A child of a tree as data: a child of a kind, or a nested supervisor.
 *
 * @since 0.1.0
 * @category models
 */
export type ChildData = KindChildData | SupervisorChildData

/**
 * A child of a kind, as data.
 *
 * @since 0.1.0
 * @category models
 */
export interface KindChildData extends ChildSpec.DataEncoded, TimingData {
  /** The name of a kind. */
  readonly kind: string
  /** The kind's arguments, in its Schema's encoded form (absent means `undefined`). */
  readonly args?: unknown
}

/**
 * A nested supervisor, as data. Its type is `"supervisor"`, its shutdown `"infinity"`
 * unless given.
 *
 * @since 0.1.0
 * @category models
 */
export interface SupervisorChildData extends Omit<ChildSpec.DataEncoded, "type">, TimingData {
  readonly supervisor: TreeData
}

/**
 * A duration as data: a number of milliseconds (`1500`) or a duration string
 * (`"1.5 seconds"`, `"100 millis"`).
 *
 * @since 0.3.0
 * @category models
 */
export type DurationData = number | Duration.DurationInput & string

/**
 * The options of `Restart.backoff` as data: `base * factor^n` (factor 2 by default),
 * optionally jittered, capped at `max`.
 *
 * @since 0.3.0
 * @category models
 */
export interface BackoffData {
  readonly base: DurationData
  /** Default 2: a number >= 1. */
  readonly factor?: number
  readonly max?: DurationData
  readonly jitter?: boolean
}

/**
 * The timing fields of a child's spec, as data: `startTimeout`, `backoff`,
 * `resetBackoffAfter` (see `ChildSpec.Options`).
 *
 * @since 0.3.0
 * @category models
 */
export interface TimingData {
  readonly startTimeout?: DurationData
  readonly backoff?: BackoffData
  readonly resetBackoffAfter?: DurationData
}

/**
 * A supervision tree as data.
 *
 * @since 0.1.0
 * @category models
 */
export interface TreeData {
  /** The supervisor's name (see `Supervisor.Options`). */
  readonly name?: string
  /** Default `"one_for_one"`. */
  readonly strategy?: Supervisor.Strategy
  /** Default 3: an integer >= 0. */
  readonly maxRestarts?: number
  /** Default 5: a number > 0. */
  readonly maxSeconds?: number
  /** Default `"never"`. */
  readonly autoShutdown?: Supervisor.AutoShutdown
  /** A backoff for the children whose data has none. */
  readonly backoff?: BackoffData
  /** A backoff reset for the children whose data has none. */
  readonly resetBackoffAfter?: DurationData
  readonly children: ReadonlyArray<ChildData>
}

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

/**
 * A child spec of a kind, from the kind and its arguments (already of the kind's Schema's
 * type): what `DynamicSupervisor.startChild` or `Supervisor.startChild` takes, as a tree's
 * data gives a kind and its arguments. The kind's defaults apply to the fields `options`
 * leaves out. Arguments that come as data are decoded first, with the kind's Schema
 * (`Schema.decodeUnknown(kind.args)`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const upload = ChildKind.make(
 *   "upload",
 *   Schema.Struct({ file: Schema.String }),
 *   ({ file }) => Effect.log(`uploading ${file}`),
 *   { restart: "temporary" }
 * )
 *
 * const program = Effect.gen(function*() {
 *   const uploads = yield* DynamicSupervisor.start()
 *   yield* DynamicSupervisor.startChild(uploads, ChildKind.childSpec(upload, { file: "a.png" }, { id: "upload:a.png" }))
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const childSpec = <Args, A, E, R>(
  kind: ChildKind<Args, A, E, R>,
  args: Args,
  options: ChildSpec.Options
): ChildSpec.ChildSpec<A, E, R> =>
  internalChildSpec.make({
    ...options,
    restart: options.restart ?? kind.defaults.restart,
    // a kind's default shutdown is data (milliseconds or a duration string), read as `make` reads it
    shutdown: options.shutdown ?? (kind.defaults.shutdown as ChildSpec.Options["shutdown"]),
    type: options.type ?? kind.defaults.type,
    significant: options.significant ?? kind.defaults.significant,
    start: kind.start(args)
  }) as ChildSpec.ChildSpec<A, E, R>
