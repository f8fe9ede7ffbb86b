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
 *   checked against both. {@link call} returns the reply (default timeout 5 seconds).
 * - **Handler errors.** A handler may fail with its request's error type: that error goes
 *   back to that caller only, the state is left as it was and the server goes on (as
 *   `@effect/experimental`'s `Machine`). A handler (or `handleCast`) failing with
 *   `ExitReason.ShutdownRequest` stops the server (exit reason `Shutdown`). A defect ends
 *   the server abnormally. Any other failure is a type error: turn it into a defect
 *   (`Effect.orDie`) to crash, or into the request's error type to report it.
 * - **Exits.** When the server ends for any reason, the caller whose request was being
 *   handled and every queued caller get {@link ProcessExited} with the exit reason; later
 *   calls to the same ref fail with it at once. A call never hangs.
 * - **Names.** A server started with a `name` is registered in the {@link Registry} once
 *   `init` has succeeded. Calls by name ({@link name}) follow restarts: while the
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
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Request from "effect/Request"
import type * as Scope from "effect/Scope"
import type * as Types from "effect/Types"
import * as ChildSpec from "./ChildSpec.js"
import type * as ExitReason from "./ExitReason.js"
import * as internal from "./internal/genServer.js"
import * as internalRegistry from "./internal/registry.js"
import * as Process from "./Process.js"
import type * as Registry from "./Registry.js"
import type * as SupervisorError from "./SupervisorError.js"

export {
  /**
   * A call got no reply within its timeout (OTP's call timeout, as a typed error). The
   * request may still be handled later; its reply is then dropped.
   *
   * @since 0.1.0
   * @category errors
   */
  CallTimeout,
  /**
   * The server ended before it replied: it crashed or stopped while handling the call or
   * while the call was queued, or it had already ended. `reason` is why it ended.
   *
   * @since 0.1.0
   * @category errors
   */
  ProcessExited
} from "./internal/genServer.js"

// -----------------------------------------------------------------------------
// Models
// -----------------------------------------------------------------------------

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
 * caller only) or with `ExitReason.ShutdownRequest` (the server stops).
 *
 * @since 0.1.0
 * @category models
 */
export type Handler<Q extends AnyRequest, State, R = never> = (
  request: Q,
  state: State
) => Effect.Effect<Reply<Q, State>, Request.Request.Error<Q> | ExitReason.ShutdownRequest, R>

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
 * The requests a server definition answers.
 *
 * @since 0.1.0
 * @category type-level
 */
export type RequestOf<G> = G extends GenServer<infer _A, infer _S, infer Req, infer _C, infer _E, infer _R> ? Req
  : never

/**
 * The casts a server definition accepts.
 *
 * @since 0.1.0
 * @category type-level
 */
export type CastOf<G> = G extends GenServer<infer _A, infer _S, infer _Req, infer Cast, infer _E, infer _R> ? Cast
  : never

/**
 * @since 0.1.0
 * @category type ids
 */
export const RefTypeId: unique symbol = internal.RefTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type RefTypeId = typeof RefTypeId

/**
 * A running server (one incarnation): a `ProcessRef` that accepts requests `Req` and
 * casts `Cast`. `Process.kill`, `Process.stop` and `Process.await` work on it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ref<in Req extends AnyRequest, in Cast = never> extends Process.ProcessRef {
  readonly [RefTypeId]: {
    readonly _Req: Types.Contravariant<Req>
    readonly _Cast: Types.Contravariant<Cast>
  }
}

/**
 * @since 0.1.0
 * @category type ids
 */
export const NameTypeId: unique symbol = internal.NameTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type NameTypeId = typeof NameTypeId

/**
 * A registered name that carries the protocol of the servers registered under it, so
 * that calls by name are type-checked. Names follow restarts (see {@link Registry}).
 *
 * @since 0.1.0
 * @category models
 */
export interface Name<in out Req extends AnyRequest, in out Cast = never> extends Registry.Name {
  readonly [NameTypeId]: {
    readonly _Req: Types.Invariant<Req>
    readonly _Cast: Types.Invariant<Cast>
  }
}

/**
 * Options of a call.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** How long to wait for the reply. Default 5 seconds (OTP's default). */
  readonly timeout?: Duration.DurationInput | "infinity" | undefined
}

/**
 * Options of a server's start.
 *
 * @since 0.1.0
 * @category models
 */
