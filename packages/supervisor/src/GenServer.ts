/**
 * GenServer: a process with a state and a mailbox, answering typed requests one at a
 * time (OTP's `gen_server`).
 *
 * A server is defined once with {@link make} (`init`, one handler per request type,
 * `handleCast`, `terminate`) and started many times: under a supervisor with
 * {@link childSpec} / {@link spawn}, or on its own with {@link start}.
 *
 * - **Requests** are Effect `Request`s (`Request.TaggedClass` or `Schema.TaggedRequest`):
 *   each request type declares its reply type and its error type, and its handler is
 *   checked against both. {@link GenServerClient.call} returns the reply (default timeout 5 seconds).
 * - **Handler errors.** A handler may fail with its request's error type: that error goes
 *   back to that caller only, the state is left as it was and the server goes on (as
 *   `@effect/experimental`'s `Machine`). A handler (or `handleCast`) failing with
 *   {@link stop} stops the server with the reason given (`normal`, `shutdown`, or a crash),
 *   after replying to its caller when a reply is given; one failing with
 *   `ExitReason.ShutdownRequest` stops it with `Shutdown`. A defect ends
 *   the server abnormally. Any other failure is a type error: turn it into a defect
 *   (`Effect.orDie`) to crash, or into the request's error type to report it.
 * - **Exits.** When the server ends for any reason, the caller whose request was being
 *   handled and every queued caller get {@link GenServerClient.ProcessExited} with the exit reason; later
 *   calls to the same ref fail with it at once. A call never hangs.
 * - **Names.** A server started with a `name` is registered in the `Registry` once
 *   `init` has succeeded. Calls by name ({@link GenServerClient.name}) follow restarts: while the
 *   supervisor restarts the server, a call by name waits for the new incarnation (within
 *   its timeout).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Request } from "effect"
 * import { GenServer, Registry, Supervisor } from "@effect-otp/supervisor"
 *
 * class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
 * class Increment extends Request.TaggedClass("Increment")<void, never, { readonly by: number }> {}
 *
 * const Counter = GenServer.make({
 *   requests: [GetCount, Increment],
 *   init: (initial: number) => Effect.succeed(initial),
 *   handlers: {
 *     GetCount: (_, count) => Effect.succeed([count, count]),
 *     Increment: ({ by }, count) => Effect.succeed([undefined, count + by])
 *   }
 * })
 * const CounterName = GenServer.name(Counter, "Counter")
 *
 * const program = Effect.gen(function*() {
 *   yield* Supervisor.start({
 *     strategy: "one_for_one",
 *     children: [GenServer.childSpec(Counter, 0, { id: "Counter", name: CounterName })]
 *   })
 *   yield* GenServer.call(CounterName, new Increment({ by: 10 }))
 *   return yield* GenServer.call(CounterName, new GetCount()) // 10
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Request from "effect/Request"
import type * as Types from "effect/Types"
import type * as ExitReason from "./ExitReason.js"
import type * as GenServerClient from "./GenServerClient.js"
import * as definition from "./internal/genServer/definition.js"
import * as stopInternal from "./internal/genServer/stop.js"

/**
 * The client side (`GenServerClient`), exported here too: the errors `CallTimeout` and
 * `ProcessExited`, the models `Ref`, `Name`, `CallOptions`, `RequestOf`, `CastOf` and their
 * type ids, and `isRef`, `name`, `call`, `cast`, `whereis`, each documented in the
 * `GenServerClient` module: `GenServer.call` is `GenServerClient.call`.
 *
 * @since 0.1.0
 * @category re-exports
 */
export * from "./GenServerClient.js"

// -----------------------------------------------------------------------------
// Models
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = definition.TypeId

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
   * holds as for a server that never hibernates. `0` hibernates as soon as the mailbox is
   * empty, `Duration.infinity` never; 1 second by default (see
   * docs/processes-and-genserver.md for the figures behind it). A value that is not a
   * non-negative duration fails the start with `SupervisorError.InvalidOptions`.
   */
  readonly hibernateAfter?: Duration.DurationInput | undefined
}

