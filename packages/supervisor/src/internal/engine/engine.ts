/**
 * The supervisor engine: one loop, one restart decision, one way to stop children within
 * their deadlines, shared by every supervisor. As in OTP's `supervisor.erl`, supervisors
 * differ only in a few clauses (`?is_simple` there): how children are kept, which
 * children a restart concerns, how a child that will not run again is dropped, and how
 * all children are stopped. Those are the abstract members below.
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as ChildSpec from "../../ChildSpec.js"
import * as ExitReason from "../../ExitReason.js"
import type * as Process from "../../Process.js"
import type * as Restart from "../../Restart.js"
import * as SupervisionTree from "../../SupervisionTree.js"
import * as SupervisorError from "../../SupervisorError.js"
import { classify, shouldRestart } from "../exitReason.js"
import { type Hub, hubOf, HubTypeId } from "../hub.js"
import type { Origin, ProcessImpl, Started } from "../process.js"
import { SupervisorMailboxImpl } from "../supervisorMailbox.js"
import { nextDelay, type Tracker, tracker } from "./policy.js"
import type { ChildRecord, Message } from "./record.js"
import { type ChildCounts, countsOf, snapshotOf } from "./snapshot.js"
import { type Self, spawnChild } from "./start.js"
import { stopGrouped, stopTogether } from "./stop.js"

/**
 * Ends a supervisor's loop: it stops its children and exits with `shutdown`.
 */
export class Stop {
  readonly _tag = "Stop"
}

const stop = new Stop()

const stopCause: Cause.Cause<ExitReason.ShutdownRequest> = Cause.fail(new ExitReason.ShutdownRequest({}))

export type AutoShutdown = "never" | "any_significant" | "all_significant"

export abstract class Engine<C extends ChildRecord> {
  readonly mailbox = new SupervisorMailboxImpl<Message<C>>()
  /** Processes that missed their shutdown deadline and have not ended yet. */
  readonly unstopped = new Set<ProcessImpl>()
  /** Children being stopped by an operation right now (their records no longer point at them). */
  readonly stopping = new Map<ProcessImpl, ChildSpec.Shutdown>()
  /** Set when the restart policy is done: the supervisor gave up (it exits with `shutdown`, as in OTP). */
  gaveUp: SupervisorError.GaveUp | undefined = undefined
  /** The restart policy as stepped; replaced by a reconfiguration. */
  policy: Tracker
  /** The supervisor's own process, set once it has started. */
  process!: Process.ProcessRef
  private lastOrigin: Origin

  constructor(
    readonly hub: Hub,
    policy: Restart.Policy,
    readonly self: Self,
    /** Changed by a reconfiguration. */
    public autoShutdown: AutoShutdown
  ) {
    this.policy = tracker(policy)
    this.lastOrigin = self.origin
  }

  /** Replaces the restart policy (a reconfiguration): it starts afresh, earlier restarts no longer count. */
  replacePolicy(policy: Restart.Policy): void {
    this.policy = tracker(policy)
  }

  // ---------------------------------------------------------------------------
  // What supervisors differ in
  // ---------------------------------------------------------------------------

  /** `one_for_one`, `one_for_all`, `rest_for_one` or `dynamic`: the tree's label. */
  abstract readonly strategy: string
  /** The children, in start order. */
  abstract children(): Iterable<C>
  /** Whether `record` is still one of the children. */
  abstract isCurrent(record: C): boolean
  /** Takes `record` out of the children. */
  protected abstract detach(record: C): void
  /** A child that will not run again: a dynamic supervisor forgets it, a static one keeps its spec. */
  abstract dropChild(record: C): void
  /** Stops every child (at the supervisor's stop, or when it gives up). */
  abstract readonly stopAll: Effect.Effect<void>

  /** The children a restart of `record` concerns, in start order (`record` among them). */
  affected(record: C): ReadonlyArray<C> {
    return [record]
  }

  /** Stops the running children a restart of `record` concerns besides `record`. */
  stopSiblings(_record: C): Effect.Effect<void> {
    return Effect.void
  }

  // ---------------------------------------------------------------------------
  // Records
  // ---------------------------------------------------------------------------

  get [HubTypeId](): Hub {
    return this.hub
  }

  /** Forgets `record`: its pending restart is cancelled, the names it kept are released. */
  remove(record: C): void {
    record.releasePrevious()
    record.cancelTimer()
    this.detach(record)
  }