export interface SpawnOptions<Req extends AnyRequest, Cast> {
  /** Registers the server under this name once `init` has succeeded. */
  readonly name?: Name<Req, Cast> | string | undefined
  /**
   * The mailbox is unbounded by default. With a `capacity`, senders wait while it holds
   * that many messages (back-pressure): a caster until its message is accepted, a caller
   * until its request is accepted and answered (within its timeout). The capacity must be
   * a positive integer: otherwise the start fails with `SupervisorError.InvalidOptions`.
   */
  readonly mailbox?: { readonly capacity: number } | undefined
}

// -----------------------------------------------------------------------------
// Constructors
// -----------------------------------------------------------------------------

/**
 * Defines a server.
 *
 * - `requests`: the request classes the server answers (used for typing).
 * - `init(args)`: the initial state. The start returns once it has succeeded; if it
 *   fails, the start fails with its error; `Process.ignore` declines the start.
 *   Resources it acquires (it may use a `Scope`) live as long as the incarnation.
 * - `handlers`: one per request `_tag`, `(request, state) => Effect<[reply, newState]>`.
 * - `handleCast(message, state)`: the new state. Any failure ends the server (no one
 *   is waiting for a cast): `ExitReason.ShutdownRequest` as `Shutdown`, others abnormally.
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
export const make = <
  State,
  const Requests extends ReadonlyArray<RequestClass> = readonly [],
  Args = void,
  InitError = never,
  R = never,
  H extends Handlers<InstanceType<Requests[number]>, State> = Handlers<InstanceType<Requests[number]>, State>,
  Cast = never,
  RC = never,
  RT = never
>(definition: {
  readonly requests?: Requests | undefined
  readonly init: (args: Args) => Effect.Effect<State, InitError, R>
  readonly handlers?: H | undefined
  readonly handleCast?: ((message: Cast, state: State) => Effect.Effect<State, unknown, RC>) | undefined
  readonly terminate?: ((reason: ExitReason.ExitReason, state: State) => Effect.Effect<void, never, RT>) | undefined
}): GenServer<
  Args,
  State,
  InstanceType<Requests[number]>,
  Cast,
  InitError,
  Exclude<R | HandlersContext<H> | RC | RT, Scope.Scope | Process.Self>
> =>
  internal.make(definition) as unknown as GenServer<
    Args,
    State,
    InstanceType<Requests[number]>,
    Cast,
    InitError,
    Exclude<R | HandlersContext<H> | RC | RT, Scope.Scope | Process.Self>
  >

/**
 * `true` for a GenServer definition (made by `GenServer.make`).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isGenServer = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u

/**
 * `true` for a running GenServer's ref (what its start returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isRef = (u: unknown): u is Ref<AnyRequest, unknown> =>
  typeof u === "object" && u !== null && RefTypeId in u

/**
 * A typed name for servers of a definition: `GenServer.name(Counter, "Counter")`, or
 * `GenServer.name<typeof Counter>("Counter")`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Request } from "effect"
 * import { GenServer } from "@effect-otp/supervisor"
 *
 * class Ping extends Request.TaggedClass("Ping")<"pong", never, {}> {}
 * const Pinger = GenServer.make({
 *   requests: [Ping],
 *   init: () => Effect.succeed(undefined),
 *   handlers: { Ping: (_, state) => Effect.succeed(["pong", state]) }
 * })
 *
 * const PingerName = GenServer.name(Pinger, "pinger")
 * const ping = GenServer.call(PingerName, new Ping()) // Effect<"pong", ...>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const name: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    key: string
  ): Name<Req, Cast>
  <G extends Any>(key: string): Name<RequestOf<G>, CastOf<G>>
} =
  ((serverOrKey: Any | string, key?: string) =>
    internal.makeName(typeof serverOrKey === "string" ? serverOrKey : key!)) as typeof name

/**
 * A server as a process to start: use it as a `ChildSpec`'s `start`, or with
 * `Supervisor.startChild`. With a `name`, the start needs the {@link Registry} and
 * fails with `AlreadyStarted` if another running process holds the name. With a
 * `mailbox` whose capacity is not a positive integer, it fails with `InvalidOptions`.
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
export const spawn: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & { readonly name: Name<Req, Cast> | string; readonly mailbox?: undefined }
  ): Process.Spawn<Ref<Req, Cast>, InitError | SupervisorError.AlreadyStarted, R | Registry.Registry>
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & { readonly name: Name<Req, Cast> | string }
  ): Process.Spawn<
    Ref<Req, Cast>,
    InitError | SupervisorError.AlreadyStarted | SupervisorError.InvalidOptions,
    R | Registry.Registry
  >
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options?: SpawnOptions<Req, Cast> & { readonly name?: undefined; readonly mailbox?: undefined }
  ): Process.Spawn<Ref<Req, Cast>, InitError, R>
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & { readonly name?: undefined }
  ): Process.Spawn<Ref<Req, Cast>, InitError | SupervisorError.InvalidOptions, R>
} = (
  server: Any,
  args: unknown,
  options?: SpawnOptions<AnyRequest, unknown>
): Process.Spawn<Ref<AnyRequest, unknown>, unknown, unknown> =>
  internal.spawn(server as unknown as internal.Definition, args, options) as unknown as Process.Spawn<
    Ref<AnyRequest, unknown>,
    unknown,
    unknown
  >

/**
 * A child spec for a server (Elixir's `child_spec/1` of a `use GenServer` module):
 * `ChildSpec.make` with {@link spawn} as its start (so its start fails as {@link spawn}'s
 * does: `AlreadyStarted` with a `name`, `InvalidOptions` with an invalid `mailbox`).
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
export const childSpec: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: ChildSpec.Options & SpawnOptions<Req, Cast> & {
      readonly name: Name<Req, Cast> | string
      readonly mailbox?: undefined
    }
  ): ChildSpec.ChildSpec<Ref<Req, Cast>, InitError | SupervisorError.AlreadyStarted, R | Registry.Registry>
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: ChildSpec.Options & SpawnOptions<Req, Cast> & { readonly name: Name<Req, Cast> | string }
  ): ChildSpec.ChildSpec<
    Ref<Req, Cast>,
    InitError | SupervisorError.AlreadyStarted | SupervisorError.InvalidOptions,
    R | Registry.Registry
  >
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: ChildSpec.Options & SpawnOptions<Req, Cast> & { readonly name?: undefined; readonly mailbox?: undefined }
  ): ChildSpec.ChildSpec<Ref<Req, Cast>, InitError, R>
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: ChildSpec.Options & SpawnOptions<Req, Cast> & { readonly name?: undefined }
  ): ChildSpec.ChildSpec<Ref<Req, Cast>, InitError | SupervisorError.InvalidOptions, R>
} = (
  server: Any,
  args: unknown,
  options: ChildSpec.Options & SpawnOptions<AnyRequest, unknown>
): ChildSpec.ChildSpec<Ref<AnyRequest, unknown>, unknown, unknown> => {
  const { mailbox, name, ...specOptions } = options
  return ChildSpec.make({
    ...specOptions,
    start: internal.spawn(server as unknown as internal.Definition, args, {
      name,
      mailbox
    }) as unknown as Process.Spawn<
      Ref<AnyRequest, unknown>,
      unknown,
      unknown
    >
  })
}

/**
 * Starts a server in the current scope, without a supervisor; closing the scope stops
 * it (exit reason `Shutdown`, `terminate` runs). Returns once `init` has succeeded; fails
 * with `init`'s error (including `Process.Ignore` when `init` declined), with
 * `AlreadyStarted` when its `name` is held, and with `InvalidOptions` when its `mailbox`
 * capacity is not a positive integer.
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
export const start: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & { readonly name: Name<Req, Cast> | string; readonly mailbox?: undefined }
  ): Effect.Effect<Ref<Req, Cast>, InitError | SupervisorError.AlreadyStarted, R | Registry.Registry | Scope.Scope>
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & { readonly name: Name<Req, Cast> | string }
  ): Effect.Effect<
    Ref<Req, Cast>,
    InitError | SupervisorError.AlreadyStarted | SupervisorError.InvalidOptions,
    R | Registry.Registry | Scope.Scope
  >
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options?: SpawnOptions<Req, Cast> & { readonly name?: undefined; readonly mailbox?: undefined }
  ): Effect.Effect<Ref<Req, Cast>, InitError, R | Scope.Scope>
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & { readonly name?: undefined }
  ): Effect.Effect<Ref<Req, Cast>, InitError | SupervisorError.InvalidOptions, R | Scope.Scope>
} = (
  server: Any,
  args: unknown,
  options?: SpawnOptions<AnyRequest, unknown>
): Effect.Effect<Ref<AnyRequest, unknown>, unknown, unknown> => {
  const spawned = internal.spawn(server as unknown as internal.Definition, args, options)
  return Effect.flatMap(
    Process.runScoped(spawned),
    (started) =>
      started._tag === "Ignored" ? Process.ignore : Effect.succeed(started.value as unknown as Ref<AnyRequest, unknown>)
  )
}

// -----------------------------------------------------------------------------
// Operations
// -----------------------------------------------------------------------------

/**
 * Sends a request and waits for its reply (OTP's `GenServer.call`), by ref or by
 * {@link Name}. The reply type and the error type are the request's.
 *
 * Fails with the request's error if its handler failed with it; with
 * {@link ProcessExited} if the server ended before replying (crashed on this request or
 * an earlier one, was stopped, or had already ended); with {@link CallTimeout} after
 * `timeout` (default 5 seconds, measured on Effect's `Clock`). By name: a name reserved
 * for a server being restarted makes the call wait for the new incarnation within the
 * same timeout; an unknown name (or one whose server will not come back) fails with
 * `Registry.NoProcess`.
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
 * const CounterName = GenServer.name(Counter, "Counter")
 *
 * // Effect<number, CallTimeout | ProcessExited | NoProcess, Registry>
 * const getCount = GenServer.call(CounterName, new GetCount(), { timeout: "1 second" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const call: {
  <Req extends AnyRequest, Cast, Q extends Req>(
    target: Name<Req, Cast>,
    request: Q,
    options?: CallOptions
  ): Effect.Effect<
    Request.Request.Success<Q>,
    Request.Request.Error<Q> | internal.CallTimeout | internal.ProcessExited | internalRegistry.NoProcess,
    Registry.Registry
  >
  <Req extends AnyRequest, Q extends Req>(
    target: Ref<Req, never>,
    request: Q,
    options?: CallOptions
  ): Effect.Effect<
    Request.Request.Success<Q>,
    Request.Request.Error<Q> | internal.CallTimeout | internal.ProcessExited
  >
} = ((
  target: Name<AnyRequest, unknown> | Ref<AnyRequest, never>,
  request: AnyRequest,
  options?: CallOptions
): Effect.Effect<unknown, unknown, Registry.Registry> => {
  const timeout = internal.decodeTimeout(options?.timeout)
  return target instanceof internal.GenServerProcess
    ? internal.callProcess(target, request, timeout)
    : internal.callName((target as Name<AnyRequest, unknown>).key, request, timeout)
}) as typeof call

/**
 * Sends a message without waiting for a reply (OTP's `GenServer.cast`): fire and
 * forget. Never fails: a cast to a server that has ended, or to a name with no running
 * server, is dropped. With a bounded mailbox, waits while the mailbox is full.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { GenServer } from "@effect-otp/supervisor"
 *
 * class Reset {
 *   readonly _tag = "Reset"
 * }
 * const Counter = GenServer.make({
 *   init: (initial: number) => Effect.succeed(initial),
 *   handleCast: (_: Reset, _count) => Effect.succeed(0)
 * })
 * const CounterName = GenServer.name(Counter, "Counter")
 *
 * const reset = GenServer.cast(CounterName, new Reset())
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const cast: {
  <Req extends AnyRequest, Cast>(target: Name<Req, Cast>, message: Cast): Effect.Effect<void, never, Registry.Registry>
  <Cast>(target: Ref<never, Cast>, message: Cast): Effect.Effect<void>
} = ((
  target: Name<AnyRequest, unknown> | Ref<never, unknown>,
  message: unknown
): Effect.Effect<void, never, Registry.Registry> =>
  target instanceof internal.GenServerProcess
    ? internal.castProcess(target, message)
    : internal.castName((target as Name<AnyRequest, unknown>).key, message)) as typeof cast

/**
 * The server registered under a name, if one is running (see `Registry.whereis`).
 *
 * @since 0.1.0
 * @category operations
 */
export const whereis = <Req extends AnyRequest, Cast>(
  name: Name<Req, Cast>
): Effect.Effect<Option.Option<Ref<Req, Cast>>, never, Registry.Registry> =>
  internal.whereis(name.key) as unknown as Effect.Effect<Option.Option<Ref<Req, Cast>>, never, Registry.Registry>
