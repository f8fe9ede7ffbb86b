/**
 * The static supervisor on the engine: an ordered list of children with ids, started in
 * order at boot, restarted by strategy (one child, all of them, or the rest after it),
 * stopped one at a time in reverse order; and OTP's runtime API on its children.
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { pipeArguments } from "effect/Pipeable"
import * as ChildSpec from "../../ChildSpec.js"
import type * as Process from "../../Process.js"
import type { Policy } from "../../Restart.js"
import type * as Supervisor from "../../Supervisor.js"
import * as SupervisorError from "../../SupervisorError.js"
import { type ChildKey, infoOf, startKeyOf } from "../childKey.js"
import type { AutoShutdown } from "../engine/childKeeper.js"
import { Engine } from "../engine/engine.js"
import { type AnySpec, ChildRecord, type Defaults } from "../engine/record.js"
import { startFailed, startFailure } from "../engine/start.js"
import type { Self } from "../engine/start.js"
import type { Hub } from "../hub.js"
import * as internalProcess from "../process.js"
import { TypeId } from "./models.js"

export type StartChildError<E> =
  | SupervisorError.InvalidChildSpec
  | SupervisorError.AlreadyStarted
  | SupervisorError.AlreadyPresent
  | SupervisorError.StartFailed
  | Extract<E, Process.Ignore>

export type RestartChildError =
  | SupervisorError.NotFound
  | SupervisorError.Running
  | SupervisorError.Restarting
  | SupervisorError.StartFailed
  | Process.Ignore

export type DeleteChildError = SupervisorError.NotFound | SupervisorError.Running | SupervisorError.Restarting

/** A static child: its spec is kept for `restartChild` and `getChildSpec`. */
export class StaticChild extends ChildRecord {
  /** The key of the start it was given (kept when the start itself is let go). */
  startKey: number
  constructor(spec: AnySpec, origin: internalProcess.Origin, defaults: Defaults) {
    super(spec, origin, defaults)
    this.startKey = startKeyOf(spec.start)
  }

  protected load(spec: AnySpec): void {
    super.load(spec)
    this.startKey = startKeyOf(spec.start)
  }
}

/** @internal */
export class SupervisorImpl extends Engine<StaticChild> implements Supervisor.Supervisor {
  readonly [TypeId]: Supervisor.TypeId = TypeId
  readonly list: Array<StaticChild> = []
  readonly byId = new Map<string, StaticChild>()