  /** Children start from the supervisor's fiber refs and runtime flags, with their own context. */
  originFor(context: Context.Context<never>): Origin {
    // callers usually start many children with one context: they share one origin
    if (context !== this.lastOrigin.context) {
      this.lastOrigin = Runtime.make({
        context,
        fiberRefs: this.self.origin.fiberRefs,
        runtimeFlags: this.self.origin.runtimeFlags
      })
    }
    return this.lastOrigin
  }

  get now(): number {
    return this.self.clock.unsafeCurrentTimeMillis()
  }

  // ---------------------------------------------------------------------------
  // Starting
  // ---------------------------------------------------------------------------

  /** One start of `spawn` for child `id`, in a span when tracing, within its `startTimeout`. */
  spawnChild(
    record: Pick<ChildRecord, "id" | "startTimeout" | "origin">,
    spawn: Process.Spawn<unknown, unknown, unknown>,
    restart: boolean
  ): Effect.Effect<Exit.Exit<Started<unknown>, unknown>> {
    return spawnChild(this.hub.path, this.self.tracing, record, spawn, restart)
  }

  /**
   * Starts a new incarnation of `record`: `Right(true)` started, `Right(false)` declined
   * (the child is dropped), `Left(cause)` failed. `restartSince` is set for a restart.
   */
  startRecord(record: C, restarting: boolean): Effect.Effect<Either.Either<boolean, Cause.Cause<unknown>>> {
    // a spec changed by a reconfiguration takes effect at the child's next start
    if (record.pending !== undefined) record.applyPending()
    const spawn = record.spawn
    if (spawn === undefined) {
      this.dropChild(record)
      return Effect.succeed(Either.right(false))
    }
    return Effect.flatMap(this.spawnChild(record, spawn, restarting), (exit): Effect.Effect<
      Either.Either<boolean, Cause.Cause<unknown>>
    > => {
      if (exit._tag === "Failure") return Effect.succeed(Either.left(exit.cause))
      if (exit.value._tag === "Ignored") {
        this.dropChild(record)
        return Effect.succeed(Either.right(false))
      }
      return Effect.as(this.watch(record, exit.value, restarting), Either.right(true))
    })
  }

  /** Makes a started incarnation `record`'s running one, and watches for its exit. */
  watch(
    record: C,
    started: Extract<Started<unknown>, { readonly _tag: "Started" }>,
    restarting: boolean
  ): Effect.Effect<void> {
    const process = started.process as ProcessImpl
    const now = this.now
    record.releasePrevious()
    record.process = process
    record.current = started.value
    record.status = "running"
    record.startedAt = now
    process.child = record
    // a temporary child is never started again: its start is let go
    if (record.restart === "temporary") record.forgetStart()
    const mailbox = this.mailbox
    process.addObserver((exit) => {
      // once the supervisor has stopped, it waits for its children itself
      mailbox.offer({ _tag: "Exit", record, process, reason: process.reasonOf(exit) })
    })
    const childHub = hubOf(started.value)
    if (childHub !== undefined) this.hub.attach(childHub, record.id)
    if (!restarting) {
      this.hub.started(record.id, process)
      return Effect.void
    }
    record.restarts++
    return this.hub.restarted(record.id, process, record.restarts, now - record.restartSince)
  }

  // ---------------------------------------------------------------------------
  // Stopping
  // ---------------------------------------------------------------------------

  /**
   * Takes the running incarnation away from `record`; with `keepNames` its names stay
   * reserved for the restart to come.
   */
  takeProcess(record: C, keepNames: boolean): ProcessImpl | undefined {
    record.cancelTimer()
    record.releasePrevious()
    const process = record.process
    record.process = undefined
    record.status = "stopped"
    if (process === undefined) return undefined
    if (keepNames) record.previous = process
    else process.release()
    return process
  }

  /** Stops one running child within its shutdown deadline and returns its exit reason. */
  stopRecord(record: C, keepNames = false): Effect.Effect<ExitReason.ExitReason> {
    const process = this.takeProcess(record, keepNames)
    if (process === undefined) return Effect.succeed(ExitReason.shutdown)
    this.stopping.set(process, record.shutdown)
    return Effect.map(stopTogether(this, [record], [process], record.shutdown), () => {
      this.stopping.delete(process)
      return Option.getOrElse(process.poll, () => ExitReason.killed)
    })
  }

