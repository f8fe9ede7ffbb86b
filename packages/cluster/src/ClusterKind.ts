/**
 * Cluster kinds: what a runner needs to host children of one kind.
 *
 * Code cannot travel between runners, so a cluster child is named by a kind registered on
 * every runner: a `ChildKind` (a name, a Schema of arguments and a start), the Schemas of
 * the messages it answers (calls, with their replies and errors, and casts), the handlers
 * that turn a message into work for the running child, and the restart policy (a
 * `Schedule`, as in the local supervisors: `Restart.intensity`, `Restart.backoff`).
 *
 * @since 0.1.0
 */
import type { ChildKind } from "@effect-otp/supervisor"
import { Restart } from "@effect-otp/supervisor"
import * as Effect from "effect/Effect"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/cluster/ClusterKind")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A kind of cluster child. `A` is what the child's start returns (e.g. a GenServer ref),
 * `Req`/`Rep`/`Err` a call, its reply and its typed error, `Cast` a cast, `R` what
 * starting and handling need on every runner.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClusterKind<in out Args, in out A, in out Req, in out Rep, in out Err, in out Cast, out R>
  extends Pipeable
{
  readonly [TypeId]: TypeId
  /** The kind's name (the child kind's). */
  readonly name: string
  readonly kind: ChildKind.ChildKind<Args, A, unknown, R>
  readonly request: Schema.Schema<Req, unknown>
  readonly reply: Schema.Schema<Rep, unknown>
  readonly error: Schema.Schema<Err, unknown>
  readonly cast: Schema.Schema<Cast, unknown>
  /** Answers a call with the running incarnation's value. A failure that is not an `Err` is a `CallFailed`. */
  readonly handleCall: (child: A, request: Req) => Effect.Effect<Rep, unknown, R>
  readonly handleCast: (child: A, message: Cast) => Effect.Effect<void, unknown, R>
  /** The restart policy of each child of this kind (default `Restart.defaultPolicy`: 3 restarts in 5 s). */
  readonly restartPolicy: Restart.Policy
}

/**
 * Any cluster kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface Any extends Pipeable {
  readonly [TypeId]: TypeId
  readonly name: string
  readonly kind: ChildKind.Any
  readonly request: Schema.Schema.AnyNoContext
  readonly reply: Schema.Schema.AnyNoContext
  readonly error: Schema.Schema.AnyNoContext | Schema.Schema<never, unknown>
  readonly cast: Schema.Schema.AnyNoContext | Schema.Schema<never, unknown>
  readonly handleCall: (child: never, request: never) => Effect.Effect<unknown, unknown, unknown>
  readonly handleCast: (child: never, message: never) => Effect.Effect<void, unknown, unknown>
  readonly restartPolicy: Restart.Policy
}

/**
 * The arguments of a kind's children.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Args<K> = K extends ClusterKind<infer X, infer _A, infer _Q, infer _P, infer _E, infer _C, infer _R> ? X
  : never

/**
 * The calls of a kind.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Request<K> = K extends ClusterKind<infer _X, infer _A, infer Q, infer _P, infer _E, infer _C, infer _R> ? Q
  : never

/**
 * The replies of a kind's calls.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Reply<K> = K extends ClusterKind<infer _X, infer _A, infer _Q, infer P, infer _E, infer _C, infer _R> ? P
  : never

/**
 * The typed errors of a kind's calls.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Error<K> = K extends ClusterKind<infer _X, infer _A, infer _Q, infer _P, infer E, infer _C, infer _R> ? E
  : never

/**
 * The casts of a kind.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Cast<K> = K extends ClusterKind<infer _X, infer _A, infer _Q, infer _P, infer _E, infer C, infer _R> ? C
  : never

/**
 * What hosting children of a kind needs.
 *
 * @since 0.1.0
 * @category type-level
 */
export type Context<K> = K extends ClusterKind<infer _X, infer _A, infer _Q, infer _P, infer _E, infer _C, infer R> ? R
  : never

/**
 * `true` for a cluster kind.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isClusterKind = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    return pipeArguments(this, arguments)
  }
}

/**
 * Defines a cluster kind from a child kind, the Schemas of its messages and their
 * handlers. `error` lists the typed errors a call may answer with (default none); any
 * other failure of `handleCall` reaches the caller as a `CallFailed`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Request, Schema } from "effect"
 * import { ChildKind, GenServer, Restart } from "@effect-otp/supervisor"
 * import { ClusterKind } from "@effect-otp/cluster"
 *
 * class Increment extends Request.TaggedClass("Increment")<number, never, {}> {}
 *
 * const Counter = GenServer.make({
 *   requests: [Increment],
 *   init: (start: number) => Effect.succeed(start),
 *   handlers: { Increment: (_, count) => Effect.succeed([count + 1, count + 1]) }
 * })
 *
 * // every runner registers this kind; callers send "increment" and get a number back
 * const counter = ClusterKind.make({
 *   kind: ChildKind.make("counter", Schema.Struct({ start: Schema.Number }), ({ start }) =>
 *     GenServer.spawn(Counter, start)),
 *   request: Schema.Literal("increment"),
 *   reply: Schema.Number,
 *   handleCall: (server) => GenServer.call(server, new Increment()),
 *   restartPolicy: Restart.intensity(3, "5 seconds")
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <
  Args,
  A,
  E,
  R,
  Req,
  ReqI,
  Rep,
  RepI,
  Err = never,
  ErrI = never,
  Cast = never,
  CastI = never,
  R2 = never
>(options: {
  readonly kind: ChildKind.ChildKind<Args, A, E, R>
  readonly request: Schema.Schema<Req, ReqI>
  readonly reply: Schema.Schema<Rep, RepI>
  readonly error?: Schema.Schema<Err, ErrI> | undefined
  readonly cast?: Schema.Schema<Cast, CastI> | undefined
  readonly handleCall: (child: A, request: Req) => Effect.Effect<Rep, unknown, R2>
  readonly handleCast?: ((child: A, message: Cast) => Effect.Effect<void, unknown, R2>) | undefined
  readonly restartPolicy?: Restart.Policy | undefined
}): ClusterKind<Args, A, Req, Rep, Err, Cast, R | R2> => {
  const self = Object.create(Proto)
  self.name = options.kind.name
  self.kind = options.kind
  self.request = options.request
  self.reply = options.reply
  self.error = options.error ?? Schema.Never
  self.cast = options.cast ?? Schema.Never
  self.handleCall = options.handleCall
  self.handleCast = options.handleCast ?? (() => Effect.void)
  self.restartPolicy = options.restartPolicy ?? Restart.defaultPolicy
  return self
}
