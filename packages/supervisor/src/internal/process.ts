import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Runtime from "effect/Runtime"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as Scope from "effect/Scope"
import * as ExitReason from "../ExitReason.js"
import type * as Process from "../Process.js"
import { classify } from "./exitReason.js"

export { classify, exitFiberId, killFiberId, shutdownFiberId } from "./exitReason.js"

export const ProcessTypeId: Process.TypeId = Symbol.for("@effect-otp/supervisor/Process") as Process.TypeId

export const SpawnTypeId: Process.SpawnTypeId = Symbol.for(
  "@effect-otp/supervisor/Process/Spawn"
) as Process.SpawnTypeId

let lastPid = 0

/**
 * The processes started and not yet ended, tracked only once `trackProcesses` was called
 * (by the test suite's leak check): nothing is spent on it otherwise.
 * @internal
 */
export let running: Set<ProcessImpl> | undefined = undefined

/** @internal */
export const trackProcesses = (): Set<ProcessImpl> => {
  if (running === undefined) running = new Set()
  return running
}

export class ProcessImpl implements Process.ProcessRef {
  readonly [ProcessTypeId]: Process.TypeId = ProcessTypeId
  readonly pid: number = ++lastPid
  fiber!: Fiber.RuntimeFiber<unknown, unknown>
  /** The reason given to `Process.stop`, read when the interruption is classified. */
  stopReason: Option.Option<unknown> = Option.none()
  /** The reason given to `Process.exit`, read when the interruption is classified. */
  signal: ExitReason.ExitReason | undefined = undefined
  /** The exit reason, classified once (see `reasonOf`). */
  protected reason: ExitReason.ExitReason | undefined = undefined
  /**
   * Set by a supervisor right after it started this process: the supervisor then
   * decides when the process's registrations (names) are released, so that a name stays
   * reserved while the supervisor restarts the process.
   */
  supervised = false
  /** The record of the supervisor that watches this process, if any. */
  child: unknown = undefined
  private releaseHooks: Array<() => void> | undefined = undefined
  private released = false

  /** Runs `hook` when the process is released (at once if it already was). */
  onRelease(hook: () => void): void {
    if (this.released) return hook()
    if (this.releaseHooks === undefined) this.releaseHooks = []
    this.releaseHooks.push(hook)
  }

  /**
   * Releases what the process registered (idempotent). Unsupervised processes are
   * released when they end; supervised ones when their supervisor will not restart them.
   */
  release(): void {
    if (this.released) return
    this.released = true
    const hooks = this.releaseHooks
    this.releaseHooks = undefined
    if (hooks !== undefined) { for (const hook of hooks) hook() }
  }

  get await(): Effect.Effect<ExitReason.ExitReason> {
    return Effect.map(this.fiber.await, (exit) => this.reasonOf(exit))
  }

  /** Records that the process missed its shutdown deadline: its exit reason is `Killed`. */
  markKilled(): void {
    if (this.reason === undefined) this.reason = ExitReason.killed
  }

  reasonOf(exit: Exit.Exit<unknown, unknown>): ExitReason.ExitReason {
    if (this.reason === undefined) this.reason = this.classify(exit)
    return this.reason
  }

  /** The exit reason `exit` means for this process (not recorded: see `reasonOf`). */
  classify(exit: Exit.Exit<unknown, unknown>): ExitReason.ExitReason {
    return classify(exit, this.stopReason, this.signal)
  }

