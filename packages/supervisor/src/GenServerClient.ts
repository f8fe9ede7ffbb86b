/**
 * The client side of a GenServer: the refs and typed names that address servers, calls
 * (with their timeouts and errors), casts, and lookups by name.
 *
 * Everything here is also exported by the `GenServer` module (`GenServer.call`,
 * `GenServer.Ref`, ...), which is how most code uses it.
 *
 * - {@link call} sends a request and waits for its reply: the reply type and the error
 *   type are the request's; it fails with {@link CallTimeout} after its timeout (5 seconds
 *   by default, on Effect's `Clock`) and with {@link ProcessExited} if the server ends
 *   before replying. A call never hangs. A call to an idle server whose handler answers
 *   at once (`Effect.succeed` / `Effect.fail`) is answered in the caller's fiber, with no
 *   trip to the server's fiber (see docs/processes-and-genserver.md).
 * - {@link cast} sends a message and does not wait: it never fails.
 * - A {@link Name} carries the protocol of the servers registered under it, so that calls
 *   by name are type-checked; calls by name follow restarts.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Request } from "effect"
 * import { GenServer, GenServerClient } from "@effect-otp/supervisor"
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
 *   return yield* GenServerClient.call(counter, new GetCount(), { timeout: "1 second" })
 * }))
 * ```
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Types from "effect/Types"
import type { AnyRequest, GenServer } from "./GenServer.js"
import * as client from "./internal/genServer/client.js"
import * as server from "./internal/genServer/server.js"
import type * as Process from "./Process.js"
import type * as Registry from "./Registry.js"

export {
  /**
   * A call got no reply within its timeout (OTP's call timeout, as a typed error). The
   * request may still be handled later; its reply is then dropped.
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Request } from "effect"
   * import { GenServer } from "@effect-otp/supervisor"
   *
   * class Slow extends Request.TaggedClass("Slow")<void, never, {}> {}
   * const Sleeper = GenServer.make({
   *   requests: [Slow],
   *   init: () => Effect.succeed(undefined),
   *   handlers: { Slow: (_, state) => Effect.as(Effect.sleep("1 minute"), [undefined, state] as const) }
   * })
   *
   * const program = Effect.scoped(Effect.gen(function*() {
   *   const sleeper = yield* GenServer.start(Sleeper, undefined)
   *   return yield* GenServer.call(sleeper, new Slow(), { timeout: "1 second" }).pipe(
   *     Effect.catchTag("CallTimeout", (error) => Effect.succeed(`timed out after ${error.timeout}`))
   *   )
   * }))
   * ```
   *
   * @since 0.1.0
   * @category errors
   */
  CallTimeout,
  /**
   * The server ended before it replied: it crashed or stopped while handling the call or
   * while the call was queued, or it had already ended. `reason` is why it ended.
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Request } from "effect"
   * import { GenServer, Process } from "@effect-otp/supervisor"
   *
   * class Ping extends Request.TaggedClass("Ping")<"pong", never, {}> {}
   * const Pinger = GenServer.make({
   *   requests: [Ping],
   *   init: () => Effect.succeed(undefined),
   *   handlers: { Ping: (_, state) => Effect.succeed(["pong", state]) }
   * })
   *
   * const program = Effect.scoped(Effect.gen(function*() {
   *   const pinger = yield* GenServer.start(Pinger, undefined)
   *   yield* Process.stop(pinger)
   *   return yield* GenServer.call(pinger, new Ping()).pipe(
   *     Effect.catchTag("ProcessExited", (error) => Effect.succeed(error.reason._tag)) // "Shutdown"
   *   )
   * }))
   * ```
   *
   * @since 0.1.0
   * @category errors
   */
  ProcessExited
} from "./internal/genServer/errors.js"

// -----------------------------------------------------------------------------
// Models
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const RefTypeId: unique symbol = server.RefTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type RefTypeId = typeof RefTypeId

/**
 * A running server (one incarnation): a `ProcessRef` that accepts requests `Req` and
 * casts `Cast`. `Process.kill`, `Process.stop` and `Process.await` work on it.
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
 * const ping = (pinger: GenServer.Ref<Ping>) => GenServer.call(pinger, new Ping())
 * ```
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
export const NameTypeId: unique symbol = client.NameTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type NameTypeId = typeof NameTypeId

/**
 * A registered name that carries the protocol of the servers registered under it, so
 * that calls by name are type-checked. Names follow restarts (see `Registry`).
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
 * const PingerName: GenServer.Name<Ping> = GenServer.name(Pinger, "pinger")
 * ```
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
 * Options of a call.
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
 * const PingerName = GenServer.name(Pinger, "pinger")
 *
 * const patient = GenServer.call(PingerName, new Ping(), { timeout: "infinity" })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** How long to wait for the reply. Default 5 seconds (OTP's default). */
  readonly timeout?: Duration.DurationInput | "infinity" | undefined
}

// -----------------------------------------------------------------------------
// Refinements and constructors
// -----------------------------------------------------------------------------

export {
  /**
   * `true` for a running GenServer's ref (what its start returns).
   *
   * **Example**
   *
   * ```ts
   * import { Effect } from "effect"
   * import { GenServer } from "@effect-otp/supervisor"
   *
   * const Idle = GenServer.make({ init: () => Effect.succeed(undefined) })
   *
   * const program = Effect.scoped(Effect.map(GenServer.start(Idle, undefined), GenServer.isRef)) // true
   * ```
   *
   * @since 0.1.0
   * @category refinements
   */
  isRef,
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
  name
} from "./internal/genServer/client.js"

// -----------------------------------------------------------------------------
// Operations
// -----------------------------------------------------------------------------

export {
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
  call,
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
  cast,
  /**
   * The server registered under a name, if one is running (see `Registry.whereis`).
   *
   * **Example**
   *
   * ```ts
   * import { Effect, Option } from "effect"
   * import { GenServer, Registry } from "@effect-otp/supervisor"
   *
   * const Idle = GenServer.make({ init: () => Effect.succeed(undefined) })
   * const IdleName = GenServer.name(Idle, "idle")
   *
   * const program = Effect.gen(function*() {
   *   yield* GenServer.start(Idle, undefined, { name: IdleName })
   *   return Option.isSome(yield* GenServer.whereis(IdleName)) // true
   * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
   * ```
   *
   * @since 0.1.0
   * @category operations
   */
  whereis
} from "./internal/genServer/client.js"
