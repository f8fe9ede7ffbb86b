/**
 * The supervisor engine: one loop, one restart decision, one way to stop children within
 * their deadlines, shared by every supervisor. As in OTP's `supervisor.erl`, supervisors
 * differ only in a few clauses (`?is_simple` there): how children are kept, which
 * children a restart concerns, how a child that will not run again is dropped, and how
 * all children are stopped. Those are the abstract members of the {@link ChildKeeper} it
 * extends (with the children's records, starts and stops); here are its loop, its restart
 * decisions and what it tells of itself.
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import * as ExitReason from "../../ExitReason.js"
import type * as Process from "../../Process.js"
import * as SupervisionTree from "../../SupervisionTree.js"
import * as SupervisorError from "../../SupervisorError.js"
import type { SupervisorEvent } from "../../SupervisorEvent.js"
import { classify, shouldRestart } from "../exitReason.js"
import type { ProcessImpl } from "../process.js"
import { ChildKeeper } from "./childKeeper.js"
import { nextDelay } from "./policy.js"
import type { ChildRecord, Message } from "./record.js"
import { type ChildCounts, countsOf, snapshotOf } from "./snapshot.js"

/**
 * Ends a supervisor's loop: it stops its children and exits with `shutdown`.
 */
export class Stop {
  readonly _tag = "Stop"
}

const stop = new Stop()

const stopCause: Cause.Cause<ExitReason.ShutdownRequest> = Cause.fail(new ExitReason.ShutdownRequest({}))

export abstract class Engine<C extends ChildRecord> extends ChildKeeper<C> {
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
    this.unsafeDropChild(record)
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
    this.unsafeRemove(record)
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
    child.unsafeCancelTimer()
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

  /** Its events, with `subtree` also those of the supervisors under it (at any depth). */
  events(options?: { readonly subtree?: boolean | undefined }): Stream.Stream<SupervisorEvent> {
    return this.hub.events(options?.subtree === true)
  }

  /** The processes that missed their shutdown deadline and have not ended yet. */
  get listUnstopped(): Effect.Effect<ReadonlyArray<Process.ProcessRef>> {
    return Effect.sync(() => Array.from(this.unstopped))
  }
}
