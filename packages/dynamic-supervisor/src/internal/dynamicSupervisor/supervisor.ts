/**
 * The dynamic supervisor on the engine (OTP's `simple_one_for_one`, Elixir's
 * `DynamicSupervisor`): children started at run time, each restarted alone, forgotten
 * once they will not run again, stopped all at once; `maxChildren` and extra arguments.
 */
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import * as Process from "@effect-otp/supervisor/Process"
import type * as Restart from "@effect-otp/supervisor/Restart"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import { DynamicChild } from "./child.js"
import { ChildList } from "./childList.js"
import { type Child, type ChildInfo, type DynamicSupervisor, type StartChildError, TypeId } from "./models.js"
import type { ReconfigureOptions } from "./reconfigure.js"
import { validateReconfigure, validateSpec } from "./validate.js"

type AnySpec = ChildSpec.ChildSpec<unknown, unknown, never>

/** The `Started` case of a start's outcome. */
type Running = Extract<Process.Started<unknown>, { readonly _tag: "Started" }>

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
export class DynamicSupervisorImpl<Extra> extends Engine.Engine<DynamicChild> implements DynamicSupervisor<Extra> {
  readonly [TypeId]: TypeId = TypeId
  readonly strategy = "dynamic"
  readonly list = new ChildList<DynamicChild>()
  lastKey = 0

