/**
 * Supervisors: start children in order, watch them, restart them per strategy, restart
 * type and restart policy, and stop them in reverse order when the supervisor's scope
 * closes (or on `Supervisor.stop`). Every operation takes the supervisor or the
 * `Supervisor.Name` it is registered under; a supervisor needs what all its children need.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     strategy: "one_for_one",
 *     children: [
 *       ChildSpec.make({ id: "pinger", start: Effect.never })
 *     ]
 *   })
 *   return yield* Supervisor.countChildren(supervisor)
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.1.0
 */
import type * as Tag from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ChildSpec from "./ChildSpec.js"
import { lookup, registered, registeredKey, supervisorChildSpec } from "./Engine.js"
import type * as ExitReason from "./ExitReason.js"
import * as internalProcess from "./internal/process.js"
import * as internalReconfigure from "./internal/reconfigure.js"
import * as internal from "./internal/supervisor.js"
import * as Process from "./Process.js"
import type * as Registry from "./Registry.js"
import * as Restart from "./Restart.js"
import type * as SupervisionTree from "./SupervisionTree.js"
import * as SupervisorError from "./SupervisorError.js"
import type * as SupervisorEvent from "./SupervisorEvent.js"

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
 * A running supervisor.
 *
 * @since 0.1.0
 * @category models
 */
export interface Supervisor extends Pipeable {
  readonly [TypeId]: TypeId
  readonly strategy: Strategy
  /** The supervisor's own process: await it to learn when and why it stopped. */
  readonly process: Process.ProcessRef
}

/**
 * `true` for a running supervisor (what `Supervisor.start` returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isSupervisor = (u: unknown): u is Supervisor => typeof u === "object" && u !== null && TypeId in u

/**
 * Which children are restarted with a child that is restarted:
 * - `one_for_one`: only that child;
 * - `one_for_all`: every child (the others are stopped in reverse order first);
 * - `rest_for_one`: that child and the children started after it.
 *
 * @since 0.1.0
 * @category models
 */
export type Strategy = "one_for_one" | "one_for_all" | "rest_for_one"

/**
 * When the supervisor stops by itself because significant children ended (OTP 24):
 * `never` (default), `any_significant`, `all_significant`.
 *
 * @since 0.1.0
 * @category models
 */
export type AutoShutdown = "never" | "any_significant" | "all_significant"

/**
 * A supervisor's options as a value (what `ChildKind.decodeTree` yields): the strategy,
 * the children in start order (they need `R`), the restart policy, `autoShutdown` and
 * the supervisor's label. Give it to `Supervisor.start`, `layer`, `spawn`, `run` or
 * `childSpec`, which take {@link StartOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R = never>
  extends StartOptions<ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>>, string | undefined>
{}

/**
 * What `Supervisor.start`, `layer`, `spawn`, `run` and `childSpec` take, typed from the
 * whole child list: the supervisor needs what all its `Children` need (see
 * {@link Context}), as `Effect.all` needs what all its effects need. A `name` that is a
 * {@link Name} registers the supervisor (its start then needs the `Registry`).
 *
 * **Example**
 *
 * ```ts
 * import { Context, Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * class Db extends Context.Tag("Db")<Db, { readonly query: Effect.Effect<void> }>() {}
 * class Cache extends Context.Tag("Cache")<Cache, { readonly warm: Effect.Effect<void> }>() {}
 *
 * // Effect<Supervisor, StartError, Db | Cache | Scope>, with no annotation
 * const start = Supervisor.start({
 *   children: [
 *     ChildSpec.make({ id: "db", start: Effect.flatMap(Db, (db) => db.query) }),
 *     ChildSpec.make({ id: "cache", start: Effect.flatMap(Cache, (cache) => cache.warm) })
 *   ]
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface StartOptions<
  Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>>,
  N extends string | Name | undefined = string | undefined
> {
  /**
   * The supervisor's name: a string labels it in events, logs, metrics and spans (default
   * `"supervisor"`); a {@link Name} also registers it, so that it can be reached by name
   * after its restarts (its key is then its label).
   */
  readonly name?: N
  /** Default `"one_for_one"`. */
  readonly strategy?: Strategy | undefined
  /** Started in order at boot, stopped in reverse order. */
  readonly children?: Children | undefined
  /** Default {@link Restart.defaultPolicy}: 3 restarts in 5 seconds. */
  readonly restartPolicy?: Restart.Policy | undefined
  /** Default `"never"`. */
  readonly autoShutdown?: AutoShutdown | undefined
  /** A backoff for children whose spec has none. */
  readonly backoff?: Schedule.Schedule<unknown, Restart.Crash> | undefined
  /** A backoff reset for children whose spec has none. */
  readonly resetBackoffAfter?: Duration.DurationInput | undefined
}

