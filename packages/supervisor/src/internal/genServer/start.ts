/**
 * Starting a GenServer: `init`, and the start as a process.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as ChildSpec from "../../ChildSpec.js"
import type { Any, AnyRequest, GenServer, SpawnOptions } from "../../GenServer.js"
import type { Name, Ref } from "../../GenServerClient.js"
import * as Process from "../../Process.js"
import type * as Registry from "../../Registry.js"
import * as SupervisorError from "../../SupervisorError.js"
import { decodeDurationOption } from "../childSpec.js"
import { show } from "../issue.js"
import * as internalProcess from "../process.js"
import * as internalRegistry from "../registry.js"
import type { Definition } from "./definition.js"
import { startServer, startServerAtOnce } from "./init.js"
import type { GenServerProcess, ServerConfig } from "./server.js"

/** @internal */
export interface SpawnImplOptions {
  readonly name?: Registry.Key | undefined
  readonly mailbox?: { readonly capacity?: number | undefined } | undefined
  readonly hibernateAfter?: Duration.DurationInput | undefined
}

/**
 * How long a server waits idle before it hibernates, unless told otherwise (see
 * `SpawnOptions.hibernateAfter`).
 * @internal
 */
export const defaultHibernateAfter: Duration.Duration = Duration.seconds(1)

/** @internal */
export const spawnImpl = (
  definition: Definition,
  args: unknown,
  options: SpawnImplOptions | undefined
): internalProcess.SpawnImpl<GenServerProcess, unknown, unknown> => {
  const capacity = options?.mailbox?.capacity ?? Infinity
  if (capacity !== Infinity && !(Number.isInteger(capacity) && capacity >= 1)) {
    // a typed failure of the start (not a defect): under a supervisor, a `StartFailed`
    return internalProcess.spawnFailure(
      new SupervisorError.InvalidOptions({
        message: `mailbox.capacity: expected a positive integer, got ${show(capacity)}`
      })
    )
  }
  const issues: Array<string> = []
  const hibernateAfter = Duration.toMillis(
    Option.getOrElse(
      decodeDurationOption("hibernateAfter", options?.hibernateAfter, issues),
      () => defaultHibernateAfter
    )
  )
  if (issues.length > 0) return internalProcess.spawnFailure(new SupervisorError.InvalidOptions({ message: issues[0] }))
  const name = options?.name === undefined ? undefined : internalRegistry.keyOf(options.name)
  const config: ServerConfig = { definition, capacity, hibernateAfter }
  return internalProcess.makeSpawn(
    (supervised, origin) => startServer(config, args, name, supervised, origin),
    (supervised, origin) => startServerAtOnce(config, args, name, supervised, origin)
  )
}

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
export const spawn: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & {
      readonly name: Name<Req, Cast> | string
      readonly mailbox?: undefined
      readonly hibernateAfter?: undefined
    }
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
    options?: SpawnOptions<Req, Cast> & {
      readonly name?: undefined
      readonly mailbox?: undefined
      readonly hibernateAfter?: undefined
    }
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
  spawnImpl(server as unknown as Definition, args, options) as unknown as Process.Spawn<
    Ref<AnyRequest, unknown>,
    unknown,
    unknown
  >

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
export const childSpec: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: ChildSpec.Options & SpawnOptions<Req, Cast> & {
      readonly name: Name<Req, Cast> | string
      readonly mailbox?: undefined
      readonly hibernateAfter?: undefined
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
    options: ChildSpec.Options & SpawnOptions<Req, Cast> & {
      readonly name?: undefined
      readonly mailbox?: undefined
      readonly hibernateAfter?: undefined
    }
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
  const { hibernateAfter, mailbox, name, ...specOptions } = options
  return ChildSpec.make({
    ...specOptions,
    start: spawnImpl(server as unknown as Definition, args, {
      name,
      mailbox,
      hibernateAfter
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
export const start: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    args: Args,
    options: SpawnOptions<Req, Cast> & {
      readonly name: Name<Req, Cast> | string
      readonly mailbox?: undefined
      readonly hibernateAfter?: undefined
    }
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
    options?: SpawnOptions<Req, Cast> & {
      readonly name?: undefined
      readonly mailbox?: undefined
      readonly hibernateAfter?: undefined
    }
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
  const spawned = spawnImpl(server as unknown as Definition, args, options)
  return Effect.flatMap(
    Process.runScoped(spawned),
    (started) =>
      started._tag === "Ignored" ? Process.ignore : Effect.succeed(started.value as unknown as Ref<AnyRequest, unknown>)
  )
}