/**
 * @since 0.3.0
 * @category type ids
 */
export const StopTypeId: unique symbol = stopInternal.StopTypeId

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

// -----------------------------------------------------------------------------
// Constructors
// -----------------------------------------------------------------------------

export {
  /**
   * `true` for a handler's stop request (see {@link stop}).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ExitReason, GenServer } from "@effect-otp/supervisor"
   *
   * const program = Effect.flip(GenServer.stop(ExitReason.normal)).pipe(Effect.map(GenServer.isStop)) // true
   * ```
   *
   * @since 0.3.0
   * @category refinements
   */
  isStop,
  /**
   * Stops the server from a handler (Elixir's `{:stop, reason, reply, state}`): a handler
   * (or `handleCast`) fails with it: `return yield* GenServer.stop(reason, options)`. The server ends with exit reason `reason`:
   *
   * - `ExitReason.normal`, `ExitReason.shutdown`, `ExitReason.shutdownWith(x)`: normal
   *   exits; a `transient` child is not restarted (a `permanent` one is), no crash is
   *   reported;
   * - `ExitReason.abnormal(cause)` (or `ExitReason.killed`): a crash; `permanent` and
   *   `transient` children are restarted.
   *
   * With `reply`, the caller of the request being handled gets that reply first (typed:
   * it must be the request's reply type); without, it gets `ProcessExited` with the
   * reason, as every caller still queued does. With `state`, that is the server's last
   * state, the one `terminate` gets. `terminate` runs with `reason`.
   *
   * @example
   * ```ts
   * import { Effect, Request } from "effect"
   * import { ExitReason, GenServer } from "@effect-otp/supervisor"
   *
   * class Close extends Request.TaggedClass("Close")<number, never, {}> {}
   *
   * const Account = GenServer.make({
   *   requests: [Close],
   *   init: (balance: number) => Effect.succeed(balance),
   *   handlers: {
   *     // reply with the final balance, then end normally: a transient child stays stopped
   *     Close: (_, balance) => GenServer.stop(ExitReason.normal, { reply: balance, state: 0 })
   *   },
   *   terminate: (reason, balance) => Effect.log(`closed (${reason._tag}) with ${balance}`)
   * })
   * ```
   *
   * @since 0.3.0
   * @category constructors
   */
  stop
} from "./internal/genServer/stop.js"

export {
  /**
   * `true` for a GenServer definition (made by `GenServer.make`).
   *
   * @since 0.1.0
   * @category refinements
   */
  isGenServer,
  /**
   * Defines a server.
   *
   * - `requests`: the request classes the server answers (used for typing).
   * - `init(args)`: the initial state. The start returns once it has succeeded; if it
   *   fails, the start fails with its error; `Process.ignore` declines the start.
   *   Resources it acquires (it may use a `Scope`) live as long as the incarnation.
   * - `handlers`: one per request `_tag`, `(request, state) => Effect<[reply, newState]>`.
   * - `handleCast(message, state)`: the new state. Any failure ends the server (no one
   *   is waiting for a cast): `GenServer.stop(reason)` with that reason,
   *   `ExitReason.ShutdownRequest` as `Shutdown`, others abnormally.
   * - `terminate(reason, state)`: runs as a finalizer whenever the incarnation ends after a
   *   successful `init` (stopped by its supervisor or scope, killed, crashed, or
   *   stopping itself), with the exit reason and the last state, before what `init`
   *   acquired is released.
   *
   * Handlers run in the server's fiber, one message at a time; `Process.Self` is the
   * server.
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Request } from "effect"
   * import { GenServer } from "@effect-otp/supervisor"
   *
   * class Get extends Request.TaggedClass("Get")<string | undefined, never, { readonly key: string }> {}
   * class Put {
   *   readonly _tag = "Put"
   *   constructor(readonly key: string, readonly value: string) {}
   * }
   *
   * const KVStore = GenServer.make({
   *   requests: [Get],
   *   init: () => Effect.succeed(new Map<string, string>()),
   *   handlers: {
   *     Get: ({ key }, store) => Effect.succeed([store.get(key), store])
   *   },
   *   handleCast: (put: Put, store) => Effect.succeed(new Map(store).set(put.key, put.value)),
   *   terminate: (reason, store) => Effect.log(`stopping (${reason._tag}) with ${store.size} keys`)
   * })
   * ```
   *
   * @since 0.1.0
   * @category constructors
   */
  make
} from "./internal/genServer/definition.js"