/**
 * What a supervisor started with these children and this name needs: the union of what
 * its children need, and the `Registry` when its name is a {@link Name}.
 *
 * **Example**
 *
 * ```ts
 * import type { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * type Needs = Supervisor.Context<
 *   [ChildSpec.ChildSpec<unknown, never, "Db">, ChildSpec.ChildSpec<unknown, never, "Cache">],
 *   Supervisor.Name
 * > // "Db" | "Cache" | Registry.Registry
 * const needs: Needs = "Db"
 * ```
 *
 * @since 0.3.0
 * @category type-level
 */
export type Context<Children extends ReadonlyArray<unknown>, N = undefined> =
  | ChildContext<Children[number]>
  | (N extends Name ? Registry.Registry : never)

type ChildContext<C> = C extends ChildSpec.ChildSpec<infer _A, infer _E, infer R> ? R : never

/**
 * What a supervisor with this name can fail to start with besides {@link StartError}:
 * `AlreadyStarted` when its name is a {@link Name} held by another running process.
 *
 * @since 0.3.0
 * @category type-level
 */
export type NameError<N> = N extends Name ? SupervisorError.AlreadyStarted : never

/**
 * @since 0.3.0
 * @category type ids
 */
export const NameTypeId: unique symbol = internal.NameTypeId

/**
 * @since 0.3.0
 * @category type ids
 */
export type NameTypeId = typeof NameTypeId

/**
 * A supervisor's registered name (Elixir's `name: ChatApp.Supervisor`): given as the
 * supervisor's `name`, it registers the supervisor in the `Registry` once its children
 * have started, and follows its restarts (after its parent restarts it, the name is the
 * new incarnation's). Every operation takes the supervisor or its name.
 *
 * @since 0.3.0
 * @category models
 */
export interface Name extends Registry.Name {
  readonly [NameTypeId]: NameTypeId
}

/**
 * Makes a supervisor's name.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Registry, Supervisor } from "@effect-otp/supervisor"
 *
 * const Workers = Supervisor.name("MyApp.Workers")
 *
 * const program = Effect.gen(function*() {
 *   yield* Supervisor.start({ name: Workers, children: [] })
 *   yield* Supervisor.startChild(Workers, ChildSpec.make({ id: "worker", start: Effect.never }))
 *   return yield* Supervisor.countChildren(Workers) // { specs: 1, active: 1, ... }
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const name = (key: string): Name => internal.makeName(key)

/**
 * A supervisor, or the {@link Name} it is registered under: what every operation takes.
 *
 * @since 0.3.0
 * @category models
 */
export type Target = Supervisor | Name

/**
 * What an operation on a {@link Target} can fail with besides its own errors:
 * `NoProcess` for a name that no supervisor holds (and none will).
 *
 * @since 0.3.0
 * @category type-level
 */
export type TargetError<S> = S extends Name ? Registry.NoProcess : never

/**
 * What an operation on a {@link Target} needs: the `Registry` for a name.
 *
 * @since 0.3.0
 * @category type-level
 */
export type TargetContext<S> = S extends Name ? Registry.Registry : never

/**
 * What a supervisor's start can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartError =
  | SupervisorError.InvalidOptions
  | SupervisorError.InvalidChildSpec
  | SupervisorError.DuplicateChildId
  | SupervisorError.StartFailed

/**
 * A child as `whichChildren` and `whichChild` report it. `A` is the type of its value:
 * `unknown`, or the spec's value type when the child is looked up by its spec.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildInfo<out A = unknown> {
  readonly id: string
  readonly status: ChildStatus
  /** The running incarnation, if any. */
  readonly process: Option.Option<Process.ProcessRef>
  /** What the running incarnation's start returned (a GenServer ref, a child supervisor). */
  readonly value: Option.Option<A>
  readonly type: ChildSpec.ChildType
  /** How many times the supervisor restarted this child. */
  readonly restarts: number
}

/**
 * A child's status: `running`, `restarting` (a restart is pending: a backoff delay or a
 * failed start being retried) or `stopped` (not running, spec kept).
 *
 * @since 0.1.0
 * @category models
 */
