/**
 * Starting a GenServer: the loop every server runs, `init`, and the start as a process.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as ChildSpec from "../../ChildSpec.js"
import type { Any, AnyRequest, GenServer, SpawnOptions } from "../../GenServer.js"
import type { Name, Ref } from "../../GenServerClient.js"
import * as Process from "../../Process.js"
import type * as Registry from "../../Registry.js"
import * as SupervisorError from "../../SupervisorError.js"
import { show } from "../issue.js"
import * as internalProcess from "../process.js"
import * as internalRegistry from "../registry.js"
import type { Definition } from "./definition.js"
import { GenServerProcess } from "./server.js"

/**
 * The loop of every GenServer, one message after another: each step finds its server
 * in the process's context (`Self`), so that a server holds no loop of its own.
 */
const serverLoop: Effect.Effect<never, unknown, unknown> = Effect.flatMap(
  Effect.withFiberRuntime<void, unknown, unknown>((fiber) =>
    (Context.unsafeGet(fiber.currentContext, internalProcess.Self) as GenServerProcess).next()
  ),
  () => serverLoop
)

const markStopping = (server: GenServerProcess) =>
  internalProcess.addFinalizer(() =>
    Effect.sync(() => {
      server.stopping = true
    })
  )

const started = (server: GenServerProcess, state: unknown): Effect.Effect<void, never, unknown> => {
  server.state = state
  const terminate = server.definition.terminate
  // finalizers run in reverse order: `stopping` is set first, then `terminate` runs,
  // then what `init` acquired is released
  const finalizers = terminate === undefined
    ? markStopping(server)
    : Effect.zipRight(
      // `terminate` runs in the process's fiber, whose context provides what it needs
      internalProcess.addFinalizer((exit) =>
        Effect.suspend(() => terminate(server.classify(exit), server.state) as Effect.Effect<void>)
      ),
      markStopping(server)
    )
  return Effect.zipRight(
    finalizers,
    Effect.sync(() => server.addObserver(server.onExit))
  )
}

const initialize = (
  definition: Definition,
  args: unknown,
  name: string | undefined
): Effect.Effect<void, unknown, unknown> =>
  Effect.flatMap(internalProcess.Self, (self) => {
    const server = self as GenServerProcess
    if (name === undefined) return Effect.flatMap(definition.init(args), (state) => started(server, state))
    return internalRegistry.withRegistry((registry) => {
      // fail fast, without running `init`, when the name is held (OTP registers before `init`)
      const early = registry.holderOtherThan(name, server)
      if (early !== undefined) return Effect.fail(internalRegistry.alreadyStarted(name, early))
      return Effect.flatMap(definition.init(args), (state) => {
        const holder = registry.register(name, server)
        if (holder !== undefined) return Effect.fail(internalRegistry.alreadyStarted(name, holder))
        return started(server, state)
      })
    })
  })

/** @internal */
export interface SpawnImplOptions {
  readonly name?: Registry.Key | undefined
  readonly mailbox?: { readonly capacity?: number | undefined } | undefined
}

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
  const name = options?.name === undefined ? undefined : internalRegistry.keyOf(options.name)
  return internalProcess.spawnWithInit(
    initialize(definition, args, name),
    () => serverLoop,
    (server) => server,
    () => new GenServerProcess(definition, capacity)
  )
}

/**
 * A server as a process to start (documented in `GenServer.ts`). Not stripped from the declarations: the public module re-exports it.
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
  spawnImpl(server as unknown as Definition, args, options) as unknown as Process.Spawn<
    Ref<AnyRequest, unknown>,
    unknown,
    unknown
  >

/**
 * A child spec for a server (documented in `GenServer.ts`). Not stripped from the declarations: the public module re-exports it.
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
    start: spawnImpl(server as unknown as Definition, args, {
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
 * Starts a server in the current scope (documented in `GenServer.ts`). Not stripped from the declarations: the public module re-exports it.
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
  const spawned = spawnImpl(server as unknown as Definition, args, options)
  return Effect.flatMap(
    Process.runScoped(spawned),
    (started) =>
      started._tag === "Ignored" ? Process.ignore : Effect.succeed(started.value as unknown as Ref<AnyRequest, unknown>)
  )
}
