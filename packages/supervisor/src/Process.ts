/**
 * Processes: fibers with an identity, an exit reason and a way to be started by a
 * supervisor.
 *
 * A {@link Spawn} describes how to start one incarnation of a process; a
 * {@link ProcessRef} is one running (or ended) incarnation.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type * as ExitReason from "./ExitReason.js"
import * as internal from "./internal/process.js"
import { shutdownProcess } from "./internal/shutdown.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.ProcessTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * One incarnation of a process: a fiber with a process id and an exit reason.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProcessRef extends Pipeable {
  readonly [TypeId]: TypeId
  /** A number unique to this incarnation in this JavaScript process (OTP's pid). */
  readonly pid: number
  /** Waits for the process to end and returns why it ended. Never fails. */
  readonly await: Effect.Effect<ExitReason.ExitReason>
  /** Why the process ended, or `None` while it runs. */
  readonly poll: Option.Option<ExitReason.ExitReason>
}

/**
 * `true` for a process (one incarnation: a `ProcessRef`).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isProcessRef = (u: unknown): u is ProcessRef =>
  typeof u === "object" && u !== null && internal.ProcessTypeId in u

/**
 * @since 0.1.0
 * @category type ids
 */
export const SpawnTypeId: unique symbol = internal.SpawnTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type SpawnTypeId = typeof SpawnTypeId

/**
 * How to start one incarnation of a process. Starting yields `A` (what callers use to
 * reach the process), may fail with `E` (the start failed; the process is not running)
 * and needs `R`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Spawn<out A, out E = never, out R = never> extends Pipeable {
  readonly [SpawnTypeId]: SpawnTypeId
  /** @internal */
  readonly run: Effect.Effect<internal.Started<A>, E, R>
}

/**
 * `true` for a `Spawn`: a description of how to start a process.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isSpawn = (u: unknown): u is Spawn<unknown, unknown, unknown> => internal.isSpawn(u)

/**
 * The running process, available inside its own body: `yield* Process.Self`.
 *
 * @since 0.1.0
 * @category context
 */
export const Self: Context.Tag<Self, ProcessRef> = internal.Self

/**
 * The type of the {@link Self} tag: a process's body that reads itself requires it, and
 * the process provides it.
 *
 * @since 0.1.0
 * @category context
 */
export type Self = internal.Self

/**
 * A process whose body is an effect. It counts as started as soon as it is forked; it
 * ends when the effect ends (success is a `Normal` exit). The body may use a `Scope`
 * (released when the incarnation ends) and {@link Self}.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schedule } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const poller = Process.fromEffect(
 *   Effect.log("polling").pipe(Effect.repeat(Schedule.spaced("1 second")))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEffect = <E, R>(
  body: Effect.Effect<unknown, E, R>
): Spawn<ProcessRef, never, Exclude<R, Scope.Scope | Self>> => internal.spawnEffect(body)

/**
 * A process with an initialization step. The start returns only after `init` succeeded
 * (OTP's synchronous `init`); a failing `init` fails the start with its error, after the
 * process has ended. `init` may decline to start with {@link ignore}. Resources acquired
 * in `init` live until the process ends.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Queue } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const worker = Process.withInit(
 *   Queue.unbounded<string>(),
 *   (queue) => Queue.take(queue).pipe(Effect.flatMap(Effect.log), Effect.forever)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const withInit = <S, E, R, E2, R2>(
  init: Effect.Effect<S, E, R>,
  run: (state: S) => Effect.Effect<unknown, E2, R2>
): Spawn<ProcessRef, E, Exclude<R | R2, Scope.Scope | Self>> => internal.spawnWithInit(init, run, (process) => process)

/**
 * The most general process: `init` (as in {@link withInit}), then `run` with the state
 * `init` produced; starting yields `value(state, process)`, what callers use to reach
 * the process (a GenServer ref, a supervisor handle).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <S, E, R, E2, R2, A>(options: {
  readonly init: Effect.Effect<S, E, R>
  readonly run: (state: S, process: ProcessRef) => Effect.Effect<unknown, E2, R2>
  readonly value: (state: S, process: ProcessRef) => A
}): Spawn<A, E, Exclude<R | R2, Scope.Scope | Self>> =>
  internal.spawnWithInit(options.init, options.run, (process, state) => options.value(state, process))

/**
 * The marker an `init` fails with to decline to start (OTP `ignore`).
 *
 * @since 0.1.0
 * @category models
 */
export type Ignore = internal.StartIgnored