  constructor(
    hub: Engine.Hub,
    policy: Restart.Policy,
    /** Changed by a reconfiguration. */
    public maxChildren: number,
    /** Changed by a reconfiguration. */
    public extraArguments: Extra,
    self: Engine.Self
  ) {
    super(hub, policy, self, "never")
    // its children come and go: restarts are counted per supervisor, not per child id
    hub.labelsChildren = false
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "DynamicSupervisor", children: this.list.size }
  }

  // ---------------------------------------------------------------------------
  // The engine's clauses
  // ---------------------------------------------------------------------------

  children(): Iterable<DynamicChild> {
    return this.list
  }

  isCurrent(record: DynamicChild): boolean {
    return this.list.has(record)
  }

  protected detach(record: DynamicChild): void {
    this.list.remove(record)
  }

  /** Forgotten. */
  unsafeDropChild(record: DynamicChild): void {
    this.unsafeRemove(record)
  }

  /** All at once. */
  get stopAll(): Effect.Effect<void> {
    return Effect.suspend(() => this.stopAllAtOnce(this.list.clear()))
  }

  // ---------------------------------------------------------------------------
  // Starting children
  // ---------------------------------------------------------------------------

  /** What stops `startChild` before anything starts: a bad spec, or no room. */
  refuse(spec: AnySpec): StartChildError<never> | undefined {
    const invalid = validateSpec(spec)
    if (invalid !== undefined) return invalid
    if (this.list.size >= this.maxChildren) return new SupervisorError.MaxChildren({ maxChildren: this.maxChildren })
    return undefined
  }

  /** Makes a started child one of the supervisor's children, or says why it is not. */
  adopt(
    spec: AnySpec,
    origin: Engine.Origin,
    exit: Exit.Exit<Process.Started<unknown>, unknown>
  ): Effect.Effect<
    Child<unknown>,
    StartChildError<Process.Ignore | SupervisorError.AlreadyStarted>
  > {
    if (exit._tag === "Failure") return Effect.fail(Engine.startFailure(spec.id, exit.cause))
    const started = exit.value
    if (started._tag === "Ignored") return Process.ignore
    const record = new DynamicChild(++this.lastKey, spec, origin, started.value, started.process)
    this.list.add(record)
    return Effect.as(this.watch(record, started as Running, false), record)
  }

  /**
   * Starts a child. When the supervisor is idle, the start runs in the caller's fiber
   * (the child is forked from the supervisor's fiber refs all the same): a child whose
   * start needs no fiber (see `Engine.startAtOnce`) is started and adopted in one
   * synchronous step, and one whose `init` needs no I/O is started with no trip through
   * the scheduler. If `init` is still running when its fiber first suspends, the loop
   * takes over the wait, first in line, as for any other start.
   */
  startChild<A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>,
    context: Context.Context<R>
  ): Effect.Effect<
    Child<A>,
    StartChildError<E> | SupervisorError.SupervisorStopped
  > {
    const anySpec = spec as AnySpec
    // the spec is checked here, in the caller, before the supervisor is asked (as Elixir
    // does): a bad spec is refused at once, even when the supervisor stopped or is busy
    const invalid = validateSpec(anySpec)
    if (invalid !== undefined) return Effect.fail(invalid)
    // the errors are those of `StartChildError<E>` (checked by each step's own type)
    return Effect.suspend((): Effect.Effect<Child<unknown>, unknown> => {
      const origin = this.originFor(context as Context.Context<never>)
      if (!this.mailbox.idle || this.self.tracing) return this.call(this.startOnLoop(anySpec, origin))
      const refused = this.refuse(anySpec)
      if (refused !== undefined) return Effect.fail(refused)
      const started = Engine.startAtOnce(anySpec.start, origin)
      if (Effect.isEffect(started)) return this.startInCaller(anySpec, origin, started)
      // started and adopted in this step: nothing can come between them
      return this.adopt(anySpec, origin, Option.getOrThrow(started.poll))
    }) as Effect.Effect<Child<A>, StartChildError<E> | SupervisorError.SupervisorStopped>
  }

  /** Waits for `starting` (within the spec's `startTimeout`), then adopts the child or says why not. */
  private adoptOnceStarted(
    spec: AnySpec,
    origin: Engine.Origin,
    starting: Process.Starting<unknown, unknown>
  ): Effect.Effect<Child<unknown>, StartChildError<Process.Ignore | SupervisorError.AlreadyStarted>> {
    return Effect.flatMap(
      Effect.exit(Engine.awaitStart(starting, spec.id, spec.startTimeout)),
      (exit) => this.adopt(spec, origin, exit)
    )
  }

  /**
   * A start handled by the loop, behind the messages already waiting: `start` if the
   * caller made it already, else one made there.
   */
  private startOnLoop(
    spec: AnySpec,
    origin: Engine.Origin,
    start?: Effect.Effect<Process.Starting<unknown, unknown>>
  ): Effect.Effect<Child<unknown>, StartChildError<Process.Ignore | SupervisorError.AlreadyStarted>> {
    return Effect.suspend(() => {
      const refused = this.refuse(spec)
      if (refused !== undefined) return Effect.fail(refused)
      if (start !== undefined) return Effect.flatMap(start, (starting) => this.adoptOnceStarted(spec, origin, starting))
      return Effect.flatMap(
        this.spawnChild({ id: spec.id, startTimeout: spec.startTimeout, origin }, spec.start, false),
        (exit) => this.adopt(spec, origin, exit)
      )
    })
  }

  /**
   * Runs `start` in the caller's fiber, holding the mailbox, uninterruptibly (it never
   * suspends), and adopts the child if its start is over; otherwise the loop waits for
   * it, first in line, and the caller waits for the loop's answer, interruptibly. If the
   * loop took a message since the caller found it idle (the caller's fiber may yield in
   * between), the loop runs `start` instead, behind what it is doing.
   */
  private startInCaller(
    spec: AnySpec,
    origin: Engine.Origin,
    start: Effect.Effect<Process.Starting<unknown, unknown>, never, unknown>
  ): Effect.Effect<
    Child<unknown>,
    StartChildError<Process.Ignore | SupervisorError.AlreadyStarted> | SupervisorError.SupervisorStopped
  > {
    const starts = start as Effect.Effect<Process.Starting<unknown, unknown>>
    return Effect.flatten(Effect.uninterruptible(Effect.suspend(() => {
      const mailbox = this.mailbox
      if (!mailbox.idle) return Effect.succeed(this.call(this.startOnLoop(spec, origin, starts)))
      let held = true
      const release = () => {
        if (held) {
          held = false
          mailbox.release()
        }
      }
      mailbox.hold()
      const inCaller = Effect.map(starts, (starting) => {
        const outcome = starting.poll
        if (Option.isSome(outcome) && mailbox.alive) return this.adopt(spec, origin, outcome.value)
        release()
        return mailbox.post(this.adoptOnceStarted(spec, origin, starting), { first: true, cleanUp: abandon(starting) })
      })
      return Effect.ensuring(inCaller, Effect.sync(release))
    })))
  }

  // ---------------------------------------------------------------------------
  // The runtime API
  // ---------------------------------------------------------------------------

  /** The child `child` names when this runs (its handle, or its running process), or `NotFound`. */
  lookup(child: Child<unknown> | Process.ProcessRef): Effect.Effect<
    DynamicChild,
    SupervisorError.NotFound
  > {
    return Effect.suspend(() => {
      const record = child instanceof DynamicChild
        ? (this.isCurrent(child) ? child : undefined)
        : this.childOf(child as Process.ProcessRef)
      return record === undefined
        ? Effect.fail(new SupervisorError.NotFound({ id: child instanceof DynamicChild ? child.id : String(child) }))
        : Effect.succeed(record)
    })
  }

  terminateChild(
    child: Child<unknown> | Process.ProcessRef
  ): Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped> {
    return this.call(Effect.flatMap(this.lookup(child), (record) => {
      this.unsafeRemove(record)
      return Effect.asVoid(this.stopRecord(record))
    }))
  }

  /**
   * Changes the limit (a lowered one refuses new starts and leaves running children
   * alone), the restart policy (started afresh) and the extra arguments (for children
   * started from now on): checked whole first, all or nothing.
   */
  reconfigure(
    options: ReconfigureOptions<Extra>
  ): Effect.Effect<void, SupervisorError.InvalidOptions | SupervisorError.SupervisorStopped> {
    const valid = validateReconfigure(options)
    if (Either.isLeft(valid)) return Effect.fail(valid.left)
    const { maxChildren, policy } = valid.right
    return this.call(Effect.sync(() => {
      if (maxChildren !== undefined) this.maxChildren = maxChildren
      if (policy !== undefined) this.unsafeReplacePolicy(policy)
      if ("extraArguments" in options) this.extraArguments = options.extraArguments as Extra
    }))
  }

  getChildSpec(
    child: Child<unknown> | Process.ProcessRef
  ): Effect.Effect<
    ChildSpec.ChildSpec<unknown, unknown, unknown>,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.map(this.lookup(child), (record) => record.spec))
  }

  get whichChildren(): Effect.Effect<
    ReadonlyArray<ChildInfo>,
    SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.sync(() => {
      const infos: Array<ChildInfo> = []
      for (const record of this.list) {
        infos.push({
          child: record,
          id: record.id,
          status: record.status === "running" ? "running" : "restarting",
          process: Option.fromNullable(record.process),
          value: record.process === undefined ? Option.none() : Option.some(record.current),
          type: record.type,
          restarts: record.restarts
        })
      }
      return infos
    }))
  }
}
