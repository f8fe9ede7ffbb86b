/**
 * A server definition as `GenServer.make` builds it: `init`, the handlers by request
 * `_tag`, `handleCast` and `terminate`.
 */
import type * as Effect from "effect/Effect"
import { pipeArguments } from "effect/Pipeable"
import type * as Scope from "effect/Scope"
import type * as ExitReason from "../../ExitReason.js"
import type { Any, GenServer, Handlers, HandlersContext, RequestClass } from "../../GenServer.js"
import type * as Process from "../../Process.js"
import { TypeId } from "./models.js"

const variance = {
  _Args: (_: unknown) => _,
  _State: (_: unknown) => _,
  _Req: (_: unknown) => _,
  _Cast: (_: unknown) => _,
  _InitError: (_: never) => _,
  _R: (_: never) => _
}

/** @internal */
export type AnyEffect<A> = Effect.Effect<A, unknown, unknown>

/** @internal */
export type Handler = (request: unknown, state: unknown) => AnyEffect<readonly [unknown, unknown]>

/** @internal */
export interface Definition {
  readonly init: (args: unknown) => AnyEffect<unknown>
  readonly handlers: ReadonlyMap<string, Handler>
  readonly handleCast: ((message: unknown, state: unknown) => AnyEffect<unknown>) | undefined
  readonly terminate:
    | ((reason: ExitReason.ExitReason, state: unknown) => Effect.Effect<void, never, unknown>)
    | undefined
}

/** @internal */
export class GenServerImpl implements Definition {
  readonly [TypeId] = variance
  constructor(
    readonly init: (args: unknown) => AnyEffect<unknown>,
    readonly handlers: ReadonlyMap<string, Handler>,
    readonly handleCast: ((message: unknown, state: unknown) => AnyEffect<unknown>) | undefined,
    readonly terminate:
      | ((reason: ExitReason.ExitReason, state: unknown) => Effect.Effect<void, never, unknown>)
      | undefined
  ) {}
  pipe() {
    return pipeArguments(this, arguments)
  }
  toJSON() {
    return { _id: "GenServer", requests: Array.from(this.handlers.keys()) }
  }
}

const makeImpl = (definition: {
  readonly init: (args: never) => AnyEffect<unknown>
  readonly handlers?: object | undefined
  readonly handleCast?: ((message: never, state: never) => AnyEffect<unknown>) | undefined
  readonly terminate?:
    | ((reason: ExitReason.ExitReason, state: never) => Effect.Effect<void, never, unknown>)
    | undefined
}): GenServerImpl => {
  const handlers = new Map<string, Handler>()
  if (definition.handlers !== undefined) {
    for (const [tag, handler] of Object.entries(definition.handlers)) {
      if (typeof handler === "function") handlers.set(tag, handler as Handler)
    }
  }
  return new GenServerImpl(
    definition.init as (args: unknown) => AnyEffect<unknown>,
    handlers,
    definition.handleCast as ((message: unknown, state: unknown) => AnyEffect<unknown>) | undefined,
    definition.terminate as
      | ((reason: ExitReason.ExitReason, state: unknown) => Effect.Effect<void, never, unknown>)
      | undefined
  )
}

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
  makeImpl(definition) as unknown as GenServer<
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