export {
  /**
   * A child spec for a server (Elixir's `child_spec/1` of a `use GenServer` module):
   * `ChildSpec.make` with {@link spawn} as its start (so its start fails as {@link spawn}'s
   * does: `AlreadyStarted` with a `name`, `InvalidOptions` with an invalid `mailbox` or `hibernateAfter`).
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Request } from "effect"
   * import { GenServer, Registry, Supervisor } from "@effect-otp/supervisor"
   *
   * class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
   * const Counter = GenServer.make({
   *   requests: [GetCount],
   *   init: (initial: number) => Effect.succeed(initial),
   *   handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
   * })
   * const CounterName = GenServer.name(Counter, "Counter")
   *
   * const app = Supervisor.start({
   *   strategy: "one_for_one",
   *   children: [GenServer.childSpec(Counter, 0, { id: "Counter", name: CounterName, shutdown: "1 second" })]
   * }).pipe(Effect.provide(Registry.layer))
   * ```
   *
   * @since 0.1.0
   * @category constructors
   */
  childSpec,
  /**
   * A server as a process to start: use it as a `ChildSpec`'s `start`, or with
   * `Supervisor.startChild`. With a `name`, the start needs the `Registry` and
   * fails with `AlreadyStarted` if another running process holds the name. With a
   * `mailbox` whose capacity is not a positive integer, or a `hibernateAfter` that is not
   * a non-negative duration, it fails with `InvalidOptions`.
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Request } from "effect"
   * import { ChildSpec, GenServer } from "@effect-otp/supervisor"
   *
   * class Ping extends Request.TaggedClass("Ping")<"pong", never, {}> {}
   * const Pinger = GenServer.make({
   *   requests: [Ping],
   *   init: () => Effect.succeed(undefined),
   *   handlers: { Ping: (_, state) => Effect.succeed(["pong", state]) }
   * })
   *
   * const spec = ChildSpec.make({
   *   id: "pinger",
   *   start: GenServer.spawn(Pinger, undefined, { mailbox: { capacity: 100 } })
   * })
   * ```
   *
   * @since 0.1.0
   * @category constructors
   */
  spawn,
  /**
   * Starts a server in the current scope, without a supervisor; closing the scope stops
   * it (exit reason `Shutdown`, `terminate` runs). Returns once `init` has succeeded; fails
   * with `init`'s error (including `Process.Ignore` when `init` declined), with
   * `AlreadyStarted` when its `name` is held, and with `InvalidOptions` when its `mailbox`
   * capacity is not a positive integer or its `hibernateAfter` not a non-negative duration.
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Request } from "effect"
   * import { GenServer } from "@effect-otp/supervisor"
   *
   * class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
   * const Counter = GenServer.make({
   *   requests: [GetCount],
   *   init: (initial: number) => Effect.succeed(initial),
   *   handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
   * })
   *
   * const program = Effect.scoped(Effect.gen(function*() {
   *   const counter = yield* GenServer.start(Counter, 41)
   *   return yield* GenServer.call(counter, new GetCount())
   * }))
   * ```
   *
   * @since 0.1.0
   * @category constructors
   */
  start
} from "./internal/genServer/start.js"
