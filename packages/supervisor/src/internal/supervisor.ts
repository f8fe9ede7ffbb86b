import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Schedule from "effect/Schedule"
import * as ChildSpec from "../ChildSpec.js"
import * as ExitReason from "../ExitReason.js"
import type * as Process from "../Process.js"
import * as Restart from "../Restart.js"
import * as SupervisionTree from "../SupervisionTree.js"
import type * as Supervisor from "../Supervisor.js"
import * as SupervisorError from "../SupervisorError.js"
import * as SupervisorEvent from "../SupervisorEvent.js"
import * as SupervisorMailbox from "../SupervisorMailbox.js"
import * as internalProcess from "./process.js"

/** @internal */
export const TypeId: Supervisor.TypeId = Symbol.for("@effect-otp/supervisor/Supervisor") as Supervisor.TypeId

type Strategy = Supervisor.Strategy
type AutoShutdown = Supervisor.AutoShutdown
type ChildStatus = Supervisor.ChildStatus
type ChildInfo = Supervisor.ChildInfo
type ChildCounts = Supervisor.ChildCounts

/** @internal */
export type StartChildError<E> =
  | SupervisorError.InvalidChildSpec
  | SupervisorError.AlreadyStarted
  | SupervisorError.AlreadyPresent
  | SupervisorError.StartFailed
  | Extract<E, Process.Ignore>

/** @internal */
export type RestartChildError =
  | SupervisorError.NotFound
  | SupervisorError.Running
  | SupervisorError.Restarting
  | SupervisorError.StartFailed
  | Process.Ignore

/** @internal */
export type DeleteChildError = SupervisorError.NotFound | SupervisorError.Running | SupervisorError.Restarting

type AnySpec = ChildSpec.ChildSpec<unknown, unknown, unknown>

class ChildRecord {
  status: ChildStatus = "stopped"
  process: internalProcess.ProcessImpl | undefined = undefined
  value: unknown = undefined
  startedAt = 0
  restarts = 0
  readonly backoff: Restart.Tracker | undefined
  /** The pending restart: its message, and how to cancel its timer. */
  timer: { readonly message: Message; readonly cancel: () => void } | undefined = undefined
  /** When the exit that caused the pending restart happened. */
  restartSince = 0
  /** The incarnation being restarted: its names stay reserved until the restart succeeds or is abandoned. */
  previous: internalProcess.ProcessImpl | undefined = undefined
  constructor(
    readonly spec: AnySpec,
    readonly context: Context.Context<never> | undefined,
    backoff: Option.Option<Schedule.Schedule<unknown, Restart.Crash>>,
    readonly resetBackoffAfter: Option.Option<number>
  ) {
    this.backoff = Option.isSome(backoff) ? Restart.tracker(backoff.value) : undefined
  }
  get id() {
    return this.spec.id
  }
  private startEffect: Effect.Effect<internalProcess.Started<unknown>, unknown> | undefined = undefined
  /** One start of the child: its spawn, in its context, within its `startTimeout` (made once). */
  get start(): Effect.Effect<internalProcess.Started<unknown>, unknown> {
    if (this.startEffect === undefined) {
      const spawn = (this.spec.start as internalProcess.SpawnImpl<unknown, unknown, unknown>)
        .runSupervised as Effect.Effect<internalProcess.Started<unknown>, unknown>
      const provided = this.context === undefined ? spawn : Effect.provide(spawn, this.context)
      const timeout = this.spec.startTimeout
      const id = this.spec.id
      this.startEffect = Option.isNone(timeout) ? provided : Effect.timeoutFail(provided, {
        duration: timeout.value,
        onTimeout: () => new SupervisorError.StartTimeout({ id, timeout: timeout.value })
      })
    }
    return this.startEffect
  }
  releasePrevious() {
    if (this.previous !== undefined) {
      this.previous.release()
      this.previous = undefined
    }
  }
}