/**
 * `true` for the "decline to start" marker (its `_tag` is `"StartIgnored"`), e.g. to
 * tell it from other errors of `startChild`.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isIgnore = (u: unknown): u is Ignore => u instanceof internal.StartIgnored

/**
 * Fails an `init` with the "decline to start" marker: the supervisor records the child
 * as not running (or forgets it, if `temporary`) and the start does not fail.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ignore: Effect.Effect<never, Ignore> = internal.ignoreEffect

/**
 * Kills a process: it is interrupted and its exit reason is `Killed` (abnormal), so a
 * supervisor restarts it per its restart type. Waits until the process has ended (its
 * finalizers run: Effect cannot skip them).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const kill = (process: ProcessRef): Effect.Effect<ExitReason.ExitReason> => {
  const impl = process as unknown as internal.ProcessImpl
  return impl.interruptAs(internal.killFiberId)
}

/**
 * Stops a process in an orderly way, with an optional reason: its exit reason is
 * `Shutdown` (OTP `shutdown` or `{shutdown, reason}`), a normal exit for `transient`
 * children. Waits until the process has ended.
 *
 * Nothing happens until the effect runs: the reason is recorded then, on a process still
 * running (the first reason given wins; a process that has ended keeps its exit reason).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const stop = (process: ProcessRef, reason?: unknown): Effect.Effect<ExitReason.ExitReason> => {
  const impl = process as unknown as internal.ProcessImpl
  return Effect.suspend(() => {
    // recorded when the stop runs, on a process still running: the first reason given wins
    if (reason !== undefined && Option.isNone(impl.stopReason) && impl.exit === undefined) {
      impl.stopReason = Option.some(reason)
    }
    return impl.interruptAs(internal.shutdownFiberId)
  })
}

/**
 * Ends a process with an exit reason of the caller's choice (OTP's `exit/2`), and waits
 * until it has ended; the result is its exit reason. A supervisor sees the process end
 * with that reason and restarts it per its restart type, as for any crash.
 *
 * - `ExitReason.abnormal(cause)`: the process is interrupted and its exit reason is
 *   that `Abnormal` (a crash: `permanent` and `transient` children are restarted).
 * - `ExitReason.killed`: as {@link kill}.
 * - `ExitReason.shutdown` / `ExitReason.shutdownWith(reason)`: as {@link stop} (a normal
 *   exit for `transient` children).
 * - `ExitReason.normal`: the process is interrupted and its exit reason is `Normal`, as if
 *   it had finished (a `transient` child is not restarted, a `permanent` one is). OTP
 *   differs here: a process that does not trap exits ignores `exit(Pid, normal)`;
 *   effect-otp processes have no exit trapping, and every signal ends them.
 *
 * The process is interrupted: its finalizers run (Effect cannot skip them), and a
 * process that does not yield to the interruption ends later, with this reason. The
 * first reason given wins; a process that has already ended keeps its exit reason.
 *
 * @example
 * ```ts
 * import { Cause, Data, Effect } from "effect"
 * import { ExitReason, Process } from "@effect-otp/supervisor"
 *
 * class Evicted extends Data.TaggedError("Evicted")<{}> {}
 *
 * const program = Effect.gen(function*() {
 *   const started = yield* Process.run(Process.fromEffect(Effect.never))
 *   if (started._tag !== "Started") return
 *   const reason = yield* Process.exit(started.process, ExitReason.abnormal(Cause.fail(new Evicted())))
 *   yield* Effect.log(reason._tag) // Abnormal
 * })
 * ```
 *
 * @since 0.3.0
 * @category lifecycle
 */
export const exit: {
  (reason: ExitReason.ExitReason): (process: ProcessRef) => Effect.Effect<ExitReason.ExitReason>
  (process: ProcessRef, reason: ExitReason.ExitReason): Effect.Effect<ExitReason.ExitReason>
} = dual(2, (process: ProcessRef, reason: ExitReason.ExitReason): Effect.Effect<ExitReason.ExitReason> => {
  switch (reason._tag) {
    case "Killed":
      return kill(process)
    case "Shutdown":
      return Option.isSome(reason.reason) ? stop(process, reason.reason.value) : stop(process)
    default: {
      const impl = process as unknown as internal.ProcessImpl
      return Effect.suspend(() => {
        if (impl.signal === undefined && impl.exit === undefined) impl.signal = reason
        return impl.interruptAs(internal.exitFiberId)
      })
    }
  }
})

/**
 * Waits for a process to end and returns why (OTP's monitor: the caller is not affected
 * by the process's exit).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const await_ = (process: ProcessRef): Effect.Effect<ExitReason.ExitReason> => process.await

export {
  /**
   * Waits for a process to end and returns why (`await_`, under its OTP-style name).
   *
   * @since 0.1.0
   * @category lifecycle
   */
  await_ as await
}

/**
 * What starting a {@link Spawn} gives: the running process and its value, or `Ignored`
 * when the start declined.
 *
 * @since 0.1.0
 * @category models
 */
export type Started<A> =
  | { readonly _tag: "Started"; readonly process: ProcessRef; readonly value: A }
  | { readonly _tag: "Ignored" }