  /**
   * Stops children all at once (OTP's dynamic shutdown): all are signalled, then one
   * deadline per distinct shutdown value is waited for; linear in the number of children.
   */
  stopAllAtOnce(records: Iterable<C>): Effect.Effect<void> {
    return Effect.suspend(() => {
      const stopped: Array<readonly [C, ProcessImpl]> = []
      for (const record of records) {
        const process = this.takeProcess(record, false)
        if (process !== undefined) stopped.push([record, process])
      }
      return stopGrouped(this, stopped)
    })
  }

  /** A process that missed its deadline: listed as unstopped until it ends. */
  noteUnstopped(process: ProcessImpl): void {
    if (process.exit !== undefined) return
    this.unstopped.add(process)
    process.addObserver(() => this.unstopped.delete(process))
  }

  /**
   * Stops the children whose stop was cut short by the supervisor's own stop (a
   * `terminateChild` in progress): they get their deadline again, or are listed as
   * unstopped.
   */
  get finishStopping(): Effect.Effect<void> {
    return Effect.suspend(() => {
      const inFlight = Array.from(this.stopping)
      this.stopping.clear()
      return Effect.forEach(
        inFlight,
        ([process, shutdown]) => stopTogether(this, [], [process], shutdown),
        { concurrency: "unbounded", discard: true }
      )
    })
  }

  // ---------------------------------------------------------------------------
  // The loop
  // ---------------------------------------------------------------------------

  /** One message after another (`Effect.forever` would yield to the scheduler between them). */
  readonly step: Effect.Effect<never, Stop> = Effect.flatMap(
    Effect.suspend(() => {
      const message = this.mailbox.take()
      return message === undefined ? this.mailbox.park : this.handle(message)
    }),
    () => this.step
  )

  get loop(): Effect.Effect<never, ExitReason.ShutdownRequest> {
    return Effect.catchIf(
      this.step,
      (error): error is Stop => error instanceof Stop,
      () => Effect.failCause(stopCause)
    )
  }