export type ChildStatus = "running" | "restarting" | "stopped"

/**
 * `countChildren`'s result (OTP's `count_children`): `specs` children known, `active`
 * running, and how many specs are `supervisors` and `workers`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildCounts {
  readonly specs: number
  readonly active: number
  readonly supervisors: number
  readonly workers: number
}

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
        internal.make(options),
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
  Effect.flatMap(
    Process.runScoped(spawn(options)),
    (started) =>
      started._tag === "Ignored"
        ? Effect.dieMessage("a supervisor never declines to start")
        : Effect.succeed(started.value)
  )

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

const impl = (self: Supervisor): internal.SupervisorImpl => self as unknown as internal.SupervisorImpl

const isImpl = (u: unknown): u is internal.SupervisorImpl => u instanceof internal.SupervisorImpl

/** Runs `f` on the supervisor, found by its name if given one. */
const withTarget = <S extends Target, A, E, R = never>(
  self: S,
  f: (supervisor: internal.SupervisorImpl) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | TargetError<S>, R | TargetContext<S>> =>
  (isSupervisor(self)
    ? f(impl(self))
    : Effect.flatMap(lookup((self as Name).key, isImpl, "supervisor"), f)) as Effect.Effect<
      A,
      E | TargetError<S>,
      R | TargetContext<S>
    >

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

/**
 * Why {@link startChild} failed: a bad spec, an id already there, or a failed start (a
 * start that declines fails with `Process.Ignore`, when the child's error type has it).
 *
 * @since 0.3.0
 * @category errors
 */
export type StartChildError<E> = internal.StartChildError<E> | SupervisorError.SupervisorStopped

/**
 * Why {@link restartChild} failed.
 *
 * @since 0.3.0
 * @category errors
 */
export type RestartChildError = internal.RestartChildError | SupervisorError.SupervisorStopped

/**
 * Why {@link deleteChild} failed.
 *
 * @since 0.3.0
 * @category errors
 */
export type DeleteChildError = internal.DeleteChildError | SupervisorError.SupervisorStopped

/**
 * Adds a child and starts it; it is appended to the start order (last to start, first
 * to stop). Returns what the child's start returned.
 *
 * @since 0.1.0
 * @category operations
 */
export const startChild: {
  <A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>
  ): <S extends Target>(self: S) => Effect.Effect<A, StartChildError<E> | TargetError<S>, R | TargetContext<S>>
  <S extends Target, A, E, R>(
    self: S,
    spec: ChildSpec.ChildSpec<A, E, R>
  ): Effect.Effect<A, StartChildError<E> | TargetError<S>, R | TargetContext<S>>
} = dual(
  2,
  <A, E, R>(self: Target, spec: ChildSpec.ChildSpec<A, E, R>) =>
    withTarget(
      self,
      (supervisor) => Effect.flatMap(Effect.context<R>(), (context) => supervisor.startChild(spec, context))
    )
)

/**
 * Stops a child within its shutdown deadline and keeps its spec (a `temporary` child's
 * spec is removed). Idempotent; cancels a pending restart. Never cascades to siblings.
 *
 * @since 0.1.0
 * @category operations
 */
export const terminateChild: {
  (id: string): <S extends Target>(
    self: S
  ) => Effect.Effect<
    void,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped | TargetError<S>,
    TargetContext<S>
  >
  <S extends Target>(
    self: S,
    id: string
  ): Effect.Effect<
    void,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped | TargetError<S>,
    TargetContext<S>
  >
} = dual(2, (self: Target, id: string) => withTarget(self, (supervisor) => supervisor.terminateChild(id)))

