import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
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

/** Called with a process's exit when it ends. */
export type Observer = (exit: Exit.Exit<unknown, unknown>) => void

export class ProcessImpl implements Process.ProcessRef {
  // on the prototype: a process holds no more than its own fields
  get [ProcessTypeId](): Process.TypeId {
    return ProcessTypeId
  }
  readonly pid: number = ++lastPid
  /** The fiber running the process: none before it is forked, while it hibernates, once it has ended. */
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined = undefined
  /** How the process ended, once it has (its last fiber's exit). */
  exit: Exit.Exit<unknown, unknown> | undefined = undefined
  /** The reason given to `Process.stop`, read when the interruption is classified. */
  stopReason: Option.Option<unknown> = Option.none()
  /** The reason given to `Process.exit`, read when the interruption is classified. */
  signal: ExitReason.ExitReason | undefined = undefined
  /** The exit reason, classified once (see `reasonOf`). */
  protected reason: ExitReason.ExitReason | undefined = undefined
  /**
   * Where a process that hibernates runs its fibers from (see `hibernates`): the origin it
   * was started from, shared with the processes started with it (or, once a fiber of
   * its own changed a fiber ref, a runtime with its fiber refs), and its scope. A
   * process's own context is made again for each fiber: a hibernating process keeps none.
   */
  origin: Origin | undefined = undefined
  scope: Scope.CloseableScope | undefined = undefined
  /** The first interruption asked for, kept until the process has ended. */
  protected interruptor: FiberId.FiberId | undefined = undefined
  /**
   * Set by a supervisor right after it started this process: the supervisor then
   * decides when the process's registrations (names) are released, so that a name stays
   * reserved while the supervisor restarts the process.
   */
  supervised = false
  /** The record of the supervisor that watches this process, if any. */
  child: unknown = undefined
  /** One observer, or several (most processes have one: their supervisor). */
  private observers: Observer | Array<Observer> | undefined = undefined
  private releaseHooks: Array<() => void> | undefined = undefined
  private released = false

  /**
   * Whether the process may let its fiber go while it waits (see `hibernate`): it then
   * keeps what it needs to run a fiber again.
   */
  get hibernates(): boolean {
    return false
  }

  /** Whether the process is hibernating: it has no fiber until something wakes it. */
  get isHibernating(): boolean {
    return this.fiber === undefined && this.scope !== undefined
  }

  /**
   * Runs `observer` with the process's exit when it ends (at once if it has). Observers
   * run the newest first, as a fiber's do.
   */
  addObserver(observer: Observer): void {
    if (this.exit !== undefined) return observer(this.exit)
    const observers = this.observers
    if (observers === undefined) this.observers = observer
    else if (typeof observers === "function") this.observers = [observers, observer]
    else observers.push(observer)
  }

  removeObserver(observer: Observer): void {
    const observers = this.observers
    if (observers === observer) this.observers = undefined
    else if (Array.isArray(observers)) {
      const index = observers.indexOf(observer)
      if (index >= 0) observers.splice(index, 1)
    }
  }

  /** A fiber of the process ended: the process hibernates, or it has ended. */
  fiberEnded(fiber: Fiber.RuntimeFiber<unknown, unknown>, exit: Exit.Exit<unknown, unknown>): void {
    if (this.fiber === fiber) this.fiber = undefined
    if (Exit.isSuccess(exit) && exit.value === HIBERNATE) return this.hibernating(fiber)
    this.exit = exit
    this.origin = this.scope = undefined
    const observers = this.observers
    this.observers = undefined
    // the newest first, as Effect calls a fiber's observers
    if (typeof observers === "function") observers(exit)
    else if (observers !== undefined) { for (let i = observers.length - 1; i >= 0; i--) observers[i](exit) }
    this.ended(exit)
  }

  /** Closes the process's scope as its fiber ends, unless the fiber ended to hibernate. */
  closeScope(scope: Scope.CloseableScope, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    if (Exit.isSuccess(exit) && exit.value === HIBERNATE) return Effect.void
    this.closing()
    return Scope.close(scope, exit)
  }

