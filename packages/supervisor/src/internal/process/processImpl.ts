/**
 * A process: its identity (pid), its fiber (none while it hibernates), its exit and the
 * observers told of it, the signals it was sent, and what it registered.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Runtime from "effect/Runtime"
import * as Scope from "effect/Scope"
import * as ExitReason from "../../ExitReason.js"
import type * as Process from "../../Process.js"
import { classify } from "../exitReason.js"
import { isHibernation, type Origin, refsChanged, resume } from "./fiber.js"
import { TypeId } from "./models.js"

let lastPid = 0

let lastInterruptor: FiberId.FiberId | undefined = undefined
let lastInterrupted: Exit.Exit<never> | undefined = undefined

/**
 * The exit of a process interrupted by `interruptor` with no fiber to interrupt: the same
 * exit for every process a stop ends (a supervisor ending thousands of children makes one).
 */
const interruptedBy = (interruptor: FiberId.FiberId): Exit.Exit<never> => {
  if (interruptor !== lastInterruptor || lastInterrupted === undefined) {
    lastInterruptor = interruptor
    lastInterrupted = Exit.failCause(Cause.interrupt(interruptor))
  }
  return lastInterrupted
}

/** What `Process.stop` and `Process.exit` asked a process for. */
interface Requested {
  readonly stopReason: Option.Option<unknown>
  readonly signal: ExitReason.ExitReason | undefined
}

/** The release hooks of a process that was released. */
const releasedMark: Array<() => void> = []

/**
 * Called with a process's exit when it ends, and the process (so that one observer can
 * watch many processes).
 */
export type Observer = (exit: Exit.Exit<unknown, unknown>, process: ProcessImpl) => void

export class ProcessImpl implements Process.ProcessRef {
  // on the prototype: a process holds no more than its own fields
  get [TypeId](): Process.TypeId {
    return TypeId
  }
  readonly pid: number = ++lastPid
  /** The fiber running the process: none before it is forked, while it hibernates, once it has ended. */
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined = undefined
  /** How the process ended, once it has (its last fiber's exit). */
  exit: Exit.Exit<unknown, unknown> | undefined = undefined
  /** What `Process.stop` and `Process.exit` asked for (rare: kept apart, see `requestStop`). */
  private requested: Requested | undefined = undefined
  /** The exit reason, classified once (see `reasonOf`). */
  protected reason: ExitReason.ExitReason | undefined = undefined
  /**
   * Where a process that hibernates runs its fibers from (see `hibernates`): the origin it
   * was started from, shared with the processes started with it (or, once a fiber of
   * its own changed a fiber ref, a runtime with its fiber refs), and its scope. A
   * process's own context is made again for each fiber: a hibernating process keeps none.
   * A process started hibernated (see `startHibernated`) has no scope until a fiber of its
   * own first runs: until then, nothing can have been added to it.
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
  /** What to run when the process is released; `releasedMark` once it was. */
  private releaseHooks: Array<() => void> | undefined = undefined

  /**
   * Whether the process may let its fiber go while it waits (see `hibernate`): it then
   * keeps what it needs to run a fiber again.
   */
  get hibernates(): boolean {
    return false
  }

  /** Whether the process is hibernating: it has no fiber until something wakes it. */
  get isHibernating(): boolean {
    return this.fiber === undefined && this.origin !== undefined
  }

  /**
   * Runs `observer` with the process's exit when it ends (at once if it has). Observers
   * run the newest first, as a fiber's do.
   */
  addObserver(observer: Observer): void {
    if (this.exit !== undefined) return observer(this.exit, this)
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
    if (Exit.isSuccess(exit) && isHibernation(exit.value)) return this.hibernating(fiber)
    this.end(exit)
  }

  /** The process has ended with `exit`: its observers are told, the newest first. */
  private end(exit: Exit.Exit<unknown, unknown>): void {
    this.exit = exit
    this.origin = this.scope = undefined
    const observers = this.observers
    this.observers = undefined
    // the newest first, as Effect calls a fiber's observers
    if (typeof observers === "function") observers(exit, this)
    else if (observers !== undefined) { for (let i = observers.length - 1; i >= 0; i--) observers[i](exit, this) }
    this.ended(exit)
  }

  /** Closes the process's scope as its fiber ends, unless the fiber ended to hibernate. */
  closeScope(scope: Scope.CloseableScope, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    if (Exit.isSuccess(exit) && isHibernation(exit.value)) return Effect.void
    this.closing()
    return Scope.close(scope, exit)
  }

  /** Called when the process starts closing its scope (it is ending). */
  protected closing(): void {}

  /** Called when the process has ended, after its observers. */
  protected ended(_exit: Exit.Exit<unknown, unknown>): void {}

  /**
   * The process's fiber ended to hibernate: the process keeps the fiber refs it had, and
   * runs again at once, to its end, if it was interrupted meanwhile. Otherwise it runs
   * again through `resume` when something wakes it (a GenServer: a message).
   */
  protected hibernating(fiber: Fiber.RuntimeFiber<unknown, unknown>): void {
    const origin = this.origin!
    const refs = fiber.getFiberRefs()
    // kept only if the fiber changed them: processes started from one origin share its refs
    if (refsChanged(refs, origin.fiberRefs)) {
      this.origin = Runtime.make({ context: origin.context, fiberRefs: refs, runtimeFlags: origin.runtimeFlags })
    }
    if (this.interruptor !== undefined) resume(this, Effect.failCause(Cause.interrupt(this.interruptor)), true)
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
    else if (!this.isHibernating) return
    else if (this.scope !== undefined) resume(this, Effect.failCause(Cause.interrupt(interruptor)), true)
    else {
      // no fiber of its own ever ran: it has no scope, no finalizer to run, nothing to wait for
      this.closing()
      this.end(interruptedBy(interruptor))
    }
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
    if (this.releaseHooks === releasedMark) return hook()
    if (this.releaseHooks === undefined) this.releaseHooks = []
    this.releaseHooks.push(hook)
  }

  /**
   * Releases what the process registered (idempotent). Unsupervised processes are
   * released when they end; supervised ones when their supervisor will not restart them.
   */
  release(): void {
    const hooks = this.releaseHooks
    if (hooks === releasedMark) return
    this.releaseHooks = releasedMark
    if (hooks !== undefined) { for (const hook of hooks) hook() }
  }

  /** The reason given to `Process.stop`, read when the interruption is classified. */
  get stopReason(): Option.Option<unknown> {
    return this.requested === undefined ? Option.none() : this.requested.stopReason
  }

  /** The reason given to `Process.exit`, read when the interruption is classified. */
  get signal(): ExitReason.ExitReason | undefined {
    return this.requested === undefined ? undefined : this.requested.signal
  }

  /** Records the reason of a `Process.stop`, on a process still running: the first reason given wins. */
  requestStop(reason: unknown): void {
    if (this.exit !== undefined || Option.isSome(this.stopReason)) return
    this.requested = { stopReason: Option.some(reason), signal: this.signal }
  }

  /** Records the reason of a `Process.exit`, on a process still running: the first reason given wins. */
  requestExit(signal: ExitReason.ExitReason): void {
    if (this.exit !== undefined || this.signal !== undefined) return
    this.requested = { stopReason: this.stopReason, signal }
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