  constructor(
    hub: Hub,
    /** Changed by a reconfiguration. */
    public strategy: Supervisor.Strategy,
    policy: Policy,
    autoShutdown: AutoShutdown,
    readonly defaults: Defaults,
    self: Self
  ) {
    super(hub, policy, self, autoShutdown)
  }

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "Supervisor", strategy: this.strategy, children: this.list.map((record) => record.id) }
  }

  // ---------------------------------------------------------------------------
  // The engine's clauses
  // ---------------------------------------------------------------------------

  children(): Iterable<StaticChild> {
    return this.list
  }

  isCurrent(record: StaticChild): boolean {
    return this.byId.get(record.id) === record
  }

  protected detach(record: StaticChild): void {
    const index = this.list.indexOf(record)
    if (index >= 0) this.list.splice(index, 1)
    if (this.byId.get(record.id) === record) this.byId.delete(record.id)
  }

  /** Its spec stays (stopped), unless it is temporary. */
  unsafeDropChild(record: StaticChild): void {
    record.status = "stopped"
    if (record.restart === "temporary") this.unsafeRemove(record)
  }

  /** One at a time, in reverse start order. */
  readonly stopAll: Effect.Effect<void> = Effect.suspend(() =>
    Effect.forEach(this.list.slice().reverse(), (record) => this.stopRecord(record), { discard: true })
  )

  affected(record: StaticChild): ReadonlyArray<StaticChild> {
    switch (this.strategy) {
      case "one_for_one":
        return [record]
      case "one_for_all":
        return this.list.slice()
      case "rest_for_one": {
        const index = this.list.indexOf(record)
        return index < 0 ? [record] : this.list.slice(index)
      }
    }
  }

  /** Stops the running siblings a restart of `record` concerns, in reverse order; temporary ones are removed. */
  stopSiblings(record: StaticChild): Effect.Effect<void> {
    if (this.strategy === "one_for_one") return Effect.void
    const siblings = this.affected(record).filter((child) => child !== record).reverse()
    return Effect.forEach(siblings, (child) => {
      if (child.restart === "temporary") {
        const stopping = this.stopRecord(child)
        this.unsafeRemove(child)
        return Effect.asVoid(stopping)
      }
      if (child.status === "restarting") {
        child.unsafeCancelTimer()
        child.status = "stopped"
      }
      return child.process === undefined ? Effect.void : Effect.asVoid(this.stopRecord(child, true))
    }, { discard: true })
  }

  // ---------------------------------------------------------------------------
  // Boot
  // ---------------------------------------------------------------------------

  validateSpec(spec: AnySpec): Either.Either<void, SupervisorError.InvalidChildSpec> {
    const id = typeof spec.id === "string" ? spec.id : String(spec.id)
    // OTP's bad_combination of auto_shutdown never and significant true comes first,
    // before what the spec alone says (e.g. that a significant child cannot be permanent)
    if (spec.significant === true && this.autoShutdown === "never") {
      return Either.left(
        new SupervisorError.InvalidChildSpec({
          id,
          message: "significant: a significant child needs a supervisor with autoShutdown other than \"never\""
        })
      )
    }
    const result = ChildSpec.validate(spec)
    if (Either.isLeft(result)) return Either.left(new SupervisorError.InvalidChildSpec({ id, message: result.left }))
    return Either.void
  }

  add(spec: AnySpec, origin: internalProcess.Origin): StaticChild {
    const record = new StaticChild(spec, origin, this.defaults)
    this.list.push(record)
    this.byId.set(record.id, record)
    return record
  }

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
        const record = this.add(spec, this.self.origin)
        return Effect.flatMap(this.startRecord(record, false), (result) => {
          if (Either.isRight(result)) return Effect.void
          this.unsafeRemove(record)
          return Effect.zipRight(
            this.stopAll,
            Effect.fail(startFailed(spec.id, result.left))
          )
        })
      }, { discard: true })
    })
  }

  // ---------------------------------------------------------------------------
  // The runtime API: each operation runs inside the loop, between messages
  // ---------------------------------------------------------------------------

  startChild<A, E, R>(
    spec: ChildSpec.ChildSpec<A, E, R>,
    context: Context.Context<R>
  ): Effect.Effect<A, StartChildError<E> | SupervisorError.SupervisorStopped> {
    return this.call(Effect.suspend((): Effect.Effect<A, StartChildError<E>> => {
      const valid = this.validateSpec(spec)
      if (Either.isLeft(valid)) return Effect.fail(valid.left)
      const existing = this.byId.get(spec.id)
      if (existing !== undefined) {
        return existing.status === "running"
          ? Effect.fail(new SupervisorError.AlreadyStarted({ id: spec.id, process: existing.process! }))
          : Effect.fail(new SupervisorError.AlreadyPresent({ id: spec.id }))
      }
      const record = this.add(spec, this.originFor(context as Context.Context<never>))
      return Effect.flatMap(this.startRecord(record, false), (result): Effect.Effect<A, StartChildError<E>> => {
        if (Either.isLeft(result)) {
          this.unsafeRemove(record)
          return Effect.fail(startFailure(spec.id, result.left))
        }
        if (!result.right) return Effect.fail(internalProcess.ignored as Extract<E, Process.Ignore>)
        return Effect.succeed(record.current as A)
      })
    }))
  }

  /** The child `id` when this runs, or `NotFound`. */
  find(id: string): Effect.Effect<StaticChild, SupervisorError.NotFound> {
    return Effect.suspend(() => {
      const record = this.byId.get(id)
      return record === undefined ? Effect.fail(new SupervisorError.NotFound({ id })) : Effect.succeed(record)
    })
  }

  /** The child `id` when it is stopped: `NotFound`, `Running` or `Restarting` otherwise. */
  findStopped(id: string): Effect.Effect<StaticChild, DeleteChildError> {
    return Effect.flatMap(this.find(id), (record): Effect.Effect<StaticChild, DeleteChildError> => {
      if (record.status === "running") return Effect.fail(new SupervisorError.Running({ id }))
      if (record.status === "restarting") return Effect.fail(new SupervisorError.Restarting({ id }))
      return Effect.succeed(record)
    })
  }

  /** The child `key` names when this runs, or `NotFound`. */
  lookup(key: ChildKey): Effect.Effect<StaticChild, SupervisorError.NotFound> {
    if (typeof key === "string") return this.find(key)
    return Effect.suspend(() => {
      if (ChildSpec.isChildSpec(key)) {
        const record = this.byId.get(key.id)
        return record !== undefined && typeof key.start === "object" && key.start !== null &&
            record.startKey === startKeyOf(key.start)
          ? Effect.succeed(record)
          : Effect.fail(new SupervisorError.NotFound({ id: String(key.id) }))
      }
      const record = typeof key === "object" && key !== null ? this.childOf(key) : undefined
      return record === undefined
        ? Effect.fail(new SupervisorError.NotFound({ id: String(key) }))
        : Effect.succeed(record)
    })
  }

  restartChild(key: string | AnySpec): Effect.Effect<unknown, RestartChildError | SupervisorError.SupervisorStopped> {
    return this.call(
      Effect.flatMap(
        Effect.flatMap(this.lookup(key), (record) => this.findStopped(record.id)),
        (record) =>
          Effect.flatMap(this.startRecord(record, false), (result): Effect.Effect<unknown, RestartChildError> => {
            if (Either.isLeft(result)) {
              return Effect.fail(new SupervisorError.StartFailed({ id: record.id, cause: result.left }))
            }
            if (!result.right) return Effect.fail(internalProcess.ignored)
            return Effect.succeed(record.current)
          })
      )
    )
  }

  terminateChild(id: string): Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped> {
    return this.call(Effect.flatMap(this.find(id), (record) => {
      if (record.status === "restarting") {
        // the pending restart is abandoned: the siblings it stopped keep no names reserved
        for (const sibling of this.affected(record)) {
          if (sibling !== record && sibling.status === "stopped") sibling.unsafeReleasePrevious()
        }
      }
      const stopping = this.stopRecord(record)
      if (record.restart === "temporary") this.unsafeRemove(record)
      return Effect.asVoid(stopping)
    }))
  }

  deleteChild(id: string): Effect.Effect<void, DeleteChildError | SupervisorError.SupervisorStopped> {
    return this.call(Effect.map(this.findStopped(id), (record) => this.unsafeRemove(record)))
  }

  get whichChildren(): Effect.Effect<ReadonlyArray<Supervisor.ChildInfo>, SupervisorError.SupervisorStopped> {
    return this.call(Effect.sync(() => {
      const infos: Array<Supervisor.ChildInfo> = []
      for (let i = this.list.length - 1; i >= 0; i--) infos.push(infoOf(this.list[i]))
      return infos
    }))
  }

  whichChild(key: ChildKey): Effect.Effect<
    Supervisor.ChildInfo,
    SupervisorError.NotFound | SupervisorError.SupervisorStopped
  > {
    return this.call(Effect.map(this.lookup(key), infoOf))
  }

  getChildSpec(key: ChildKey): Effect.Effect<AnySpec, SupervisorError.NotFound | SupervisorError.SupervisorStopped> {
    return this.call(Effect.map(this.lookup(key), (record) => record.spec))
  }
}