  /** Runs when the supervisor's process ends, however it ends. */
  terminate(exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.mailbox.close()
      return Effect.zipRight(
        Effect.zipRight(
          Effect.zipRight(this.finishStopping, this.stopAll),
          Effect.sync(() => this.hub.stopped(classify(exit, Option.none())))
        ),
        this.mailbox.answerPending
      )
    })
  }

  handle(
    message: Message<C> | { readonly _tag: "Call"; readonly run: Effect.Effect<void> }
  ): Effect.Effect<void, Stop> {
    switch (message._tag) {
      case "Call":
        return message.run
      case "Exit":
        return this.onExit(message.record, message.process, message.reason)
      case "TryAgain":
        if (!this.isCurrent(message.record) || message.record.status !== "restarting") return Effect.void
        if (message.record.timer !== undefined) return Effect.void
        return this.attemptRestart(message.record, message.reason, false)
      case "Restart":
        if (!this.isCurrent(message.record) || message.record.timer?.message !== message) return Effect.void
        message.record.timer = undefined
        return this.restartNow(message.record)
    }
  }

  onExit(record: C, process: ProcessImpl, reason: ExitReason.ExitReason): Effect.Effect<void, Stop> {
    if (record.process !== process || !this.isCurrent(record)) return Effect.void
    record.process = undefined
    record.status = "stopped"
    const exited = this.hub.exited(record.id, process, reason, {
      byItself: true,
      permanent: record.restart === "permanent"
    })
    if (shouldRestart(record.restart, reason)) {
      record.previous = process
      record.restartSince = this.now
      return Effect.zipRight(exited, this.attemptRestart(record, reason, true))
    }
    process.release()
    this.dropChild(record)
    return Effect.zipRight(exited, this.checkAutoShutdown(record))
  }

  /** OTP's auto-shutdown: a significant child's exit may stop the supervisor. */
  checkAutoShutdown(record: C): Effect.Effect<void, Stop> {
    if (!record.significant || this.autoShutdown === "never") return Effect.void
    if (this.autoShutdown === "all_significant") {
      for (const child of this.children()) {
        if (child.significant && child.status !== "stopped") return Effect.void
      }
    }
    return this.shutdownSelf
  }

  get shutdownSelf(): Effect.Effect<never, Stop> {
    return Effect.zipRight(this.stopAll, Effect.fail(stop))
  }

  /**
   * One restart attempt: step the restart policy (and the child's backoff); give up
   * when either is done; otherwise stop the children the strategy restarts with it and
   * start them again, now or after the delay asked for.
   */
  attemptRestart(record: C, reason: ExitReason.ExitReason, afterExit: boolean): Effect.Effect<void, Stop> {
    const backoff = record.backoff === undefined ? undefined : {
      tracker: record.backoff,
      resetAfter: record.resetBackoffAfter,
      upSince: afterExit ? record.startedAt : undefined
    }
    return Effect.flatMap(
      nextDelay(this.policy, { childId: record.id, reason }, backoff),
      (delay) => Option.isNone(delay) ? this.giveUp(record) : this.restartAfter(record, Duration.toMillis(delay.value))
    )
  }

  restartAfter(record: C, delay: number): Effect.Effect<void> {
    return Effect.zipRight(
      this.stopSiblings(record),
      delay <= 0 ? this.restartNow(record) : this.scheduleRestart(record, delay)
    )
  }

  scheduleRestart(record: C, delay: number): Effect.Effect<void> {
    record.status = "restarting"
    this.hub.backoff(record.id, Duration.millis(delay))
    const message: Message<C> = { _tag: "Restart", record }
    return Effect.map(this.mailbox.offerAfter(Duration.millis(delay), message), (cancel) => {
      record.timer = { message, cancel }
    })
  }

  giveUp(record: C): Effect.Effect<never, Stop> {
    this.remove(record)
    this.gaveUp = new SupervisorError.GaveUp({ supervisor: this.hub.path, childId: record.id })
    return Effect.zipRight(this.hub.exhausted(record.id), this.shutdownSelf)
  }

  /**
   * Starts `record` and the siblings its restart concerns that are not running, in start
   * order. If one fails to start it is marked restarting, the ones after it stay stopped,
   * and a new attempt is queued behind the messages already waiting.
   */
  restartNow(record: C): Effect.Effect<void> {
    // suspended: the siblings are read when this runs, after they were stopped
    return Effect.suspend(() => this.startFrom(this.affected(record), 0, record.restartSince))
  }

  private startFrom(children: ReadonlyArray<C>, index: number, since: number): Effect.Effect<void> {
    if (index >= children.length) return Effect.void
    const child = children[index]
    if (!this.isCurrent(child) || child.status === "running") return this.startFrom(children, index + 1, since)
    child.cancelTimer()
    child.restartSince = since
    return Effect.flatMap(this.startRecord(child, true), (result) => {
      if (Either.isRight(result)) return this.startFrom(children, index + 1, since)
      child.status = "restarting"
      this.mailbox.offer({ _tag: "TryAgain", record: child, reason: ExitReason.abnormal(result.left) })
      return Effect.void
    })
  }

  // ---------------------------------------------------------------------------
  // Reading the supervisor
  // ---------------------------------------------------------------------------

  /** The child whose running incarnation is `process`, if it is one of this supervisor's. */
  childOf(process: Process.ProcessRef): C | undefined {
    const record = (process as ProcessImpl).child as C | undefined
    return record !== undefined && record.process === process && this.isCurrent(record) ? record : undefined
  }

  /**
   * Waits until the supervisor stops: `GaveUp` when its restart policy was done, a defect
   * when it crashed or was killed, its exit reason otherwise.
   */
  get join(): Effect.Effect<ExitReason.ExitReason, SupervisorError.GaveUp> {
    return Effect.flatMap(this.process.await, (reason) => {
      if (this.gaveUp !== undefined) return Effect.fail(this.gaveUp)
      switch (reason._tag) {
        case "Abnormal":
          return Effect.failCause(Cause.flatMap(reason.cause, Cause.die))
        case "Killed":
          return Effect.dieMessage(`the supervisor ${this.process} was killed`)
        default:
          return Effect.succeed(reason)
      }
    })
  }

  /** Runs `operation` in the loop, between messages, and answers the caller. */
  call<A, E>(operation: Effect.Effect<A, E>): Effect.Effect<A, E | SupervisorError.SupervisorStopped> {
    return this.mailbox.call(operation)
  }

  readonly [SupervisionTree.TypeId] = (): Effect.Effect<SupervisionTree.Tree> => this.tree

  /** The live tree under this supervisor (an empty one once it has stopped). */
  get tree(): Effect.Effect<SupervisionTree.Tree> {
    const snapshot = Effect.sync(() => snapshotOf(this.children(), this.now))
    return Effect.flatMap(
      Effect.orElseSucceed(this.call(snapshot), () => []),
      (children) =>
        SupervisionTree.make({ name: this.hub.path, process: this.process, strategy: this.strategy, children })
    )
  }

  get countChildren(): Effect.Effect<ChildCounts, SupervisorError.SupervisorStopped> {
    return this.call(Effect.sync(() => countsOf(this.children())))
  }
}
