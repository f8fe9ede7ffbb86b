/**
 * A static supervisor's life: as a process (`spawn`, `spawnWith`), started in a scope
 * (`start`), as a layer, as a child of another supervisor, as an application's entry point
 * (`run`), waited for (`join`) and stopped.
 */
import type * as Tag from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as ChildSpec from "../../ChildSpec.js"
import { registered, registeredKey, startScoped, supervisorChildSpec } from "../../Engine.js"
import type * as ExitReason from "../../ExitReason.js"
import * as Process from "../../Process.js"
import type * as SupervisorError from "../../SupervisorError.js"
import * as internalProcess from "../process.js"
import { make } from "./make.js"
import type { Context, NameError, Options, StartError, StartOptions, Supervisor } from "./models.js"
import { type Name, type Target, type TargetContext, type TargetError, withTarget } from "./target.js"

/**
 * A supervisor as a process, to be started by {@link start}, or as a child of another
 * supervisor (see {@link childSpec}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const spawn = <
  const Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>> = readonly [],
  N extends string | Name | undefined = undefined
>(options: StartOptions<Children, N>): Process.Spawn<Supervisor, StartError | NameError<N>, Context<Children, N>> =>
  spawnFrom(Effect.succeed(options)) as unknown as Process.Spawn<
    Supervisor,
    StartError | NameError<N>,
    Context<Children, N>
  >

/** A supervisor whose options `init` computes, in the supervisor's own process. */
const spawnFrom = <E, R>(
  init: Effect.Effect<
    StartOptions<ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>>, string | Name | undefined>,
    E,
    R
  >
) =>
  internalProcess.spawnWithInit(
    Effect.flatMap(init, (options) =>
      Effect.flatMap(
        make(options),
        (supervisor) => {
          const boot = Effect.as(supervisor.boot(options.children ?? []), supervisor)
          const key = registeredKey(options.name)
          return Effect.zipRight(
            internalProcess.addFinalizer((exit) => supervisor.terminate(exit)),
            key === undefined ? boot : registered(key, supervisor, boot)
          )
        }
      )),
    (supervisor) => supervisor.loop,
    (process, supervisor) => {
      supervisor.process = process
      return supervisor
    }
  )