  /** Called when the process starts closing its scope (it is ending). */
  protected closing(): void {}

  /** Called when the process has ended, after its observers. */
  protected ended(_exit: Exit.Exit<unknown, unknown>): void {}

  /**
   * The process's fiber ended to hibernate: the process keeps the fiber refs it had, and
   * runs again at once if it was interrupted meanwhile. A process that hibernates runs
   * again through `resume`, from its `wake`.
   */
  protected hibernating(fiber: Fiber.RuntimeFiber<unknown, unknown>): void {
    const origin = this.origin!
    const refs = fiber.getFiberRefs()
    // kept only if the fiber changed them: processes started from one origin share its refs
    if (refsChanged(refs, origin.fiberRefs)) {
      this.origin = Runtime.make({ context: origin.context, fiberRefs: refs, runtimeFlags: origin.runtimeFlags })
    }
    if (this.interruptor !== undefined) resume(this, Effect.failCause(Cause.interrupt(this.interruptor)))
  }

  /**
   * Interrupts the process as `interruptor` (without waiting): its fiber, or, while it
   * hibernates, a fiber that runs only to end it.
   */
  interrupt(interruptor: FiberId.FiberId): void {
    if (this.exit !== undefined) return
    if (this.interruptor === undefined) this.interruptor = interruptor
    const fiber = this.fiber
    if (fiber !== undefined) fiber.unsafeInterruptAsFork(interruptor)
    else if (this.isHibernating) resume(this, Effect.failCause(Cause.interrupt(interruptor)))
  }