/**
 * Starts one incarnation of a process outside any supervisor, and returns once it is
 * initialized. The caller owns it: stop it with {@link stop} or {@link shutdown}. A
 * `supervised` process keeps its registrations (names) reserved after it ends, until
 * its supervisor releases them (when it will not restart it).
 *
 * This is the building block of supervisors; applications usually start processes
 * through a supervisor instead.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const run = <A, E, R>(
  spawn: Spawn<A, E, R>,
  options?: { readonly supervised?: boolean | undefined }
): Effect.Effect<Started<A>, E, R> =>
  options?.supervised === true ? (spawn as internal.SpawnImpl<A, E, R>).runSupervised : spawn.run

/**
 * Starts one incarnation of a process, like {@link run}, tied to the current `Scope`: it
 * is stopped (`Process.stop`) when the scope closes. The start itself is not interrupted
 * half-way: a process that started is always stopped with the scope.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const started = yield* Process.runScoped(Process.fromEffect(Effect.never))
 *   if (started._tag === "Started") yield* Effect.log(`running ${started.process}`)
 *   // the scope closes here: the process is stopped
 * }))
 * ```
 *
 * @since 0.2.0
 * @category lifecycle
 */
export const runScoped = <A, E, R>(spawn: Spawn<A, E, R>): Effect.Effect<Started<A>, E, R | Scope.Scope> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.tap(
      restore(spawn.run),
      (started) => started._tag === "Started" ? Effect.addFinalizer(() => stop(started.process)) : Effect.void
    )
  )

/**
 * A start under way (see {@link start}): its outcome once known, and a wait for it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Starting<out A, out E> {
  /** The outcome, `None` while `init` is still running. */
  readonly poll: Option.Option<Exit.Exit<Started<A>, E>>
  /** Waits for the outcome; interrupting the wait stops the process being started. */
  readonly await: Effect.Effect<Started<A>, E>
}

/**
 * Starts one incarnation of a process like {@link run}, but returns as soon as its fiber
 * first suspends, without waiting for its `init` to end: the outcome is then in
 * `poll` when `init` needed no I/O. `origin` gives the context, fiber refs and runtime
 * flags the process starts with (by default, the current fiber's): a supervisor passes
 * its own, so that its children inherit them whoever asked for the start.
 *
 * This is a building block of supervisors, for starts without a trip through the
 * scheduler; everyone else wants {@link run}.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const program = Effect.gen(function*() {
 *   const starting = yield* Process.start(Process.fromEffect(Effect.never))
 *   // a plain effect needs no init: the outcome is there at once
 *   yield* Effect.log(Option.isSome(starting.poll)) // true
 *   const started = yield* starting.await
 *   if (started._tag === "Started") yield* Process.stop(started.process)
 * })
 * ```
 *
 * @since 0.2.0
 * @category lifecycle
 */
export const start = <A, E, R>(
  spawn: Spawn<A, E, R>,
  options?: {
    readonly supervised?: boolean | undefined
    readonly origin?: Runtime.Runtime<R> | undefined
  }
): Effect.Effect<Starting<A, E>, never, R> =>
  (spawn as internal.SpawnImpl<A, E, R>).start(
    options?.supervised === true,
    options?.origin as internal.Origin | undefined
  )

/**
 * Stops a process within a shutdown deadline: interrupts it as `shutdown` (as `killed`
 * for `"brutal_kill"`) and waits up to the deadline (`"infinity"`: as long as it takes).
 * Past the deadline the result is `Killed` and the process goes on until it yields to the
 * interruption (its `poll` stays `None`).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const shutdown: {
  (
    shutdown: Duration.Duration | "brutal_kill" | "infinity"
  ): (process: ProcessRef) => Effect.Effect<ExitReason.ExitReason>
  (process: ProcessRef, shutdown: Duration.Duration | "brutal_kill" | "infinity"): Effect.Effect<ExitReason.ExitReason>
} = dual(
  2,
  (process: ProcessRef, shutdown: Duration.Duration | "brutal_kill" | "infinity") =>
    shutdownProcess(process as internal.ProcessImpl, shutdown)
)

/**
 * Calls `f` with the exit reason once the process has ended (at once if it has). The
 * callback runs synchronously on the fiber that ends the process: keep it short (e.g.
 * offer to a queue).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const unsafeOnExit = (process: ProcessRef, f: (reason: ExitReason.ExitReason) => void): void => {
  const impl = process as internal.ProcessImpl
  impl.addObserver((exit) => f(impl.reasonOf(exit)))
}

/**
 * The exit reason of a process that ended with `exit` (the classification of
 * `ExitReason`), for code that observes a process's fiber exit itself.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const exitReasonOf = (exit: Exit.Exit<unknown, unknown>): ExitReason.ExitReason =>
  internal.classify(exit, Option.none())