/**
 * Starts a stopped child again from its spec. Does not count against the restart
 * policy. Returns what the child's start returned: typed when the child is named by the
 * spec it was started from (the spec's value type), `unknown` when named by its id. A
 * spec names the child with its id only if that child was started from the spec's
 * `start` (otherwise `NotFound`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, GenServer, Supervisor } from "@effect-otp/supervisor"
 *
 * const Counter = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })
 * const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({ children: [counter] })
 *   yield* Supervisor.terminateChild(supervisor, "counter")
 *   // typed by the spec: a GenServer ref of Counter
 *   const ref = yield* Supervisor.restartChild(supervisor, counter)
 *   // by id: unknown
 *   yield* Supervisor.terminateChild(supervisor, "counter")
 *   const value: unknown = yield* Supervisor.restartChild(supervisor, "counter")
 *   return [ref, value]
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const restartChild: {
  <A, E, R>(spec: ChildSpec.ChildSpec<A, E, R>): <S extends Target>(
    self: S
  ) => Effect.Effect<A, RestartChildError | TargetError<S>, TargetContext<S>>
  (id: string): <S extends Target>(
    self: S
  ) => Effect.Effect<unknown, RestartChildError | TargetError<S>, TargetContext<S>>
  <S extends Target, A, E, R>(
    self: S,
    spec: ChildSpec.ChildSpec<A, E, R>
  ): Effect.Effect<A, RestartChildError | TargetError<S>, TargetContext<S>>
  <S extends Target>(self: S, id: string): Effect.Effect<unknown, RestartChildError | TargetError<S>, TargetContext<S>>
} = dual(
  2,
  (self: Target, key: string | ChildSpec.ChildSpec<unknown, unknown, unknown>) =>
    withTarget(self, (supervisor) => supervisor.restartChild(key))
)

/**
 * Forgets a stopped child's spec.
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteChild: {
  (id: string): <S extends Target>(
    self: S
  ) => Effect.Effect<void, DeleteChildError | TargetError<S>, TargetContext<S>>
  <S extends Target>(self: S, id: string): Effect.Effect<void, DeleteChildError | TargetError<S>, TargetContext<S>>
} = dual(2, (self: Target, id: string) => withTarget(self, (supervisor) => supervisor.deleteChild(id)))

/**
 * The children, most recently started first (OTP's order), with their status.
 *
 * @since 0.1.0
 * @category operations
 */
export const whichChildren = <S extends Target>(
  self: S
): Effect.Effect<ReadonlyArray<ChildInfo>, SupervisorError.SupervisorStopped | TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.whichChildren)

/**
 * Counts the children as OTP's `count_children`.
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren = <S extends Target>(
  self: S
): Effect.Effect<ChildCounts, SupervisorError.SupervisorStopped | TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.countChildren)

/**
 * One child, by id, by its running process, or by the spec it was started from (then its
 * `value` has the spec's value type), as OTP 28's `which_child`; `NotFound` if there is
 * none (a spec names the child with its id only if that child was started from the
 * spec's `start`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Option } from "effect"
 * import { ChildSpec, GenServer, Supervisor } from "@effect-otp/supervisor"
 *
 * const Counter = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })
 * const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({ children: [counter] })
 *   const info = yield* Supervisor.whichChild(supervisor, "counter") // ChildInfo<unknown>
 *   const typed = yield* Supervisor.whichChild(supervisor, counter) // ChildInfo<GenServerRef<...>>
 *   return [info.status, Option.getOrUndefined(typed.value)]
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const whichChild: {
  <A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>
  ): (self: Supervisor) => Effect.Effect<ChildInfo<A>, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  (
    id: string | Process.ProcessRef
  ): (self: Supervisor) => Effect.Effect<ChildInfo, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  <A, E, R>(
    self: Supervisor,
    spec: ChildSpec.ChildSpec<A, E, R>
  ): Effect.Effect<ChildInfo<A>, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
  (
    self: Supervisor,
    id: string | Process.ProcessRef
  ): Effect.Effect<ChildInfo, SupervisorError.NotFound | SupervisorError.SupervisorStopped>
} = dual(
  2,
  (self: Supervisor, key: string | Process.ProcessRef | ChildSpec.ChildSpec<unknown, unknown, unknown>) =>
    impl(self).whichChild(key)
)

/**
 * A child's complete spec, every default filled in, by id or by its running process (a
 * running temporary child's spec has no start: the supervisor lets its start go once it
 * runs, as OTP keeps no start arguments for temporary children; starting it fails).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 *   })
 *   const spec = yield* Supervisor.getChildSpec(supervisor, "worker")
 *   return spec.shutdown // Duration(5s)
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const getChildSpec: {
  (id: string | Process.ProcessRef): <S extends Target>(
    self: S
  ) => Effect.Effect<
    ChildSpec.ChildSpec<unknown, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped | TargetError<S>,
    TargetContext<S>
  >
  <S extends Target>(
    self: S,
    id: string | Process.ProcessRef
  ): Effect.Effect<
    ChildSpec.ChildSpec<unknown, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped | TargetError<S>,
    TargetContext<S>
  >
} = dual(
  2,
  (self: Target, id: string | Process.ProcessRef) => withTarget(self, (supervisor) => supervisor.getChildSpec(id))
)

/**
 * What {@link reconfigure} may change of a running supervisor.
 *
 * @since 0.3.0
 * @category models
 */
