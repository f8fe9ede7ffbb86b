/**
 * A GenServer's start: `init` in the server's first fiber, or, when `init` gives its state
 * at once, no fiber at all: the server then starts hibernated.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRefs from "effect/FiberRefs"
import type * as Process from "../../Process.js"
import * as internalProcess from "../process.js"
import * as internalRegistry from "../registry.js"
import type { Definition } from "./definition.js"
import { GenServerProcess, type ServerConfig, serverLoop } from "./server.js"

type Starting = Process.Starting<GenServerProcess, unknown>

const started = (server: GenServerProcess, state: unknown): Effect.Effect<void, never, unknown> => {
  server.state = state
  const terminate = server.definition.terminate
  // finalizers run in reverse order: `terminate` runs (after `stopping` is set: see
  // `GenServerProcess.closing`), then what `init` acquired is released
  const finalizers = terminate === undefined ? Effect.void : internalProcess.addFinalizer((exit) =>
    // `terminate` runs in the process's fiber, whose context provides what it needs
    Effect.suspend(() => terminate(server.classify(exit), server.state) as Effect.Effect<void>)
  )
  // the idle timer runs on the server's clock (TestClock in tests)
  return server.hibernateAfter > 0 && server.hibernateAfter !== Infinity
    ? Effect.zipRight(finalizers, Effect.clockWith((clock) => Effect.sync(() => server.clock = clock)))
    : finalizers
}

/** The clock of the fibers forked from `origin`. */
const clockOf = (origin: internalProcess.Origin): Clock.Clock =>
  Context.get(FiberRefs.getOrDefault(origin.fiberRefs, DefaultServices.currentServices), Clock.Clock)

/** `init` (the effect `initEffect` makes) in the server's first fiber, registering `name` if given. */
const initialize = (
  initEffect: () => Effect.Effect<unknown, unknown, unknown>,
  name: string | undefined
): Effect.Effect<void, unknown, unknown> =>
  Effect.flatMap(internalProcess.Self, (self) => {
    const server = self as GenServerProcess
    if (name === undefined) return Effect.flatMap(initEffect(), (state) => started(server, state))
    return internalRegistry.withRegistry((registry) => {
      // fail fast, without running `init`, when the name is held (OTP registers before `init`)
      const early = registry.holderOtherThan(name, server)
      if (early !== undefined) return Effect.fail(internalRegistry.alreadyStarted(name, early))
      return Effect.flatMap(initEffect(), (state) => {
        const holder = registry.register(name, server)
        if (holder !== undefined) return Effect.fail(internalRegistry.alreadyStarted(name, holder))
        return started(server, state)
      })
    })
  })

const runLoop = () => serverLoop
const asRef = (server: GenServerProcess) => server

/** `init`'s effect, made once per start; a function that throws makes a defect of it. */
const initOf = (definition: Definition, args: unknown): Effect.Effect<unknown, unknown, unknown> => {
  try {
    return definition.init(args)
  } catch (defect) {
    return Effect.die(defect)
  }
}

/**
 * Starts a server of `config` from `origin`, registered under `name` if given. When it
 * may hibernate (a finite `hibernateAfter`), has no `terminate`, and its `init` gives its
 * state at once (`Effect.succeed`: an `Exit`, which needs no fiber to run), the server
 * starts hibernated: no fiber, no scope, until a message needs one (see
 * `internalProcess.startHibernated`), and its start is over when this returns. Otherwise
 * the result is the effect that starts it, with `init` in its first fiber.
 * @internal
 */
export const startServerAtOnce = (
  config: ServerConfig,
  args: unknown,
  name: string | undefined,
  supervised: boolean,
  origin: internalProcess.Origin
): Starting | Effect.Effect<Starting, never, unknown> => {
  const server = new GenServerProcess(config)
  const definition = config.definition
  const inFiber = (initEffect: () => Effect.Effect<unknown, unknown, unknown>) =>
    internalProcess.startWithInit(server, supervised, origin, initialize(initEffect, name), runLoop, asRef)
  if (config.hibernateAfter === Infinity || definition.terminate !== undefined) {
    return inFiber(() => initOf(definition, args))
  }
  let registry: internalRegistry.RegistryImpl | undefined = undefined
  if (name !== undefined) {
    const found = Context.getOption(origin.context, internalRegistry.RegistryTag)
    // no registry, or the name is held: the first fiber fails the start
    if (found._tag === "None") return inFiber(() => initOf(definition, args))
    registry = found.value as internalRegistry.RegistryImpl
    if (registry.holderOtherThan(name, server) !== undefined) return inFiber(() => initOf(definition, args))
  }
  const initEffect = initOf(definition, args)
  if (!(Exit.isExit(initEffect) && Exit.isSuccess(initEffect))) return inFiber(() => initEffect)
  server.supervised = supervised
  server.state = initEffect.value
  // the idle timer of its fibers to come runs on the clock it was started with
  if (config.hibernateAfter > 0) server.clock = clockOf(origin)
  if (registry !== undefined) registry.register(name!, server)
  internalProcess.startHibernated(server, origin)
  const starting = new internalProcess.StartingImpl<GenServerProcess, unknown>()
  starting.process = server
  starting.done(Exit.succeed({ _tag: "Started", process: server, value: server }))
  return starting
}

/**
 * Starts a server of `config` (see {@link startServerAtOnce}), from `origin` or from the
 * current fiber.
 * @internal
 */
export const startServer = (
  config: ServerConfig,
  args: unknown,
  name: string | undefined,
  supervised: boolean,
  origin: internalProcess.Origin | undefined
): Effect.Effect<Starting, never, unknown> =>
  Effect.withFiberRuntime((fiber, status) => {
    const started = startServerAtOnce(
      config,
      args,
      name,
      supervised,
      origin ?? internalProcess.originOf(fiber, status.runtimeFlags)
    )
    return Effect.isEffect(started) ? started : Effect.succeed(started)
  })
