/**
 * What the engine does with a supervisor's children, whatever the supervisor: the clauses
 * a supervisor provides (how its children are kept, which ones a restart concerns, how
 * they all stop), its records, and starting, watching and stopping the children's
 * incarnations within their deadlines. The engine adds its loop and its restart decisions.
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as ChildSpec from "../../ChildSpec.js"
import * as ExitReason from "../../ExitReason.js"
import type * as Process from "../../Process.js"
import type * as Restart from "../../Restart.js"
import type * as SupervisorError from "../../SupervisorError.js"
import { type Hub, hubOf, HubTypeId } from "../hub.js"
import type { Origin, ProcessImpl, Started } from "../process.js"
import { SupervisorMailboxImpl } from "../supervisorMailbox.js"
import { type Tracker, tracker } from "./policy.js"
import type { ChildRecord, Message } from "./record.js"
import { type Self, spawnChild } from "./start.js"
import { stopGrouped, stopTogether } from "./stop.js"

export type AutoShutdown = "never" | "any_significant" | "all_significant"

/**
 * A supervisor's children as the engine keeps them, through the clauses the supervisor
 * provides; the `Engine` extends it with its loop and its restart decisions.
 */
export abstract class ChildKeeper<C extends ChildRecord> {
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
  unsafeReplacePolicy(policy: Restart.Policy): void {
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
  abstract unsafeDropChild(record: C): void
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
  unsafeRemove(record: C): void {
    record.unsafeReleasePrevious()
    record.unsafeCancelTimer()
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
    if (record.pending !== undefined) record.unsafeApplyPending()
    const spawn = record.spawn
    if (spawn === undefined) {
      this.unsafeDropChild(record)
      return Effect.succeed(Either.right(false))
    }
    return Effect.flatMap(this.spawnChild(record, spawn, restarting), (exit): Effect.Effect<
      Either.Either<boolean, Cause.Cause<unknown>>
    > => {
      if (exit._tag === "Failure") return Effect.succeed(Either.left(exit.cause))
      if (exit.value._tag === "Ignored") {
        this.unsafeDropChild(record)
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
    record.unsafeReleasePrevious()
    record.process = process
    record.current = started.value
    record.status = "running"
    record.startedAt = now
    process.child = record
    // a temporary child is never started again: its start is let go
    if (record.restart === "temporary") record.unsafeForgetStart()
    process.addObserver(this.childEnded)
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
  unsafeTakeProcess(record: C, keepNames: boolean): ProcessImpl | undefined {
    record.unsafeCancelTimer()
    record.unsafeReleasePrevious()
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
    const process = this.unsafeTakeProcess(record, keepNames)
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
      const stopped: Array<C> = []
      const processes: Array<ProcessImpl> = []
      for (const record of records) {
        const process = this.unsafeTakeProcess(record, false)
        if (process === undefined) continue
        stopped.push(record)
        processes.push(process)
      }
      return stopGrouped(this, stopped, processes)
    })
  }

  /**
   * Tells the loop that a child's incarnation ended: one observer for every child (its
   * record is `process.child`). Once the supervisor has stopped, it waits for its children
   * itself.
   */
  private readonly childEnded = (exit: Exit.Exit<unknown, unknown>, process: ProcessImpl): void => {
    if (this.mailbox.alive) {
      this.mailbox.offer({ _tag: "Exit", record: process.child as C, process, reason: process.reasonOf(exit) })
    }
  }

  /** A process that missed its deadline: listed as unstopped until it ends. */
  unsafeNoteUnstopped(process: ProcessImpl): void {
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
}