/**
 * A supervisor whose options (strategy, restart policy, auto-shutdown, children) an
 * effect computes when it starts, as OTP's `init/1`: `init` runs in the supervisor's own
 * process at every start, restarts included (e.g. to read configuration, or to decide
 * which children to run). `init` may decline with `Process.ignore`: the start is
 * `Ignored` (under a parent, the child's spec is kept, stopped, as for any child that
 * declines). If `init` fails, the start fails with its error (under a parent,
 * `StartFailed`) and no child was started.
 *
 * **Example**
 *
 * ```ts
 * import { Config, Effect } from "effect"
 * import { ChildSpec, Process, Supervisor } from "@effect-otp/supervisor"
 *
 * const workers = Supervisor.spawnWith(Effect.gen(function*() {
 *   const enabled = yield* Config.boolean("WORKERS_ENABLED").pipe(Config.withDefault(true))
 *   if (!enabled) return yield* Process.ignore
 *   const count = yield* Config.integer("WORKERS").pipe(Config.withDefault(2))
 *   return {
 *     strategy: "one_for_one" as const,
 *     children: Array.from({ length: count }, (_, i) => ChildSpec.make({ id: `worker-${i}`, start: Effect.never }))
 *   }
 * }))
 *
 * const app = Supervisor.start({
 *   children: [ChildSpec.make({ id: "workers", start: workers, type: "supervisor" })]
 * })
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const spawnWith = <E, R = never, R2 = never>(
  init: Effect.Effect<Options<R>, E, R2>
): Process.Spawn<Supervisor, StartError | E, R | Exclude<R2, Scope.Scope>> =>
  spawnFrom(init) as unknown as Process.Spawn<Supervisor, StartError | E, R | Exclude<R2, Scope.Scope>>

/**
 * Starts a supervisor in the current scope: its children are started in order, one at a
 * time, each once initialized; `start` returns when all are up. A failed start stops the
 * started children in reverse order and fails with `StartFailed` naming the child.
 * Closing the scope stops the children in reverse order, each within its shutdown
 * deadline.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Restart, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     strategy: "rest_for_one",
 *     restartPolicy: Restart.intensity(5, "10 seconds"),
 *     children: [
 *       ChildSpec.make({ id: "database", start: Effect.never }),
 *       ChildSpec.make({ id: "cache", start: Effect.never })
 *     ]
 *   })
 *   yield* Supervisor.whichChildren(supervisor)
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = <
  const Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>> = readonly [],
  N extends string | Name | undefined = undefined
>(
  options: StartOptions<Children, N>
): Effect.Effect<Supervisor, StartError | NameError<N>, Context<Children, N> | Scope.Scope> =>
  startScoped(spawn(options))

/**
 * Waits until the supervisor stops and says how it ended, as an application's entry
 * point needs it:
 * - it gave up (its restart policy is done): fails with `SupervisorError.GaveUp`;
 * - it crashed or was killed: dies with the cause;
 * - it stopped by itself on purpose (`autoShutdown`) or was stopped: succeeds with its
 *   exit reason.
 *
 * This is how an application that built its supervisor as a `Layer` learns that the
 * supervisor gave up: join it from the program the layer is provided to.
 *
 * **Example**
 *
 * ```ts
 * import { Context, Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * class AppSupervisor extends Context.Tag("AppSupervisor")<AppSupervisor, Supervisor.Supervisor>() {}
 *
 * const AppLive = Supervisor.layer(AppSupervisor, {
 *   name: "app",
 *   children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 * })
 *
 * // fails with GaveUp when the supervisor gives up; with NodeRuntime.runMain the process exits 1
 * const main = Effect.flatMap(AppSupervisor, Supervisor.join).pipe(Effect.provide(AppLive))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const join = <S extends Target>(
  self: S
): Effect.Effect<ExitReason.ExitReason, SupervisorError.GaveUp | TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.join)

/**
 * Starts a supervisor and runs until it stops: the entry point of an application whose
 * top supervisor is the application. Run it with `NodeRuntime.runMain` (from
 * `@effect/platform-node`): SIGINT or SIGTERM interrupts it, which stops the whole tree
 * in reverse start order, each child within its shutdown deadline, and the process exits
 * with code 0. When the supervisor gives up, `run` fails with `SupervisorError.GaveUp`
 * and the process exits with code 1, as an OTP node stops when its permanent application
 * does. A failed start fails with its `StartError` (exit code 1 too). A supervisor that
 * shuts down by itself on purpose (`autoShutdown`) ends `run` with its exit reason.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * const app = Supervisor.run({
 *   name: "app",
 *   children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 * })
 * // in a Node program: NodeRuntime.runMain(app)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = <
  const Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>> = readonly [],
  N extends string | Name | undefined = undefined
>(
  options: StartOptions<Children, N>
): Effect.Effect<ExitReason.ExitReason, StartError | NameError<N> | SupervisorError.GaveUp, Context<Children, N>> =>
  Effect.scoped(Effect.flatMap(start(options), join)) as Effect.Effect<
    ExitReason.ExitReason,
    StartError | NameError<N> | SupervisorError.GaveUp,
    Context<Children, N>
  >

/**
 * A layer that starts a supervisor when built and stops it (children in reverse order)
 * when released.
 *
 * **Example**
 *
 * ```ts
 * import { Context, Effect, Layer } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * class AppSupervisor extends Context.Tag("AppSupervisor")<AppSupervisor, Supervisor.Supervisor>() {}
 *
 * const AppLive = Supervisor.layer(AppSupervisor, {
 *   children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <
  I,
  const Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>> = readonly [],
  N extends string | Name | undefined = undefined
>(
  tag: Tag.Tag<I, Supervisor>,
  options: StartOptions<Children, N>
): Layer.Layer<I, StartError | NameError<N>, Exclude<Context<Children, N>, Scope.Scope>> =>
  Layer.scoped(tag, start(options)) as Layer.Layer<
    I,
    StartError | NameError<N>,
    Exclude<Context<Children, N>, Scope.Scope>
  >

/**
 * A child spec for a supervisor under another supervisor: `type: "supervisor"`,
 * `shutdown: "infinity"` unless given.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * const database = Supervisor.childSpec({
 *   id: "database",
 *   strategy: "one_for_all",
 *   children: [ChildSpec.make({ id: "pool", start: Effect.never })]
 * })
 * const root = Supervisor.start({ children: [database] })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const childSpec = <
  const Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>> = readonly [],
  N extends string | Name | undefined = undefined
>(
  options: StartOptions<Children, N> & ChildSpecOptions
): ChildSpec.ChildSpec<Supervisor, StartError | NameError<N>, Context<Children, N>> =>
  // `backoff` and `resetBackoffAfter` are the supervisor's defaults for its children, not its own
  supervisorChildSpec({
    id: options.id,
    restart: options.restart,
    shutdown: options.shutdown,
    significant: options.significant,
    startTimeout: options.startTimeout
  }, spawn({ ...options, name: options.name ?? options.id }))

/**
 * The child-spec fields of a supervisor started as a child ({@link childSpec}). Its
 * `backoff` and `resetBackoffAfter` options are the defaults for *its* children; to delay
 * the restarts of the supervisor itself, build the spec with `ChildSpec.make` and
 * `Supervisor.spawn`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildSpecOptions {
  readonly id: string
  readonly restart?: ChildSpec.RestartType | undefined
  readonly shutdown?: Duration.DurationInput | "brutal_kill" | "infinity" | undefined
  readonly significant?: boolean | undefined
  readonly startTimeout?: Duration.DurationInput | undefined
}

/**
 * Stops the supervisor, as its scope's end would: its children are stopped in reverse
 * start order, each within its shutdown deadline (a child past its deadline counts as
 * `Killed` and is listed by {@link unstopped}), then the supervisor exits with
 * `shutdown`; `stop` returns once it has. Stopping a stopped supervisor does nothing.
 * A supervisor under another one is restarted by its parent like any child that exited
 * (unless it is `temporary`, or `transient` and stopped normally): to stop it for good,
 * use the parent's `terminateChild`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Registry, Supervisor } from "@effect-otp/supervisor"
 *
 * const App = Supervisor.name("App")
 *
 * const program = Effect.gen(function*() {
 *   yield* Supervisor.start({ name: App, children: [ChildSpec.make({ id: "worker", start: Effect.never })] })
 *   yield* Supervisor.stop(App) // the worker is stopped, then the supervisor
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const stop = <S extends Target>(self: S): Effect.Effect<void, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => Effect.asVoid(Process.stop(supervisor.process)))
