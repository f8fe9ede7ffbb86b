import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as ExitReason from "@effect-otp/supervisor/ExitReason"
import * as Process from "@effect-otp/supervisor/Process"
import * as Restart from "@effect-otp/supervisor/Restart"
import * as SupervisionTree from "@effect-otp/supervisor/SupervisionTree"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as SupervisorEvent from "@effect-otp/supervisor/SupervisorEvent"
import * as SupervisorMailbox from "@effect-otp/supervisor/SupervisorMailbox"
import * as Clock from "effect/Clock"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Runtime from "effect/Runtime"
import type * as DynamicSupervisor from "../DynamicSupervisor.js"

/** @internal */
export const TypeId: DynamicSupervisor.TypeId = Symbol.for(
  "@effect-otp/dynamic-supervisor/DynamicSupervisor"
) as DynamicSupervisor.TypeId

/** @internal */
export const ChildTypeId: DynamicSupervisor.ChildTypeId = Symbol.for(
  "@effect-otp/dynamic-supervisor/DynamicSupervisor/Child"
) as DynamicSupervisor.ChildTypeId

type AnySpawn = Process.Spawn<unknown, unknown>

/** @internal */
export type ChildStatus = "running" | "restarting"

/** One child: stable across its incarnations. */
class ChildRecord implements DynamicSupervisor.Child<unknown> {
  readonly [ChildTypeId]: DynamicSupervisor.ChildTypeId = ChildTypeId
  status: ChildStatus = "running"
  /** What the running incarnation's start returned. */
  current: unknown = undefined
  process: Process.ProcessRef | undefined = undefined
  /** The incarnation being restarted: its names stay reserved until the restart ends. */
  previous: Process.ProcessRef | undefined = undefined
  startedAt = 0
  /** When the exit that caused the pending restart happened. */
  exitedAt = 0
  restarts = 0
  /** The pending restart: its message, and how to cancel its timer. */
  timer: { readonly message: Message; readonly cancel: () => void } | undefined = undefined
  readonly backoff: Restart.Tracker | undefined
  constructor(
    readonly key: number,
    readonly id: string,
    /** `undefined` for temporary children: their start is not retained. */
    public spawn: AnySpawn | undefined,
    /** Where its incarnations start from: the caller's context, the supervisor's fiber refs. */
    readonly origin: Runtime.Runtime<never>,
    readonly restart: ChildSpec.RestartType,
    readonly shutdown: ChildSpec.Shutdown,
    readonly type: ChildSpec.ChildType,
    readonly value: unknown,
    readonly initial: Process.ProcessRef,
    backoff: Option.Option<Restart.Policy>,
    readonly resetBackoffAfter: Option.Option<number>,
    readonly startTimeout: Option.Option<Duration.Duration>
  ) {
    this.backoff = Option.isSome(backoff) ? Restart.tracker(backoff.value) : undefined
  }
  pipe() {
    return pipeArguments(this, arguments)
  }
  releasePrevious() {
    if (this.previous !== undefined) {
      Process.release(this.previous)
      this.previous = undefined
    }
  }
  toJSON() {
    return { _id: "DynamicSupervisor.Child", key: this.key, status: this.status }
  }
}

type Message =
  | {
    readonly _tag: "Exit"
    readonly record: ChildRecord
    readonly process: Process.ProcessRef
    readonly reason: ExitReason.ExitReason
  }
  | { readonly _tag: "TryAgain"; readonly record: ChildRecord; readonly reason: ExitReason.ExitReason }
  | { readonly _tag: "Restart"; readonly record: ChildRecord }

class Stop {
  readonly _tag = "Stop"
}

const stop = new Stop()

/** A start's outcome, as `Process.start` gives it: started, declined (`Ignored`), or failed. */
type StartExit = Exit.Exit<Process.Started<unknown>, unknown>

/** The `Started` case of `Process.Started`. */
type Running = Extract<Process.Started<unknown>, { readonly _tag: "Started" }>

/** Waits for a start, within the child's `startTimeout` if it has one. */
const awaitStart = (
  starting: Process.Starting<unknown, unknown>,
  id: string,
  startTimeout: Option.Option<Duration.Duration>
): Effect.Effect<Process.Started<unknown>, unknown> =>
  Option.isNone(startTimeout) ? starting.await : Effect.timeoutFail(starting.await, {
    duration: startTimeout.value,
    onTimeout: () => new SupervisorError.StartTimeout({ id, timeout: startTimeout.value })
  })