type Message =
  | {
    readonly _tag: "Exit"
    readonly record: ChildRecord
    readonly process: internalProcess.ProcessImpl
    readonly exit: Exit.Exit<unknown, unknown>
  }
  | { readonly _tag: "TryAgain"; readonly record: ChildRecord; readonly reason: ExitReason.ExitReason }
  | { readonly _tag: "Restart"; readonly record: ChildRecord }

/** Ends the supervisor's loop: it stops its children and exits with `shutdown`. */
class Stop {
  readonly _tag = "Stop"
}

const stop = new Stop()

const stopCause = Cause.fail(new ExitReason.ShutdownRequest({}))

/** @internal */
export class SupervisorImpl implements Supervisor.Supervisor {
  readonly [TypeId]: Supervisor.TypeId = TypeId
  readonly children: Array<ChildRecord> = []
  readonly byId = new Map<string, ChildRecord>()
  readonly mailbox: SupervisorMailbox.SupervisorMailbox<Message> = SupervisorMailbox.make<Message>()
  readonly unstopped = new Set<internalProcess.ProcessImpl>()
  /** Children being stopped right now (their records no longer point at them). */
  readonly stopping = new Map<internalProcess.ProcessImpl, ChildSpec.Shutdown>()
  process!: internalProcess.ProcessImpl
  readonly policy: Restart.Tracker

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
          Array.from(this.children, (record): SupervisionTree.ChildSnapshot => ({
            id: record.id,
            type: record.spec.type,
            status: record.status,
            process: Option.fromNullable(record.process),
            restarts: record.restarts,
            uptime: record.process === undefined ? Option.none() : Option.some(Duration.millis(now - record.startedAt)),
            value: record.value
          }))
        )
    )
    return Effect.flatMap(
      Effect.orElseSucceed(this.call(snapshot), () => []),
      (children) =>
        SupervisionTree.make({ name: this.hub.path, process: this.process, strategy: this.strategy, children })
    )
  }

  constructor(
    readonly hub: SupervisorEvent.Hub,
    readonly strategy: Strategy,
    policy: Restart.Policy,
    readonly autoShutdown: AutoShutdown,
    readonly defaultBackoff: Option.Option<Schedule.Schedule<unknown, Restart.Crash>>,
    readonly defaultResetBackoffAfter: Option.Option<number>
  ) {
    this.policy = Restart.tracker(policy)
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "Supervisor", strategy: this.strategy, children: this.children.map((record) => record.id) }
  }

  // ---------------------------------------------------------------------------
  // Records
  // ---------------------------------------------------------------------------

  makeRecord(spec: AnySpec, context: Context.Context<never> | undefined): ChildRecord {
    return new ChildRecord(
      spec,
      context,
      Option.orElse(spec.backoff, () => this.defaultBackoff),
      Option.isSome(spec.resetBackoffAfter)
        ? Option.some(Duration.toMillis(spec.resetBackoffAfter.value))
        : this.defaultResetBackoffAfter
    )
  }

  validateSpec(spec: AnySpec): Either.Either<void, SupervisorError.InvalidChildSpec> {
    const id = typeof spec.id === "string" ? spec.id : String(spec.id)
    const result = ChildSpec.validate(spec)
    if (Either.isLeft(result)) return Either.left(new SupervisorError.InvalidChildSpec({ id, message: result.left }))
    if (spec.significant && this.autoShutdown === "never") {
      return Either.left(
        new SupervisorError.InvalidChildSpec({
          id,
          message: "significant: a significant child needs a supervisor with autoShutdown other than \"never\""
        })
      )
    }
    return Either.void
  }

  add(record: ChildRecord) {
    this.children.push(record)
    this.byId.set(record.id, record)
  }

  remove(record: ChildRecord) {
    record.releasePrevious()
    const index = this.children.indexOf(record)
    if (index >= 0) this.children.splice(index, 1)
    if (this.byId.get(record.id) === record) this.byId.delete(record.id)
    this.cancelTimer(record)
  }

  isCurrent(record: ChildRecord) {
    return this.byId.get(record.id) === record
  }

  cancelTimer(record: ChildRecord) {
    if (record.timer !== undefined) {
      record.timer.cancel()
      record.timer = undefined
    }
  }

  // ---------------------------------------------------------------------------
  // Starting and stopping one child
  // ---------------------------------------------------------------------------

  /**
   * Starts one child; `Right(true)` started, `Right(false)` declined, `Left(cause)`
   * failed. `restartSince` is the time of the exit that caused a restart.
   */
  startRecord(
    record: ChildRecord,
    restartSince?: number
  ): Effect.Effect<Either.Either<boolean, Cause.Cause<unknown>>> {
    const run = SupervisorEvent.startSpan(
      `${this.hub.path}/${record.id} ${restartSince === undefined ? "start" : "restart"}`,
      { "supervisor": this.hub.path, "child": record.id },
      record.start
    )
    return Effect.flatMap(Effect.exit(run), (exit): Effect.Effect<Either.Either<boolean, Cause.Cause<unknown>>> => {
      if (exit._tag === "Failure") return Effect.succeed(Either.left(exit.cause))
      const started = exit.value
      if (started._tag === "Ignored") {
        record.status = "stopped"
        if (record.spec.restart === "temporary") this.remove(record)
        return Effect.succeed(Either.right(false))
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const process = started.process as internalProcess.ProcessImpl
        record.releasePrevious()
        record.process = process
        record.value = started.value
        record.status = "running"
        record.startedAt = now
        const mailbox = this.mailbox
        process.fiber.addObserver((exit) => {
          mailbox.offer({ _tag: "Exit", record, process, exit })
        })
        const childHub = SupervisorEvent.hubOf(started.value)
        if (childHub !== undefined) this.hub.attach(childHub, record.id)
        if (restartSince === undefined) {
          this.hub.started(record.id, process)
          return Effect.succeed(Either.right(true))
        }
        // `restarts` counts the incarnations started by restarts
        record.restarts++
        return Effect.as(
          this.hub.restarted(record.id, process, record.restarts, now - restartSince),
          Either.right(true)
        )
      })
    })
  }

  /** Stops one running child within its shutdown deadline and returns its exit reason. */
  stopRecord(record: ChildRecord, keepNames = false): Effect.Effect<ExitReason.ExitReason> {
    this.cancelTimer(record)
    record.releasePrevious()
    const process = record.process
    record.process = undefined
    record.status = "stopped"
    if (process === undefined) return Effect.succeed(ExitReason.shutdown)
    if (keepNames) record.previous = process
    else process.release()
    this.stopping.set(process, record.spec.shutdown)
    return Effect.flatMap(internalProcess.shutdownProcess(process, record.spec.shutdown), (reason) => {
      this.stopping.delete(process)
      const exited = () =>
        this.hub.exited(record.id, process, reason, {
          byItself: false,
          permanent: record.spec.restart === "permanent"
        })
      if (process.fiber.unsafePoll() !== null) return Effect.as(exited(), reason)
      this.noteUnstopped(process)
      const shutdown = record.spec.shutdown
      const missed = this.hub.deadlineMissed(
        record.id,
        process,
        typeof shutdown === "string" ? Duration.zero : shutdown
      )
      return Effect.as(Effect.zipRight(missed, exited()), reason)
    })
  }

  /** A process that missed its deadline: listed as unstopped until it ends. */
  noteUnstopped(process: internalProcess.ProcessImpl): void {
    if (process.fiber.unsafePoll() !== null) return
    this.unstopped.add(process)
    process.fiber.addObserver(() => this.unstopped.delete(process))
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
        ([process, shutdown]) =>
          Effect.map(internalProcess.shutdownProcess(process, shutdown), () => this.noteUnstopped(process)),
        { discard: true }
      )
    })
  }

  /** Stops every running child, one at a time, in reverse start order. */
  stopAll: Effect.Effect<void> = Effect.suspend(() => {
    const records = this.children.slice().reverse()
    return Effect.forEach(records, (record) => this.stopRecord(record), { discard: true })
  })

  // ---------------------------------------------------------------------------
  // Boot
  // ---------------------------------------------------------------------------

  boot(
    specs: ReadonlyArray<AnySpec>
  ): Effect.Effect<
    void,
    SupervisorError.InvalidChildSpec | SupervisorError.DuplicateChildId | SupervisorError.StartFailed
  > {
    return Effect.suspend((): Effect.Effect<
      void,
      SupervisorError.InvalidChildSpec | SupervisorError.DuplicateChildId | SupervisorError.StartFailed
    > => {
      const seen = new Set<string>()
      for (const spec of specs) {
        const valid = this.validateSpec(spec)
        if (Either.isLeft(valid)) return Effect.fail(valid.left)
        if (seen.has(spec.id)) return Effect.fail(new SupervisorError.DuplicateChildId({ id: spec.id }))
        seen.add(spec.id)
      }
      return Effect.forEach(specs, (spec) => {
        const record = this.makeRecord(spec, undefined)
        this.add(record)
        return Effect.flatMap(this.startRecord(record), (result) => {
          if (Either.isRight(result)) return Effect.void
          this.remove(record)
          return Effect.zipRight(
            this.stopAll,
            Effect.fail(new SupervisorError.StartFailed({ id: spec.id, cause: result.left }))
          )
        })
      }, { discard: true })
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
      () => Effect.failCause(stopCause as Cause.Cause<ExitReason.ShutdownRequest>)
    )
  }

  /** Runs when the supervisor's process ends, however it ends. */
  terminate(exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.mailbox.close()
      return Effect.zipRight(
        Effect.zipRight(
          Effect.zipRight(this.finishStopping, this.stopAll),
          Effect.sync(() => this.hub.stopped(internalProcess.classify(exit, Option.none())))
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
        return this.onExit(message.record, message.process, message.exit)
      case "TryAgain":
        if (!this.isCurrent(message.record) || message.record.status !== "restarting") return Effect.void
        if (message.record.timer !== undefined) return Effect.void
        return this.attemptRestart(message.record, message.reason, false)
      case "Restart":
        if (!this.isCurrent(message.record) || message.record.timer?.message !== message) return Effect.void
        message.record.timer = undefined
        return this.startAffected(message.record)
    }
  }

  onExit(
    record: ChildRecord,
    process: internalProcess.ProcessImpl,
    exit: Exit.Exit<unknown, unknown>
  ): Effect.Effect<void, Stop> {
    if (record.process !== process || !this.isCurrent(record)) return Effect.void
    const reason = process.reasonOf(exit)
    record.process = undefined
    record.status = "stopped"
    const restart = record.spec.restart
    const exited = this.hub.exited(record.id, process, reason, {
      byItself: true,
      permanent: restart === "permanent"
    })
    if (restart === "permanent" || (restart === "transient" && ExitReason.isAbnormal(reason))) {
      record.previous = process
      return Effect.zipRight(
        exited,
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          record.restartSince = now
          return this.attemptRestart(record, reason, true)
        })
      )
    }
    process.release()
    if (restart === "temporary") this.remove(record)
    return Effect.zipRight(exited, this.checkAutoShutdown(record))
  }

  checkAutoShutdown(record: ChildRecord): Effect.Effect<void, Stop> {
    if (!record.spec.significant || this.autoShutdown === "never") return Effect.void
    if (this.autoShutdown === "all_significant") {
      for (const child of this.children) {
        if (child.spec.significant && child.status !== "stopped") return Effect.void
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

  restartAfter(record: ChildRecord, delay: number): Effect.Effect<void, Stop> {
    return Effect.zipRight(
      this.stopAffected(record),
      delay <= 0 ? this.startAffected(record) : this.scheduleRestart(record, delay)
    )
  }

  scheduleRestart(record: ChildRecord, delay: number): Effect.Effect<void> {
    record.status = "restarting"
    this.hub.backoff(record.id, Duration.millis(delay))
    const message: Message = { _tag: "Restart", record }
    return Effect.map(this.mailbox.offerAfter(Duration.millis(delay), message), (cancel) => {
      record.timer = { message, cancel }
    })
  }

  giveUp(record: ChildRecord): Effect.Effect<never, Stop> {
    this.remove(record)
    return Effect.zipRight(this.hub.exhausted(record.id), this.shutdownSelf)
  }

  /** The children a restart of `record` concerns, in start order. */
  affected(record: ChildRecord): ReadonlyArray<ChildRecord> {
    switch (this.strategy) {
      case "one_for_one":
        return [record]
      case "one_for_all":
        return this.children.slice()
      case "rest_for_one": {
        const index = this.children.indexOf(record)
        return index < 0 ? [record] : this.children.slice(index)
      }
    }
  }

  /** Stops the running siblings a restart of `record` concerns, in reverse order; temporary ones are removed. */
  stopAffected(record: ChildRecord): Effect.Effect<void> {
    if (this.strategy === "one_for_one") return Effect.void
    const siblings = this.affected(record).filter((child) => child !== record).reverse()
    return Effect.forEach(siblings, (child) => {
      if (child.spec.restart === "temporary") {
        const stopping = this.stopRecord(child)
        this.remove(child)
        return Effect.asVoid(stopping)
      }
      if (child.status === "restarting") {
        this.cancelTimer(child)
        child.status = "stopped"
      }
      return child.process === undefined ? Effect.void : Effect.asVoid(this.stopRecord(child, true))
    }, { discard: true })
  }

  /**
   * Starts `record` and the siblings its restart concerns that are not running, in start
   * order. If one fails to start it is marked restarting, the ones after it stay stopped,
   * and a new attempt is queued behind the messages already waiting.
   */
  startAffected(record: ChildRecord): Effect.Effect<void> {
    // suspended: the siblings are read when this runs, after they were stopped
    return Effect.suspend(() => this.startFrom(this.affected(record), 0, record.restartSince))
  }

  startFrom(children: ReadonlyArray<ChildRecord>, index: number, since: number): Effect.Effect<void> {
    if (index >= children.length) return Effect.void
    const child = children[index]
    if (!this.isCurrent(child) || child.status === "running") return this.startFrom(children, index + 1, since)
    this.cancelTimer(child)
    return Effect.flatMap(this.startRecord(child, since), (result) => {
      if (Either.isRight(result)) return this.startFrom(children, index + 1, since)
      child.status = "restarting"
      child.restartSince = since
      this.mailbox.offer({ _tag: "TryAgain", record: child, reason: ExitReason.abnormal(result.left) })
      return Effect.void
    })
  }

  // ---------------------------------------------------------------------------
  // The runtime API: each operation runs inside the loop, between messages
  // ---------------------------------------------------------------------------

  call<A, E>(operation: Effect.Effect<A, E>): Effect.Effect<A, E | SupervisorError.SupervisorStopped> {
    return this.mailbox.call(operation)
  }

  startChild<A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>,
    context: Context.Context<R>
  ): Effect.Effect<
    A,
    | SupervisorError.InvalidChildSpec
    | SupervisorError.AlreadyStarted
    | SupervisorError.AlreadyPresent
    | SupervisorError.StartFailed
    | Extract<E, Process.Ignore>
    | SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.suspend((): Effect.Effect<A, StartChildError<E>> => {
      const valid = this.validateSpec(spec)
      if (Either.isLeft(valid)) return Effect.fail(valid.left)
      const existing = this.byId.get(spec.id)
      if (existing !== undefined) {
        return existing.status === "running"
          ? Effect.fail(new SupervisorError.AlreadyStarted({ id: spec.id, process: existing.process! }))
          : Effect.fail(new SupervisorError.AlreadyPresent({ id: spec.id }))
      }
      const record = this.makeRecord(spec, context as Context.Context<never>)
      this.add(record)
      return Effect.flatMap(this.startRecord(record), (result): Effect.Effect<A, StartChildError<E>> => {
        if (Either.isLeft(result)) {
          this.remove(record)
          return Effect.fail(new SupervisorError.StartFailed({ id: spec.id, cause: result.left }))
        }
        if (!result.right) return Effect.fail(internalProcess.ignored as Extract<E, Process.Ignore>)
        return Effect.succeed(record.value as A)
      })
    }))
  }

  restartChild(id: string): Effect.Effect<
    unknown,
    | SupervisorError.NotFound
    | SupervisorError.Running
    | SupervisorError.Restarting
    | SupervisorError.StartFailed
    | Process.Ignore
    | SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.suspend((): Effect.Effect<unknown, RestartChildError> => {
      const record = this.byId.get(id)
      if (record === undefined) return Effect.fail(new SupervisorError.NotFound({ id }))
      if (record.status === "running") return Effect.fail(new SupervisorError.Running({ id }))
      if (record.status === "restarting") return Effect.fail(new SupervisorError.Restarting({ id }))
      return Effect.flatMap(this.startRecord(record), (result): Effect.Effect<unknown, RestartChildError> => {
        if (Either.isLeft(result)) return Effect.fail(new SupervisorError.StartFailed({ id, cause: result.left }))
        if (!result.right) return Effect.fail(internalProcess.ignored)
        return Effect.succeed(record.value)
      })
    }))
  }

  terminateChild(id: string): Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped> {
    return this.call(Effect.suspend(() => {
      const record = this.byId.get(id)
      if (record === undefined) return Effect.fail(new SupervisorError.NotFound({ id }))
      if (record.status === "restarting") {
        // the pending restart is abandoned: the siblings it stopped keep no names reserved
        for (const sibling of this.affected(record)) {
          if (sibling !== record && sibling.status === "stopped") sibling.releasePrevious()
        }
      }
      const stopping = this.stopRecord(record)
      if (record.spec.restart === "temporary") this.remove(record)
      return Effect.asVoid(stopping)
    }))
  }

  deleteChild(id: string): Effect.Effect<
    void,
    SupervisorError.NotFound | SupervisorError.Running | SupervisorError.Restarting | SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.suspend((): Effect.Effect<void, DeleteChildError> => {
      const record = this.byId.get(id)
      if (record === undefined) return Effect.fail(new SupervisorError.NotFound({ id }))
      if (record.status === "running") return Effect.fail(new SupervisorError.Running({ id }))
      if (record.status === "restarting") return Effect.fail(new SupervisorError.Restarting({ id }))
      this.remove(record)
      return Effect.void
    }))
  }

  get whichChildren(): Effect.Effect<ReadonlyArray<ChildInfo>, SupervisorError.SupervisorStopped> {
    return this.call(Effect.sync(() => {
      const infos: Array<ChildInfo> = []
      for (let i = this.children.length - 1; i >= 0; i--) infos.push(this.info(this.children[i]))
      return infos
    }))
  }

  info(record: ChildRecord): ChildInfo {
    return {
      id: record.id,
      status: record.status,
      process: Option.fromNullable(record.process),
      value: record.process === undefined ? Option.none() : Option.some(record.value),
      type: record.spec.type,
      restarts: record.restarts
    }
  }

  get countChildren(): Effect.Effect<ChildCounts, SupervisorError.SupervisorStopped> {
    return this.call(Effect.sync(() => {
      let active = 0
      let supervisors = 0
      for (const record of this.children) {
        if (record.status === "running") active++
        if (record.spec.type === "supervisor") supervisors++
      }
      return { specs: this.children.length, active, supervisors, workers: this.children.length - supervisors }
    }))
  }

  getChildSpec(id: string): Effect.Effect<AnySpec, SupervisorError.NotFound | SupervisorError.SupervisorStopped> {
    return this.call(Effect.suspend(() => {
      const record = this.byId.get(id)
      return record === undefined ? Effect.fail(new SupervisorError.NotFound({ id })) : Effect.succeed(record.spec)
    }))
  }
}