  /** Interrupts the process as `interruptor` and waits until it has ended. */
  interruptAs(interruptor: FiberId.FiberId): Effect.Effect<ExitReason.ExitReason> {
    return Effect.suspend(() => {
      this.interrupt(interruptor)
      return this.await
    })
  }

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
    return Effect.async<ExitReason.ExitReason>((resume) => {
      const observer = (exit: Exit.Exit<unknown, unknown>) => resume(Effect.succeed(this.reasonOf(exit)))
      this.addObserver(observer)
      return Effect.sync(() => this.removeObserver(observer))
    })
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
    const exit = this.exit
    return exit === undefined ? Option.none() : Option.some(this.reasonOf(exit))
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
  /** The process to interrupt when a wait is interrupted. */
  process: ProcessImpl | undefined = undefined

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
        const process = this.process
        return process === undefined ? Effect.void : Effect.fiberIdWith((id) => process.interruptAs(id))
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
 * A process's own value meaning "the fiber ends here, the process does not": the body of
 * a process that hibernates succeeds with it (see `hibernate`).
 */
const HIBERNATE: unique symbol = Symbol.for("@effect-otp/supervisor/Process/hibernate")

/**
 * Ends the current fiber of a process that hibernates, keeping the process (its scope,
 * its context, its identity): `resume` runs a fiber for it again.
 * @internal
 */
export const hibernate: Effect.Effect<typeof HIBERNATE> = Effect.succeed(HIBERNATE)

/** @internal */
export const isHibernation = (u: unknown): u is typeof HIBERNATE => u === HIBERNATE

/** Whether a fiber set a fiber ref (other than the ones every fiber sets) to another value than `origin`. */
const refsChanged = (refs: FiberRefs.FiberRefs, origin: FiberRefs.FiberRefs): boolean => {
  for (const ref of FiberRefs.fiberRefs(refs)) {
    if (ref === FiberRef.currentContext || ref === FiberRef.currentRuntimeFlags) continue
    if (FiberRefs.getOrDefault(refs, ref) !== FiberRefs.getOrDefault(origin, ref)) return true
  }
  return false
}

/**
 * Runs a fiber for a process that hibernates: `effect`, then the process's scope is
 * closed as when its first fiber ends. The fiber is scheduled, not started on the
 * current thread: whoever wakes the process (a sender) goes on first.
 * @internal
 */
export const resume = (process: ProcessImpl, effect: Effect.Effect<unknown, unknown>): void => {
  const scope = process.scope!
  const fiber = Runtime.runFork(runtimeOf(process, process.origin!, scope))(processMain(process, effect, scope), {
    immediate: false
  })
  process.fiber = fiber
  watchFiber(process, fiber)
}

/**
 * Tells the process when its fiber ends. Made apart from `fork`: a closure made there
 * would keep the whole start (its body, `init`) alive as long as the fiber runs.
 */
const watchFiber = (process: ProcessImpl, fiber: Fiber.RuntimeFiber<unknown, unknown>): void =>
  fiber.addObserver((exit) => process.fiberEnded(fiber, exit))

const track = (running: Set<ProcessImpl>, process: ProcessImpl): void => {
  running.add(process)
  process.addObserver(() => running.delete(process))
}

/**
 * The runtime of a process's fibers: the origin's context plus the process's `Self` and
 * `Scope`, the origin's fiber refs, and its runtime flags with interruption enabled
 * (whatever the starter's region: no flag frame to keep).
 */
const runtimeOf = (process: ProcessImpl, origin: Origin, scope: Scope.CloseableScope): Runtime.Runtime<never> =>
  Runtime.make({
    context: Context.add(Context.add(origin.context, Self, process), Scope.Scope, scope) as Context.Context<never>,
    fiberRefs: origin.fiberRefs,
    runtimeFlags: RuntimeFlags.enable(origin.runtimeFlags, RuntimeFlags.Interruption)
  })

/**
 * The effect a process's fiber runs: it records its fiber (the body may run before
 * `runFork` returns), runs the body and closes the process's scope, unless the body ended
 * to hibernate.
 */
const processMain = (
  process: ProcessImpl,
  body: Effect.Effect<unknown, unknown>,
  scope: Scope.CloseableScope
): Effect.Effect<unknown, unknown> =>
  Effect.withFiberRuntime<unknown, unknown>((self) => {
    process.fiber = self
    return Effect.onExit(body, (exit) => process.closeScope(scope, exit))
  })

/** `effect`, to be run once: it is not kept after it started. */
const once = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> => {
  let pending: Effect.Effect<A, E> | undefined = effect
  return Effect.suspend(() => {
    const run = pending
    pending = undefined
    return run === undefined ? Effect.dieMessage("a process body ran twice") : run
  })
}

/**
 * Forks the process's fiber and starts it at once, on the current thread, until it first
 * suspends (a plain `fork` would only schedule it): a start whose `init` needs no I/O is
 * then over when `fork` returns, with no trip through the scheduler. The fiber is a
 * daemon with the origin's fiber refs and runtime flags (the current fiber's by default),
 * and the origin's context plus the process's `Self` and `Scope` (closed by the process's
 * own last fiber when it ends).
 */
const fork = <P extends ProcessImpl, R>(
  process: P,
  body: Effect.Effect<unknown, unknown, R | Scope.Scope | Self>,
  origin: Origin | undefined
): Effect.Effect<P, never, Exclude<R, Scope.Scope | Self>> =>
  Effect.flatMap(Scope.make(), (scope) =>
    Effect.withFiberRuntime((parent, status) => {
      const from = origin ?? originOf(parent, status.runtimeFlags)
      if (process.hibernates) {
        process.origin = from
        process.scope = scope
      }
      if (running !== undefined) track(running, process)
      // `onExit` keeps the effect it wraps as long as the fiber runs: a thin one, which
      // lets go of the body (its start, `init` and the like) once running
      watchFiber(
        process,
        Runtime.runFork(runtimeOf(process, from, scope))(
          processMain(process, once(body as Effect.Effect<unknown, unknown>), scope)
        )
      )
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
          if (observing) process.removeObserver(onEnd)
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
          starting.process = process
          if (starting.exit === undefined) {
            observing = true
            process.addObserver(onEnd)
          }
          return starting
        }
      )
    })
  )

/** @internal */
export const ignoreEffect: Effect.Effect<never, StartIgnored> = Effect.fail(ignored)

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