/** Stops a start that the supervisor will not see through (it stopped meanwhile). */
const abandon = (starting: Process.Starting<unknown, unknown>): Effect.Effect<void> =>
  Effect.flatMap(
    Effect.fork(Effect.interruptible(starting.await)),
    (fiber) =>
      Effect.flatMap(Fiber.interrupt(fiber), (exit) =>
        exit._tag === "Success" && exit.value._tag === "Started"
          ? Effect.asVoid(Process.stop(exit.value.process))
          : Effect.void)
  )

/** @internal */
export class DynamicSupervisorImpl<Extra> implements DynamicSupervisor.DynamicSupervisor<Extra> {
  readonly [TypeId]: DynamicSupervisor.TypeId = TypeId
  readonly children = new Map<number, ChildRecord>()
  readonly byProcess = new Map<Process.ProcessRef, ChildRecord>()
  readonly mailbox: SupervisorMailbox.SupervisorMailbox<Message> = SupervisorMailbox.make<Message>()
  readonly unstopped = new Set<Process.ProcessRef>()
  /** Children being stopped by `terminateChild` right now (no longer among `children`). */
  readonly stopping = new Map<Process.ProcessRef, ChildSpec.Shutdown>()
  readonly policy: Restart.Tracker
  private lastOrigin: Runtime.Runtime<never>
  get alive(): boolean {
    return this.mailbox.alive
  }
  lastKey = 0
  process!: Process.ProcessRef

  get [SupervisorEvent.HubTypeId]() {
    return this.hub
  }

  readonly [SupervisionTree.TypeId] = (): Effect.Effect<SupervisionTree.Tree> => this.tree

  /** The live tree under this supervisor (an empty one once it has stopped). */
  get tree(): Effect.Effect<SupervisionTree.Tree> {
    const snapshot = Effect.flatMap(
      Clock.currentTimeMillis,
      (now) =>
        Effect.sync(() =>
          Array.from(this.children.values(), (record): SupervisionTree.ChildSnapshot => ({
            id: record.id,
            type: record.type,
            status: record.status,
            process: Option.fromNullable(record.process),
            restarts: record.restarts,
            uptime: record.process === undefined ? Option.none() : Option.some(Duration.millis(now - record.startedAt)),
            value: record.current
          }))
        )
    )
    return Effect.flatMap(
      Effect.orElseSucceed(this.call(snapshot), () => []),
      (children) => SupervisionTree.make({ name: this.hub.path, process: this.process, strategy: "dynamic", children })
    )
  }

