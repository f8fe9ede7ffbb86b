/**
 * A server's models: a definition and its type parameters, requests, handlers and their
 * replies, the options of a start, and a handler's request to stop.
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Request from "effect/Request"
import type * as Types from "effect/Types"
import type * as ExitReason from "../../ExitReason.js"
import type * as GenServerClient from "../../GenServerClient.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/supervisor/GenServer")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * What a server can be asked: an Effect `Request` with a `_tag`
 * (`Request.TaggedClass`, `Schema.TaggedRequest`).
 *
 * @since 0.1.0
 * @category models
 */
export type AnyRequest = Request.Request<unknown, unknown> & { readonly _tag: string }

/**
 * A request class, as listed in a definition's `requests`.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestClass = abstract new(...args: never) => AnyRequest

/**
 * What a handler of request `Q` returns: the reply and the new state.
 *
 * @since 0.1.0
 * @category models
 */
export type Reply<Q extends AnyRequest, State> = readonly [Request.Request.Success<Q>, State]

/**
 * The handler of one request type: given the request and the state, it returns the reply
 * and the new state. It may fail with the request's error type (the error goes to the
 * caller only), with {@link stop} (the server stops with that reason, after replying if
 * a reply is given) or with `ExitReason.ShutdownRequest` (the server stops: `Shutdown`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Request } from "effect"
 * import type { GenServer } from "@effect-otp/supervisor"
 *
 * class Add extends Request.TaggedClass("Add")<number, never, { readonly n: number }> {}
 * const add: GenServer.Handler<Add, number> = ({ n }, total) => Effect.succeed([total + n, total + n])
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Handler<Q extends AnyRequest, State, R = never> = (
  request: Q,
  state: State
) => Effect.Effect<
  Reply<Q, State>,
  Request.Request.Error<Q> | ExitReason.ShutdownRequest | Stop<Request.Request.Success<Q>, State>,
  R
>

/**
 * One handler per request type, keyed by the request's `_tag`.
 *
 * @since 0.1.0
 * @category models
 */
export type Handlers<Req extends AnyRequest, State> = {
  readonly [Tag in Req["_tag"]]: Handler<Extract<Req, { readonly _tag: Tag }>, State, unknown>
}

/**
 * The services the handlers of `H` need.
 *
 * @since 0.1.0
 * @category models
 */
export type HandlersContext<H> = {
  readonly [K in keyof H]: H[K] extends (request: never, state: never) => Effect.Effect<infer _A, infer _E, infer R> ? R
    : never
}[keyof H]

/**
 * A server definition: started with `Args`, keeps a `State`, answers requests `Req`,
 * accepts casts `Cast`; its `init` may fail with `InitError`; it needs `R`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { GenServer } from "@effect-otp/supervisor"
 *
 * // GenServer<number, number, never, never, never, never>: started with a number, keeps a number
 * const Holder = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface GenServer<in Args, in out State, in out Req extends AnyRequest, in out Cast, out InitError, out R>
  extends Pipeable
{
  readonly [TypeId]: {
    readonly _Args: Types.Contravariant<Args>
    readonly _State: Types.Invariant<State>
    readonly _Req: Types.Invariant<Req>
    readonly _Cast: Types.Invariant<Cast>
    readonly _InitError: Types.Covariant<InitError>
    readonly _R: Types.Covariant<R>
  }
}

/**
 * Any server definition.
 *
 * @since 0.1.0
 * @category models
 */
export interface Any extends Pipeable {
  readonly [TypeId]: unknown
}

/**
 * Options of a server's start.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { GenServer } from "@effect-otp/supervisor"
 *
 * const Worker = GenServer.make({ init: () => Effect.succeed(undefined) })
 * const bounded = GenServer.spawn(Worker, undefined, { name: "worker", mailbox: { capacity: 1_000 } })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface SpawnOptions<Req extends AnyRequest, Cast> {
  /** Registers the server under this name once `init` has succeeded. */
  readonly name?: GenServerClient.Name<Req, Cast> | string | undefined
  /**
   * The mailbox is unbounded by default. With a `capacity`, senders wait while it holds
   * that many messages (back-pressure): a caster until its message is accepted, a caller
   * until its request is accepted and answered (within its timeout). The capacity must be
   * a positive integer: otherwise the start fails with `SupervisorError.InvalidOptions`.
   */
  readonly mailbox?: { readonly capacity: number } | undefined
  /**
   * How long the server waits with an empty mailbox before it hibernates (OTP's
   * `hibernate_after`): its fiber ends and the server keeps only its state, its identity
   * (pid, name), its scope and its place under its supervisor; the next message, stop or
   * kill runs a new fiber for it, with the same context and fiber refs. Everything else
   * holds as for a server that never hibernates. A server with no `terminate` whose
   * `init` gives its state at once (`Effect.succeed`) has no fiber until a message needs
   * one. `0` hibernates as soon as the mailbox is empty, `Duration.infinity` never (the
   * server starts with its fiber and keeps it); 1 second by default (see
   * docs/processes-and-genserver.md for the figures behind it). A value that is not a
   * non-negative duration fails the start with `SupervisorError.InvalidOptions`.
   */
  readonly hibernateAfter?: Duration.DurationInput | undefined
}

/**
 * @since 0.3.0
 * @category type ids
 */
export const StopTypeId: unique symbol = Symbol.for("@effect-otp/supervisor/GenServer/Stop")

/**
 * @since 0.3.0
 * @category type ids
 */
export type StopTypeId = typeof StopTypeId

/**
 * A handler's request to stop its server (Elixir's `{:stop, reason, reply, state}` and
 * `{:stop, reason, state}`), made by {@link stop}: the server ends with exit reason
 * `reason`, after replying `reply` (of type `A`, the request's reply type) to the caller
 * when there is one, with `state` (of type `S`) as its last state, the one `terminate`
 * gets, when there is one.
 *
 * @since 0.3.0
 * @category models
 */
export interface Stop<out A = never, out S = never> extends Cause.YieldableError {
  readonly _tag: "Stop"
  readonly [StopTypeId]: { readonly _A: Types.Covariant<A>; readonly _S: Types.Covariant<S> }
  readonly reason: ExitReason.ExitReason
  readonly reply: Option.Option<A>
  readonly state: Option.Option<S>
}