  /** The exit reason if the process has ended, without waiting. */
  get poll(): Option.Option<ExitReason.ExitReason> {
    const exit = this.fiber.unsafePoll()
    return exit === null ? Option.none() : Option.some(this.reasonOf(exit))
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toString() {
    return `Process<${this.pid}>`
  }

  toJSON() {
    return { _id: "Process", pid: this.pid }
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toJSON()
  }
}

/**
 * The running process, available to its own body.
 * Not part of the public API: public modules re-export it.
 */
export class Self extends Context.Tag("@effect-otp/supervisor/Process/Self")<Self, Process.ProcessRef>() {}

/**
 * A start that declines (OTP `ignore`).
 * Not part of the public API: public modules re-export it.
 */
export class StartIgnored extends Data.TaggedError("StartIgnored")<{}> {
  get message() {
    return "the start declined (ignore)"
  }
}

/** @internal */
export const ignored: StartIgnored = new StartIgnored()

/** Not part of the public API: public modules re-export it. */
export type Started<A> =
  | { readonly _tag: "Started"; readonly process: Process.ProcessRef; readonly value: A }
  | { readonly _tag: "Ignored" }

/**
 * Where a process is forked from: its context and the fiber refs and runtime flags it
 * starts with.
 */
export type Origin = Runtime.Runtime<never>

export interface SpawnImpl<A, E, R> extends Process.Spawn<A, E, R> {
  /** Starts a process whose registrations its supervisor releases (see `ProcessImpl.supervised`). */
  readonly runSupervised: Effect.Effect<Started<A>, E, R>
  /**
   * Forks the process and starts it at once (see `fork`); `origin` defaults to the
   * current fiber. Never suspends: the start may still be going on when it returns.
   */
  start(supervised: boolean, origin: Origin | undefined): Effect.Effect<Process.Starting<A, E>, never, R>
}

/**
 * A start under way: its outcome once known (`poll`), and a wait for it (`await`). An
 * interrupted wait stops the process being started.
 */
export class StartingImpl<A, E> implements Process.Starting<A, E> {
  exit: Exit.Exit<Started<A>, E> | undefined = undefined
  private waiters: Array<(exit: Exit.Exit<Started<A>, E>) => void> | undefined = undefined
  /** The fiber to interrupt when a wait is interrupted. */
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined = undefined

  done(exit: Exit.Exit<Started<A>, E>): void {
    if (this.exit !== undefined) return
    this.exit = exit
    const waiters = this.waiters
    this.waiters = undefined
    if (waiters !== undefined) { for (const resume of waiters) resume(exit) }
  }

  get poll(): Option.Option<Exit.Exit<Started<A>, E>> {
    return Option.fromNullable(this.exit)
  }

