/**
 * A child kind: a name, a Schema of its arguments and a start function; and the child
 * specs of a kind.
 */
import type * as Effect from "effect/Effect"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as ChildSpec from "../../ChildSpec.js"
import * as Process from "../../Process.js"
import * as internalChildSpec from "../childSpec.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/supervisor/ChildKind")

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
  return makeKind(name, args, start, given)
}

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toJSON(this: Any) {
    return { _id: "ChildKind", name: this.name, defaults: this.defaults }
  }
}

/** A kind from its parts, its defaults given as they were given. */
const makeKind = (
  name: string,
  args: Schema.Schema.AnyNoContext,
  start: (args: never) => unknown,
  defaults: Defaults
): Any => {
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
