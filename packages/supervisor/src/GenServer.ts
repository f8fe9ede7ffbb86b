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
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by the {@link}s of the description above
import type * as GenServerClient from "./GenServerClient.js"

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

export { StopTypeId, TypeId } from "./internal/genServer/models.js"
export type {
  Any,
  AnyRequest,
  GenServer,
  Handler,
  Handlers,
  HandlersContext,
  Reply,
  RequestClass,
  SpawnOptions,
  Stop
} from "./internal/genServer/models.js"

export { isGenServer, make } from "./internal/genServer/definition.js"

export { childSpec, spawn, start } from "./internal/genServer/start.js"

export { isStop, stop } from "./internal/genServer/stop.js"