  get await(): Effect.Effect<Started<A>, E> {
    return this.exit !== undefined ? this.exit : Effect.async<Started<A>, E>((resume) => {
      // the start may have ended between this effect's making and its running
      if (this.exit !== undefined) return resume(this.exit)
      if (this.waiters === undefined) this.waiters = []
      this.waiters.push(resume)
      return Effect.suspend(() => {
        if (this.waiters !== undefined) this.waiters = this.waiters.filter((waiter) => waiter !== resume)
        return this.fiber === undefined ? Effect.void : Fiber.interrupt(this.fiber)
      })
    })
  }
}

/** @internal */
export const isSpawn = (u: unknown): u is SpawnImpl<unknown, unknown, unknown> =>
  typeof u === "object" && u !== null && SpawnTypeId in u

const SpawnProto = {
  [SpawnTypeId]: SpawnTypeId,
  pipe() {
    return pipeArguments(this, arguments)
  }
}

const awaitStart = <A, E>(starting: Process.Starting<A, E>): Effect.Effect<Started<A>, E> => starting.await

/**
 * A spawn from its `start`; `run` and `runSupervised` start from the current fiber and
 * wait for the outcome.
 * @internal
 */
export const makeSpawn = <A, E, R>(
  start: (supervised: boolean, origin: Origin | undefined) => Effect.Effect<Process.Starting<A, E>, never, R>
): SpawnImpl<A, E, R> => {
  const self = Object.create(SpawnProto) as {
    run: Effect.Effect<Started<A>, E, R>
    runSupervised: Effect.Effect<Started<A>, E, R>
    start: typeof start
  } & SpawnImpl<A, E, R>
  self.start = start
  self.run = Effect.flatMap(start(false, undefined), awaitStart)
  self.runSupervised = Effect.flatMap(start(true, undefined), awaitStart)
  return self
}

/**
 * A spawn whose every start fails with `error`, starting nothing (e.g. invalid options).
 * @internal
 */
export const spawnFailure = <E>(error: E): SpawnImpl<never, E, never> =>
  makeSpawn(() =>
    Effect.sync(() => {
      const starting = new StartingImpl<never, E>()
      starting.done(Exit.fail(error))
      return starting
    })
  )

const originOf = (parent: Fiber.RuntimeFiber<unknown, unknown>, runtimeFlags: RuntimeFlags.RuntimeFlags): Origin =>
  Runtime.make({ context: parent.currentContext, fiberRefs: parent.getFiberRefs(), runtimeFlags })

/**
 * The effect a process's fiber runs: it records its fiber (the body may run before
 * `runFork` returns), runs the body and closes the process's scope. Made apart from
 * `fork`, so that what a running process keeps (its scope's finalizer) holds nothing of
 * its start.
 */
const processMain = (
  process: ProcessImpl,
  body: Effect.Effect<unknown, unknown>,
  scope: Scope.CloseableScope
): Effect.Effect<unknown, unknown> => {
  // `onExit` keeps the effect it wraps as long as the process runs: a thin one, which
  // lets go of the body (its start, `init` and the like) once running
  const thin = once(body)
  return Effect.withFiberRuntime<unknown, unknown>((self) => {
    process.fiber = self
    return Effect.onExit(thin, closeScope(scope))
  })
}

/** `effect`, to be run once: it is not kept after it started. */
const once = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> => {
  let pending: Effect.Effect<A, E> | undefined = effect
  return Effect.suspend(() => {
    const run = pending
    pending = undefined
    return run === undefined ? Effect.dieMessage("a process body ran twice") : run
  })
}

const closeScope = (scope: Scope.CloseableScope) => (exit: Exit.Exit<unknown, unknown>) => Scope.close(scope, exit)

/**
 * Forks the process's fiber and starts it at once, on the current thread, until it first
 * suspends (a plain `fork` would only schedule it): a start whose `init` needs no I/O is
 * then over when `fork` returns, with no trip through the scheduler. The fiber is a
 * daemon with the origin's fiber refs and runtime flags (the current fiber's by default),
 * and the origin's context plus the process's `Self` and `Scope` (closed by the process's
 * own fiber when it ends).
 */
const fork = <P extends ProcessImpl, R>(
  process: P,
  body: Effect.Effect<unknown, unknown, R | Scope.Scope | Self>,
  origin: Origin | undefined
): Effect.Effect<P, never, Exclude<R, Scope.Scope | Self>> =>
  Effect.flatMap(Scope.make(), (scope) =>
    Effect.withFiberRuntime((parent, status) => {
      const from = origin ?? originOf(parent, status.runtimeFlags)
      const context = Context.add(Context.add(from.context, Self, process), Scope.Scope, scope) as Context.Context<
        never
      >
      // interruptible from the start (whatever the starter's region): no flag frame to keep
      const runtimeFlags = RuntimeFlags.enable(from.runtimeFlags, RuntimeFlags.Interruption)
      const runtime = Runtime.make({ context, fiberRefs: from.fiberRefs, runtimeFlags })
      const fiber = Runtime.runFork(runtime)(processMain(process, body as Effect.Effect<unknown, unknown>, scope))
      process.fiber = fiber
      if (running !== undefined) {
        const tracked = running
        tracked.add(process)
        fiber.addObserver(() => tracked.delete(process))
      }
      return Effect.succeed(process)
    }))

/**
 * A process whose body is a plain effect: started as soon as it is forked.
 * @internal
 */
export const spawnEffect = <E, R>(
  body: Effect.Effect<unknown, E, R>
): SpawnImpl<ProcessImpl, never, Exclude<R, Scope.Scope | Self>> =>
  makeSpawn((supervised, origin) =>
    Effect.suspend(() => {
      const process = new ProcessImpl()
      process.supervised = supervised
      return Effect.map(
        fork(process, body as Effect.Effect<unknown, E, Exclude<R, Scope.Scope | Self> | Scope.Scope | Self>, origin),
        (process) => {
          const starting = new StartingImpl<ProcessImpl, never>()
          starting.done(Exit.succeed({ _tag: "Started", process, value: process }))
          return starting
        }
      )
    })
  )

/**
 * A process with an initialization step: started when `init` has succeeded. A failing
 * `init` fails the start with its cause, once the process has ended; an `init` that
 * fails with `StartIgnored` makes the start decline. `makeProcess` lets a behaviour
 * (e.g. a GenServer) use its own subclass of `ProcessImpl` as the process.
 * @internal
 */
export const spawnWithInit = <S, E, R, E2, R2, A, P extends ProcessImpl = ProcessImpl>(
  init: Effect.Effect<S, E, R>,
  run: (state: S, process: P) => Effect.Effect<unknown, E2, R2>,
  value: (process: P, state: S) => A,
  makeProcess?: () => P
): SpawnImpl<A, E, Exclude<R | R2, Scope.Scope | Self>> =>
  makeSpawn((supervised, origin) =>
    Effect.suspend(() => {
      const process = makeProcess === undefined ? new ProcessImpl() as P : makeProcess()
      // marked before it starts: its registrations then stay reserved if it ends at once
      process.supervised = supervised
      const starting = new StartingImpl<A, E>()
      let failure: Cause.Cause<E> | undefined = undefined
      let observing = false
      // a start that did not succeed is over once the process has ended
      const onEnd = (exit: Exit.Exit<unknown, unknown>) => {
        if (starting.exit !== undefined) return
        const cause = failure ?? (Exit.isFailure(exit) ? exit.cause as Cause.Cause<E> : Cause.empty)
        const reason = Cause.failureOption(cause)
        starting.done(
          Option.isSome(reason) && reason.value instanceof StartIgnored
            ? Exit.succeed({ _tag: "Ignored" })
            : Exit.failCause(cause)
        )
      }
      const body = Effect.matchCauseEffect(init, {
        onFailure: (cause) => {
          failure = cause
          return Effect.failCause(cause)
        },
        onSuccess: (state) => {
          // started: the process no longer needs to keep its start around
          if (observing) process.fiber.removeObserver(onEnd)
          starting.done(Exit.succeed({ _tag: "Started", process, value: value(process, state) }))
          return run(state, process)
        }
      })
      return Effect.map(
        fork(
          process,
          body as Effect.Effect<unknown, unknown, Exclude<R | R2, Scope.Scope | Self> | Scope.Scope | Self>,
          origin
        ),
        (process) => {
          starting.fiber = process.fiber
          if (starting.exit === undefined) {
            observing = true
            process.fiber.addObserver(onEnd)
          }
          return starting
        }
      )
    })
  )

/** @internal */
export const ignoreEffect: Effect.Effect<never, StartIgnored> = Effect.fail(ignored)

/** @internal */
export const mapExit = (
  effect: Effect.Effect<Exit.Exit<unknown, unknown>>,
  process: ProcessImpl
): Effect.Effect<ExitReason.ExitReason> => Effect.map(effect, (exit) => process.reasonOf(exit))

/**
 * `Effect.addFinalizer` without its fiber-ref bookkeeping (it diffs and patches every
 * fiber ref when the finalizer runs): a process adds its finalizers from its own fiber,
 * and its scope is closed by that same fiber (see `fork`), with the same context.
 * @internal
 */
export const addFinalizer = (
  finalizer: (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<unknown>
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.flatMap(Effect.scope, (scope) => Scope.addFinalizerExit(scope, finalizer))