export interface ReconfigureOptions<R> {
  readonly strategy?: Strategy | undefined
  readonly restartPolicy?: Restart.Policy | undefined
  readonly autoShutdown?: AutoShutdown | undefined
  /** Specs for children already there (by id) replace theirs at the next (re)start; others are added, stopped. */
  readonly children?: ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>> | undefined
}

/**
 * Why {@link reconfigure} refused a change (nothing was changed).
 *
 * @since 0.3.0
 * @category errors
 */
export type ReconfigureError =
  | SupervisorError.InvalidOptions
  | SupervisorError.InvalidChildSpec
  | SupervisorError.DuplicateChildId
  | SupervisorError.SupervisorStopped

/**
 * Changes a running supervisor's configuration (OTP's `code_change`, e.g. at a
 * configuration reload), all or nothing: the whole change is checked first, and an
 * invalid one is refused with a typed error, changing nothing.
 *
 * - `strategy`, `restartPolicy` (started afresh: earlier restarts no longer count) and
 *   `autoShutdown` are replaced at once.
 * - `children`: a spec whose id is a child's replaces that child's spec at its next start
 *   or restart (the running incarnation is left alone); a spec with a new id is added,
 *   stopped, last in the start order (`restartChild` starts it); children whose id is
 *   not listed keep their spec until `deleteChild`.
 * - `autoShutdown: "never"` is refused while a significant child is there, as a
 *   significant spec is under `"never"` (OTP's `bad_combination`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Restart, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     children: [ChildSpec.make({ id: "poller", start: Effect.never })]
 *   })
 *   yield* Supervisor.reconfigure(supervisor, {
 *     strategy: "one_for_all",
 *     restartPolicy: Restart.intensity(10, "1 minute"),
 *     children: [
 *       ChildSpec.make({ id: "poller", start: Effect.never, shutdown: "30 seconds" }), // at its next restart
 *       ChildSpec.make({ id: "reporter", start: Effect.never }) // added, stopped
 *     ]
 *   })
 *   yield* Supervisor.restartChild(supervisor, "reporter")
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const reconfigure: {
  <R = never>(options: ReconfigureOptions<R>): (self: Supervisor) => Effect.Effect<void, ReconfigureError, R>
  <R = never>(self: Supervisor, options: ReconfigureOptions<R>): Effect.Effect<void, ReconfigureError, R>
} = dual(
  2,
  <R>(self: Supervisor, options: ReconfigureOptions<R>) =>
    Effect.flatMap(Effect.context<R>(), (context) => internalReconfigure.reconfigure(impl(self), options, context))
)

/**
 * The live tree under the supervisor: every child with its type, status, restart count
 * and incarnation age, and the trees of child supervisors (static or dynamic), for
 * `SupervisionTree.render`.
 *
 * @since 0.1.0
 * @category observability
 */
export const tree = <S extends Target>(
  self: S
): Effect.Effect<SupervisionTree.Tree, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => supervisor.tree)

/**
 * The supervisor's events as a `Stream`: only its own, or with `subtree: true` also those
 * of the supervisors under it (at any depth). The stream ends when its scope closes;
 * events published before it was subscribed are not replayed.
 *
 * @since 0.1.0
 * @category observability
 */
export const events = <S extends Target>(
  self: S,
  options?: { readonly subtree?: boolean | undefined }
): Stream.Stream<SupervisorEvent.SupervisorEvent, TargetError<S>, TargetContext<S>> =>
  isSupervisor(self)
    ? impl(self).hub.events(options?.subtree === true)
    : Stream.unwrap(withTarget(self, (supervisor) => Effect.succeed(supervisor.hub.events(options?.subtree === true))))

/**
 * Processes that missed their shutdown deadline and have not ended yet (they count as
 * `Killed`; Effect cannot end a fiber that does not yield to interruption).
 *
 * @since 0.1.0
 * @category operations
 */
export const unstopped = <S extends Target>(
  self: S
): Effect.Effect<ReadonlyArray<Process.ProcessRef>, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => Effect.sync(() => Array.from(supervisor.unstopped)))