  constructor(
    readonly hub: SupervisorEvent.Hub,
    policy: Restart.Policy,
    readonly maxChildren: number,
    readonly extraArguments: Extra,
    /** The supervisor's own fiber refs and runtime flags, which its children inherit. */
    readonly origin: Runtime.Runtime<never>,
    readonly clock: Clock.Clock,
    /** A tracer is installed: starts go through the loop, which opens their spans. */
    readonly tracing: boolean
  ) {
    this.policy = Restart.tracker(policy)
    this.lastOrigin = origin
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "DynamicSupervisor", children: this.children.size }
  }

  // ---------------------------------------------------------------------------
  // Starting and stopping
  // ---------------------------------------------------------------------------

  /** Starts one incarnation and watches it; `Right(Some)` started, `Right(None)` declined. */
  spawnOne(
    spawn: AnySpawn,
    origin: Runtime.Runtime<never>,
    id: string,
    restart: boolean,
    startTimeout: Option.Option<Duration.Duration>
  ): Effect.Effect<StartExit> {
    const run = SupervisorEvent.startSpan(
      `${this.hub.path}/${id} ${restart ? "restart" : "start"}`,
      { "supervisor": this.hub.path, "child": id },
      Effect.flatMap(
        Process.start(spawn, { supervised: true, origin }),
        (starting) => awaitStart(starting, id, startTimeout)
      )
    )
    return Effect.exit(run)
  }

  /** Children start from the supervisor's fiber refs and runtime flags, with their own context. */
  originFor(context: Context.Context<never>): Runtime.Runtime<never> {
    // callers usually start many children with one context: they share one origin
    if (context !== this.lastOrigin.context) {
      this.lastOrigin = Runtime.make({
        context,
        fiberRefs: this.origin.fiberRefs,
        runtimeFlags: this.origin.runtimeFlags
      })
    }
    return this.lastOrigin
  }

  watch(record: ChildRecord, started: Running, now: number, restart: boolean): Effect.Effect<void> {
    const process = started.process
    record.current = started.value
    const childHub = SupervisorEvent.hubOf(started.value)
    if (childHub !== undefined) this.hub.attach(childHub, record.id)
    if (restart) record.restarts++
    let report = Effect.void
    if (restart) report = this.hub.restarted(record.id, process, record.restarts, now - record.exitedAt)
    else this.hub.started(record.id, process)
    record.releasePrevious()
    record.process = process
    record.status = "running"
    record.startedAt = now
    this.byProcess.set(process, record)
    Process.unsafeOnExit(process, (reason) => {
      // once the supervisor stops, it waits for its children itself
      this.mailbox.offer({ _tag: "Exit", record, process, reason })
    })
    return report
  }

  remove(record: ChildRecord) {
    this.children.delete(record.key)
    if (record.process !== undefined) this.byProcess.delete(record.process)
    record.releasePrevious()
    this.cancelTimer(record)
  }

  cancelTimer(record: ChildRecord) {
    if (record.timer !== undefined) {
      record.timer.cancel()
      record.timer = undefined
    }
  }

  /** Signals a process to stop; the caller waits for it (alone or with others). */
  noteUnstopped(process: Process.ProcessRef) {
    if (Option.isNone(process.poll)) {
      this.unstopped.add(process)
      Process.unsafeOnExit(process, () => this.unstopped.delete(process))
    }
  }

  /** Stops one child within its deadline and forgets it. */
  stopOne(record: ChildRecord): Effect.Effect<void> {
    const process = record.process
    this.remove(record)
    if (process === undefined) return Effect.void
    Process.release(process)
    this.stopping.set(process, record.shutdown)
    return Effect.flatMap(Process.shutdown(process, record.shutdown), (reason) => {
      this.stopping.delete(process)
      const exited = () =>
        this.hub.exited(record.id, process, reason, {
          byItself: false,
          permanent: record.restart === "permanent"
        })
      if (Option.isSome(process.poll)) return exited()
      this.noteUnstopped(process)
      const deadline = typeof record.shutdown === "string" ? Duration.zero : record.shutdown
      const missed = this.hub.deadlineMissed(record.id, process, deadline)
      return Effect.zipRight(missed, exited())
    })
  }

  /**
   * Stops the children whose `terminateChild` was cut short by the supervisor's own stop:
   * they get their deadline again, or are listed as unstopped.
   */
  get finishStopping(): Effect.Effect<void> {
    return Effect.suspend(() => {
      const inFlight = Array.from(this.stopping)
      this.stopping.clear()
      return Effect.forEach(
        inFlight,
        ([process, shutdown]) => Effect.map(Process.shutdown(process, shutdown), () => this.noteUnstopped(process)),
        { concurrency: "unbounded", discard: true }
      )
    })
  }

  /**
   * Stops every child at once: all are signalled, then one deadline per distinct
   * shutdown value is waited for (OTP's dynamic shutdown, linear in the number of
   * children).
   */
  get stopAll(): Effect.Effect<void> {
    return Effect.suspend(() => {
      const groups = new Map<string | number, { shutdown: ChildSpec.Shutdown; records: Array<ChildRecord> }>()
      for (const record of this.children.values()) {
        const process = record.process
        this.cancelTimer(record)
        record.releasePrevious()
        if (process === undefined) continue
        Process.release(process)
        const key = typeof record.shutdown === "string" ? record.shutdown : Duration.toMillis(record.shutdown)
        let group = groups.get(key)
        if (group === undefined) {
          group = { shutdown: record.shutdown, records: [] }
          groups.set(key, group)
        }
        group.records.push(record)
      }
      this.children.clear()
      this.byProcess.clear()
      return Effect.forEach(groups.values(), (group) => this.stopGroup(group.records, group.shutdown), {
        concurrency: "unbounded",
        discard: true
      })
    })
  }

  stopGroup(records: ReadonlyArray<ChildRecord>, shutdown: ChildSpec.Shutdown): Effect.Effect<void> {
    return Effect.suspend(() => {
      const processes = records.map((record) => record.process!)
      return Effect.zipRight(
        Process.shutdownAll(processes, shutdown),
        Effect.suspend(() => this.reportGroup(records, processes, shutdown))
      )
    })
  }

  /**
   * Reports a group stop: an event per child (when someone listens), one log line for
   * the children that missed the deadline (as OTP's batched `shutdown_error`), and the
   * usual log of a child that did not stop cleanly.
   */
  reportGroup(
    records: ReadonlyArray<ChildRecord>,
    processes: ReadonlyArray<Process.ProcessRef>,
    shutdown: ChildSpec.Shutdown
  ): Effect.Effect<void> {
    const reports: Array<Effect.Effect<void>> = []
    let missed = 0
    const listening = this.hub.listening
    for (let i = 0; i < records.length; i++) {
      const record = records[i]
      const process = processes[i]
      const ended = process.poll
      if (Option.isNone(ended)) {
        missed++
        this.noteUnstopped(process)
        if (listening) {
          this.hub.publish(SupervisorEvent.ShutdownDeadlineMissed({
            supervisor: this.hub.path,
            childId: record.id,
            process,
            deadline: typeof shutdown === "string" ? Duration.zero : shutdown
          }))
        }
      }
      const reason = Option.getOrElse(ended, () => ExitReason.killed)
      const report = this.hub.exited(record.id, process, reason, {
        byItself: false,
        permanent: record.restart === "permanent"
      })
      if (report !== Effect.void) reports.push(report)
    }
    if (missed > 0) {
      reports.push(
        SupervisorEvent.report(
          LogLevel.Error,
          `${missed} children missed their shutdown deadline of ${
            typeof shutdown === "string" ? shutdown : Duration.format(shutdown)
          }`,
          { supervisor: this.hub.path, reason: "Killed" }
        )
      )
    }
    return reports.length === 0 ? Effect.void : Effect.all(reports, { discard: true })
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
      () => Effect.fail(new ExitReason.ShutdownRequest({}))
    )
  }

  terminate(exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.mailbox.close()
      return Effect.zipRight(
        Effect.zipRight(
          Effect.zipRight(this.finishStopping, this.stopAll),
          Effect.sync(() => this.hub.stopped(Process.exitReasonOf(exit)))
        ),
        this.mailbox.answerPending
      )
    })
  }

  handle(message: Message | SupervisorMailbox.Call): Effect.Effect<void, Stop> {
    switch (message._tag) {
      case "Call":
        return message.run
      case "Exit":
        return this.onExit(message.record, message.process, message.reason)
      case "TryAgain":
        if (!this.isCurrent(message.record) || message.record.timer !== undefined) return Effect.void
        return this.attemptRestart(message.record, message.reason, false)
      case "Restart":
        if (!this.isCurrent(message.record) || message.record.timer?.message !== message) return Effect.void
        message.record.timer = undefined
        return this.restartNow(message.record)
    }
  }

  isCurrent(record: ChildRecord) {
    return this.children.get(record.key) === record
  }

  onExit(record: ChildRecord, process: Process.ProcessRef, reason: ExitReason.ExitReason): Effect.Effect<void, Stop> {
    if (record.process !== process || !this.isCurrent(record)) return Effect.void
    this.byProcess.delete(process)
    record.process = undefined
    const exited = this.hub.exited(record.id, process, reason, {
      byItself: true,
      permanent: record.restart === "permanent"
    })
    if (record.restart === "permanent" || (record.restart === "transient" && ExitReason.isAbnormal(reason))) {
      record.previous = process
      record.status = "restarting"
      record.exitedAt = this.clock.unsafeCurrentTimeMillis()
      return Effect.zipRight(exited, this.attemptRestart(record, reason, true))
    }
    Process.release(process)
    this.remove(record)
    return exited
  }

  attemptRestart(record: ChildRecord, reason: ExitReason.ExitReason, afterExit: boolean): Effect.Effect<void, Stop> {
    const backoff = record.backoff === undefined ? undefined : {
      tracker: record.backoff,
      resetAfter: record.resetBackoffAfter,
      upSince: afterExit ? record.startedAt : undefined
    }
    return Effect.flatMap(
      Restart.nextDelay(this.policy, { childId: record.id, reason }, backoff),
      (delay) => Option.isNone(delay) ? this.giveUp(record) : this.restartAfter(record, Duration.toMillis(delay.value))
    )
  }

  restartAfter(record: ChildRecord, delay: number): Effect.Effect<void> {
    record.status = "restarting"
    if (delay <= 0) return this.restartNow(record)
    this.hub.backoff(record.id, Duration.millis(delay))
    const message: Message = { _tag: "Restart", record }
    return Effect.map(this.mailbox.offerAfter(Duration.millis(delay), message), (cancel) => {
      record.timer = { message, cancel }
    })
  }

  restartNow(record: ChildRecord): Effect.Effect<void> {
    const spawn = record.spawn
    if (spawn === undefined) {
      this.remove(record)
      return Effect.void
    }
    return Effect.flatMap(this.spawnOne(spawn, record.origin, record.id, true, record.startTimeout), (exit) => {
      if (exit._tag === "Failure") {
        this.mailbox.offer({ _tag: "TryAgain", record, reason: ExitReason.abnormal(exit.cause) })
        return Effect.void
      }
      if (exit.value._tag === "Ignored") {
        // a start that declines on restart drops the child
        this.remove(record)
        return Effect.void
      }
      return this.watch(record, exit.value, this.clock.unsafeCurrentTimeMillis(), true)
    })
  }

  giveUp(record: ChildRecord): Effect.Effect<never, Stop> {
    this.remove(record)
    return Effect.zipRight(Effect.zipRight(this.hub.exhausted(record.id), this.stopAll), Effect.fail(stop))
  }

  // ---------------------------------------------------------------------------
  // The runtime API
  // ---------------------------------------------------------------------------

  call<A, E>(operation: Effect.Effect<A, E>): Effect.Effect<A, E | SupervisorError.SupervisorStopped> {
    return this.mailbox.call(operation)
  }

  /** What stops `startChild` before anything starts: a bad spec, or no room. */
  refuse(spec: ChildSpec.ChildSpec<unknown, unknown, never>): DynamicSupervisor.StartChildError<never> | undefined {
    const valid = ChildSpec.validate(spec)
    if (Either.isLeft(valid)) return new SupervisorError.InvalidChildSpec({ id: String(spec.id), message: valid.left })
    if (spec.significant) {
      return new SupervisorError.InvalidChildSpec({
        id: spec.id,
        message: "significant: a dynamic supervisor's children cannot be significant"
      })
    }
    if (this.children.size >= this.maxChildren) {
      return new SupervisorError.MaxChildren({ maxChildren: this.maxChildren })
    }
    return undefined
  }

  /** Makes a started child one of the supervisor's children, or says why it is not. */
  adopt(
    spec: ChildSpec.ChildSpec<unknown, unknown, never>,
    origin: Runtime.Runtime<never>,
    exit: StartExit
  ): Effect.Effect<DynamicSupervisor.Child<unknown>, DynamicSupervisor.StartChildError<Process.Ignore>> {
    if (exit._tag === "Failure") return Effect.fail(new SupervisorError.StartFailed({ id: spec.id, cause: exit.cause }))
    const started = exit.value
    if (started._tag === "Ignored") return Process.ignore
    const record = new ChildRecord(
      ++this.lastKey,
      spec.id,
      spec.restart === "temporary" ? undefined : spec.start as AnySpawn,
      origin,
      spec.restart,
      spec.shutdown,
      spec.type,
      started.value,
      started.process,
      spec.backoff,
      Option.map(spec.resetBackoffAfter, Duration.toMillis),
      spec.startTimeout
    )
    this.children.set(record.key, record)
    return Effect.as(this.watch(record, started, this.clock.unsafeCurrentTimeMillis(), false), record)
  }

  /**
   * Starts a child. When the supervisor is idle, the start runs in the caller's fiber
   * (the child is forked from the supervisor's fiber refs all the same): a child whose
   * `init` needs no I/O is then started with no trip through the scheduler. If `init`
   * is still running when its fiber first suspends, the loop takes over the wait, first
   * in line, as for any other start.
   */
  startChild<A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>,
    context: Context.Context<R>
  ): Effect.Effect<
    DynamicSupervisor.Child<A>,
    DynamicSupervisor.StartChildError<E> | SupervisorError.SupervisorStopped
  > {
    const anySpec = spec as ChildSpec.ChildSpec<unknown, unknown, never>
    const origin = () => this.originFor(context as Context.Context<never>)
    const onLoop = Effect.suspend(() => {
      const refused = this.refuse(anySpec)
      if (refused !== undefined) return Effect.fail(refused)
      const from = origin()
      return Effect.flatMap(
        this.spawnOne(anySpec.start, from, spec.id, false, spec.startTimeout),
        (exit) => this.adopt(anySpec, from, exit)
      )
    })
    return Effect.flatten(Effect.uninterruptible(Effect.suspend(() => {
      if (!this.mailbox.idle || this.tracing) return Effect.succeed(this.call(onLoop))
      // the start runs here, holding the mailbox, uninterruptibly (it never suspends); it
      // returns what is left to do
      const mailbox = this.mailbox
      let held = true
      const release = () => {
        if (held) {
          held = false
          mailbox.release()
        }
      }
      mailbox.hold()
      const inCaller = Effect.suspend(() => {
        const refused = this.refuse(anySpec)
        if (refused !== undefined) return Effect.succeed(Effect.fail(refused))
        const from = origin()
        return Effect.map(Process.start(anySpec.start, { supervised: true, origin: from }), (starting) => {
          const outcome = starting.poll
          if (Option.isSome(outcome) && this.alive) return this.adopt(anySpec, from, outcome.value)
          // `init` is still running (or the supervisor stopped meanwhile): the loop waits
          // for it, first in line; the caller waits for the loop's answer, interruptibly
          release()
          return mailbox.post(
            Effect.flatMap(
              Effect.exit(awaitStart(starting, spec.id, spec.startTimeout)),
              (exit) => this.adopt(anySpec, from, exit)
            ),
            { first: true, cleanUp: abandon(starting) }
          )
        })
      })
      return Effect.ensuring(inCaller, Effect.sync(release))
    }))) as Effect.Effect<
      DynamicSupervisor.Child<A>,
      DynamicSupervisor.StartChildError<E> | SupervisorError.SupervisorStopped
    >
  }

  terminateChild(
    child: DynamicSupervisor.Child<unknown> | Process.ProcessRef
  ): Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped> {
    return this.call(Effect.suspend(() => {
      const record = child instanceof ChildRecord
        ? (this.isCurrent(child) ? child : undefined)
        : this.byProcess.get(child as Process.ProcessRef)
      if (record === undefined) {
        return Effect.fail(
          new SupervisorError.NotFound({ id: child instanceof ChildRecord ? child.id : String(child) })
        )
      }
      return this.stopOne(record)
    }))
  }

  get whichChildren(): Effect.Effect<
    ReadonlyArray<DynamicSupervisor.ChildInfo>,
    SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.sync(() => {
      const infos: Array<DynamicSupervisor.ChildInfo> = []
      for (const record of this.children.values()) {
        infos.push({
          child: record,
          id: record.id,
          status: record.status,
          process: Option.fromNullable(record.process),
          value: record.process === undefined ? Option.none() : Option.some(record.current),
          type: record.type,
          restarts: record.restarts
        })
      }
      return infos
    }))
  }

  get countChildren(): Effect.Effect<DynamicSupervisor.ChildCounts, SupervisorError.SupervisorStopped> {
    return this.call(Effect.sync(() => {
      let active = 0
      let supervisors = 0
      for (const record of this.children.values()) {
        if (record.status === "running") active++
        if (record.type === "supervisor") supervisors++
      }
      const specs = this.children.size
      return { specs, active, supervisors, workers: specs - supervisors }
    }))
  }
}

/** @internal */
export const isChild = (u: unknown): u is DynamicSupervisor.Child<unknown> => u instanceof ChildRecord
