/**
 * Model-based property test of a DynamicSupervisor (SEMANTICS §1.5, §1.7, §1.11).
 *
 * A small pure model (children oldest first, each with its restart type, status and
 * incarnation; `maxChildren`; the sliding inclusive restart window; failed restart
 * attempts that count again; whether the supervisor has given up) is driven by random
 * sequences: start a child (its start may fail), crash a child with a reason (normal
 * exit, `ShutdownRequest`, failure, defect, self-interruption, `Process.kill`; its
 * restarts may fail first, and a look at the children, a count, a terminateChild of it or
 * another startChild may be queued right behind the exit, so that it is handled while
 * the child is `restarting`), make a child's next restarts fail, terminate a child by its handle, by its current process or
 * by a stale handle / ended process (`NotFound`), move the clock (0, 1 s, 3 s, 6 s),
 * stop. After every step: `whichChildren` (handles, ids, statuses, order, restart
 * counts), `countChildren`, which incarnations are alive, the `Registry` names, and
 * whether it has given up. After every sequence nothing leaks.
 *
 * Runs: `EFFECT_OTP_MODEL_RUNS` (default 1000), seed `EFFECT_OTP_MODEL_SEED`.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ExitReason, Process, Registry, Restart, SupervisorError } from "@effect-otp/supervisor"
import { assertReason } from "@effect-otp/test-utils/Assert"
import { makeLeaks } from "@effect-otp/test-utils/Leaks"
import {
  advanceArb,
  awaitEnd,
  checkSequences,
  failingRestartsArb,
  inOwnScope,
  maxRestartsArb,
  observeQuiet,
  type Reason,
  reasonArb,
  restartArb,
  RestartModel,
  type RestartType,
  RUNS,
  SEED as BASE_SEED,
  sequenceOf,
  shutdownArb,
  type ShutdownMode,
  StartError,
  targetArb,
  windowMillisArb,
  World as ModelWorld
} from "@effect-otp/test-utils/Model"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, FastCheck as fc, Option, Scope, TestClock } from "effect"

const SEED = BASE_SEED + 10

interface Config {
  readonly maxRestarts: number
  readonly windowMillis: number
  readonly maxChildren: number
}

type Cmd =
  | {
    readonly _tag: "StartChild"
    readonly restart: RestartType
    readonly shutdown: ShutdownMode
    readonly failStart: boolean
  }
  | {
    readonly _tag: "Crash"
    readonly target: number
    readonly reason: Reason
    /** The crashed child's next starts fail first, so that its restart is tried again. */
    readonly failingRestarts: number
    /** Right after the crash, queued behind the exit: handled after the first restart attempt. */
    readonly then: "nothing" | "observe" | "count" | "terminate it" | "start another"
  }
  | { readonly _tag: "Advance"; readonly millis: 0 | 1000 | 3000 | 6000 }
  | { readonly _tag: "FailNextStarts"; readonly target: number; readonly count: number }
  | { readonly _tag: "Terminate"; readonly target: number; readonly by: "child" | "process" | "stale" }
  | { readonly _tag: "Stop" }

const configArb: fc.Arbitrary<Config> = fc.record({
  maxRestarts: maxRestartsArb,
  windowMillis: windowMillisArb,
  maxChildren: fc.constantFrom(Infinity, Infinity, 0, 1, 2, 3, 5)
})

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      _tag: fc.constant("StartChild" as const),
      restart: restartArb,
      shutdown: shutdownArb,
      failStart: fc.boolean()
    })
  },
  {
    weight: 10,
    arbitrary: fc.record({
      _tag: fc.constant("Crash" as const),
      target: targetArb,
      reason: reasonArb,
      failingRestarts: failingRestartsArb,
      then: fc.constantFrom(
        "nothing" as const,
        "nothing" as const,
        "nothing" as const,
        "observe" as const,
        "count" as const,
        "terminate it" as const,
        "start another" as const
      )
    })
  },
  { weight: 5, arbitrary: advanceArb },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("FailNextStarts" as const),
      target: targetArb,
      count: fc.integer({ min: 1, max: 3 })
    })
  },
  {
    weight: 3,
    arbitrary: fc.record({
      _tag: fc.constant("Terminate" as const),
      target: targetArb,
      by: fc.constantFrom("child" as const, "process" as const, "stale" as const)
    })
  },
  { weight: 1, arbitrary: fc.constant({ _tag: "Stop" as const }) }
)

const cmdsArb = sequenceOf(cmdArb)

// -----------------------------------------------------------------------------
// The model
// -----------------------------------------------------------------------------

interface MChild {
  /** Unique per startChild (the spec's id, so it shows in whichChildren). */
  readonly label: string
  readonly restart: RestartType
  status: "running" | "restarting"
  inc: number
  restarts: number
  /** An automatic restart of this child failed (how those count in `restarts` is not pinned here). */
  failedRestart: boolean
}

/** The dynamic supervisor's model (the restart window and the retried attempts: RestartModel). */
class Model extends RestartModel<MChild> {
  ended: "no" | "gave up" | "stopped" = "no"
  constructor(readonly config: Config) {
    super(config.maxRestarts, config.windowMillis)
  }

  startChild(
    label: string,
    restart: RestartType
  ):
    | { readonly _tag: "Ok"; readonly inc: number }
    | { readonly _tag: "SupervisorStopped" | "MaxChildren" | "StartFailed" }
  {
    if (!this.alive) return { _tag: "SupervisorStopped" }
    if (this.children.length >= this.config.maxChildren) return { _tag: "MaxChildren" }
    if (!this.tryStart(label)) return { _tag: "StartFailed" }
    const child: MChild = { label, restart, status: "running", inc: ++this.nextInc, restarts: 0, failedRestart: false }
    this.children.push(child)
    return { _tag: "Ok", inc: child.inc }
  }

  /** A child exits by itself; `drain: false` stops after the first restart attempt (a call is handled next). */
  crash(child: MChild, reason: Reason, drain = true) {
    const abnormal = reason !== "normal" && reason !== "shutdown"
    if (!(child.restart === "permanent" || (child.restart === "transient" && abnormal))) {
      this.remove(child)
      return
    }
    this.attempt(child)
    if (drain) this.drain()
  }

  /** One attempt: it steps the window; a failed start is tried again later. */
  attempt(child: MChild) {
    if (!this.countRestart()) {
      this.stopAll("gave up")
      return
    }
    if (this.tryStart(child.label)) {
      child.status = "running"
      child.inc = ++this.nextInc
      child.restarts++
      return
    }
    child.status = "restarting"
    child.failedRestart = true
    this.pending = child
  }

  terminate(child: MChild) {
    this.remove(child)
  }

  stopAll(how: "gave up" | "stopped") {
    this.children = []
    this.alive = false
    this.ended = how
  }
}

// -----------------------------------------------------------------------------
// The real world
// -----------------------------------------------------------------------------

/** The children (@effect-otp/test-utils/Model), with the handles startChild returned. */
class World extends ModelWorld {
  /** The handle startChild returned, by label. */
  readonly handles = new Map<string, DynamicSupervisor.Child<Process.ProcessRef>>()
  /** Handles and processes of children that are gone. */
  readonly stale: Array<DynamicSupervisor.Child<unknown> | Process.ProcessRef> = []
}

const observe = <Extra>(supervisor: DynamicSupervisor.DynamicSupervisor<Extra>, context: string) =>
  observeQuiet(DynamicSupervisor.whichChildren(supervisor), DynamicSupervisor.countChildren(supervisor), context)

const runSequence = (config: Config, cmds: ReadonlyArray<Cmd>) =>
  inOwnScope((scope) => runSequenceIn(scope, config, cmds))

const runSequenceIn = (scope: Scope.CloseableScope, config: Config, cmds: ReadonlyArray<Cmd>) =>
  Effect.gen(function*() {
    const leaks = yield* makeLeaks
    const world = new World(leaks)
    const model = new Model(config)
    model.now = yield* TestClock.currentTimeMillis
    const supervisor = yield* leaks.supervise(
      DynamicSupervisor.start({
        restartPolicy: Restart.intensity(config.maxRestarts, config.windowMillis),
        maxChildren: config.maxChildren
      }).pipe(Scope.extend(scope))
    )
    leaks.track(supervisor.process)
    let labels = 0
    let pendingMillis = 0
    const log: Array<string> = []
    const where = () => `after [${log.join(", ")}]`

    const bind = (inc: number, process: Process.ProcessRef, what: string) => world.bind(inc, process, what, where())

    const compare = Effect.gen(function*() {
      const observed = yield* observe(supervisor, where())
      if (!model.alive) {
        assert.isUndefined(observed, `${where()}: the supervisor should have ${model.ended}`)
        const reason = yield* awaitEnd(supervisor.process, where())
        assertReason(reason, ExitReason.shutdown, `${where()}: the supervisor's exit reason`)
        assert.deepStrictEqual(
          yield* Effect.flip(DynamicSupervisor.countChildren(supervisor)),
          new SupervisorError.SupervisorStopped(),
          where()
        )
      } else {
        assert.isDefined(observed, `${where()}: the supervisor stopped, the model did not`)
        if (observed === undefined) return
        assert.deepStrictEqual(
          observed.infos.map((info, i) => [
            info.id,
            info.status,
            model.children[i]?.failedRestart ? "-" : info.restarts
          ]),
          model.children.map((child) => [child.label, child.status, child.failedRestart ? "-" : child.restarts]),
          `${where()}: whichChildren [id, status, restarts], oldest first`
        )
        for (const [i, info] of observed.infos.entries()) {
          const child = model.children[i]
          assert.strictEqual(info.child, world.handles.get(child.label), `${where()}: ${child.label}'s handle`)
          assert.isTrue(Option.isSome(info.process), `${where()}: ${child.label} has a process`)
          if (Option.isNone(info.process)) continue
          leaks.track(info.process.value)
          bind(child.inc, info.process.value, child.label)
          assert.isTrue(Option.isNone(info.process.value.poll), `${where()}: ${child.label}'s process runs`)
        }
        assert.deepStrictEqual(observed.counts, {
          specs: model.children.length,
          active: model.children.length,
          supervisors: 0,
          workers: model.children.length
        }, `${where()}: countChildren`)
        assert.deepStrictEqual(
          (yield* Registry.names).slice().sort(),
          model.children.map((child) => child.label).sort(),
          `${where()}: Registry.names are the running children's labels`
        )
      }
      const current = new Set(model.children.map((child) => child.inc))
      for (const [inc, process] of world.incarnations) {
        if (!current.has(inc) && Option.isNone(process.poll)) {
          yield* awaitEnd(process, `${where()}: incarnation ${inc} (pid ${process.pid}) should have ended`)
        }
      }
    })

    const expectError = (what: string, exit: Exit.Exit<unknown, unknown>, tag: string) => {
      if (exit._tag === "Success") return assert.fail(`${where()}: ${what} should fail with ${tag}, got a success`)
      const error = Option.getOrUndefined(Cause.failureOption(exit.cause)) as { readonly _tag: string } | undefined
      assert.strictEqual(error?._tag, tag, `${where()}: ${what}: ${Cause.pretty(exit.cause)}`)
      return error
    }

    const startChild = (failStart: boolean, restart: RestartType, shutdown: ShutdownMode) =>
      Effect.gen(function*() {
        const label = `d${++labels}`
        if (failStart) {
          model.failures.set(label, 1)
          world.failures.set(label, 1)
        }
        const expected = model.startChild(label, restart)
        const exit = yield* Effect.exit(
          DynamicSupervisor.startChild(supervisor, world.spec(label, restart, shutdown))
        )
        if (expected._tag === "Ok") {
          if (exit._tag === "Failure") {
            return assert.fail(`${where()}: startChild should succeed, got ${Cause.pretty(exit.cause)}`)
          }
          const child = exit.value
          world.handles.set(label, child)
          leaks.track(child.initial)
          assert.strictEqual(child.value, child.initial, `${where()}: the handle's value is its first process`)
          bind(expected.inc, child.initial, `startChild(${label})'s result`)
        } else {
          const error = expectError(`startChild(${label})`, exit, expected._tag)
          if (expected._tag === "MaxChildren") {
            assert.deepStrictEqual(error, new SupervisorError.MaxChildren({ maxChildren: config.maxChildren }))
          }
          if (expected._tag === "StartFailed") {
            const failed = error as SupervisorError.StartFailed
            assert.strictEqual(failed.id, label)
            assert.deepStrictEqual(Option.getOrUndefined(Cause.failureOption(failed.cause)), new StartError(label))
          }
        }
      })

    yield* compare
    let deadSteps = 0
    for (const cmd of cmds) {
      if (!model.alive && deadSteps++ === 2) break
      log.push(JSON.stringify(cmd))
      switch (cmd._tag) {
        case "Advance": {
          model.now += cmd.millis
          pendingMillis += cmd.millis
          break
        }
        case "StartChild": {
          yield* startChild(cmd.failStart, cmd.restart, cmd.shutdown)
          break
        }
        case "Crash": {
          if (model.children.length === 0) break
          const child = model.children[cmd.target % model.children.length]
          const process = world.incarnations.get(child.inc)!
          if (cmd.failingRestarts > 0) {
            model.failures.set(child.label, cmd.failingRestarts)
            world.failures.set(child.label, cmd.failingRestarts)
          }
          if (pendingMillis > 0) {
            yield* TestClock.adjust(pendingMillis)
            pendingMillis = 0
          }
          if (cmd.reason === "kill") yield* Process.kill(process)
          else Deferred.unsafeDone(world.controls.get(process.pid)!, Exit.succeed(cmd.reason))
          yield* awaitEnd(process, where())
          world.stale.push(process)
          if (
            child.restart === "temporary" ||
            (child.restart === "transient" && (cmd.reason === "normal" || cmd.reason === "shutdown"))
          ) {
            world.stale.push(world.handles.get(child.label)!)
          }
          if (cmd.then === "nothing") {
            model.crash(child, cmd.reason)
            break
          }
          model.crash(child, cmd.reason, false)
          if (cmd.then === "observe") {
            const infos = yield* Effect.either(DynamicSupervisor.whichChildren(supervisor))
            if (!model.alive) {
              assert.isTrue(infos._tag === "Left", `${where()}: stopped right after the crash`)
            } else {
              assert.deepStrictEqual(
                infos._tag === "Right" ? infos.right.map((info) => [info.id, info.status]) : infos.left,
                model.children.map((child) => [child.label, child.status]),
                `${where()}: whichChildren right after the crash`
              )
            }
          } else if (cmd.then === "count") {
            const counts = yield* Effect.either(DynamicSupervisor.countChildren(supervisor))
            if (!model.alive) {
              assert.isTrue(counts._tag === "Left", `${where()}: stopped right after the crash`)
            } else {
              const restarting = model.children.filter((child) => child.status === "restarting").length
              assert.deepStrictEqual(counts._tag === "Right" ? counts.right : counts.left, {
                specs: model.children.length,
                active: model.children.length - restarting,
                supervisors: 0,
                workers: model.children.length
              }, `${where()}: countChildren right after the crash (restarting children are not active)`)
            }
          } else if (cmd.then === "terminate it") {
            const handle = world.handles.get(child.label)!
            const exit = yield* Effect.exit(DynamicSupervisor.terminateChild(supervisor, handle))
            if (!model.alive) {
              expectError("terminateChild right after the crash", exit, "SupervisorStopped")
            } else if (model.children.includes(child)) {
              if (exit._tag === "Failure") {
                return assert.fail(
                  `${where()}: terminateChild(its handle) should succeed, got ${Cause.pretty(exit.cause)}`
                )
              }
              world.stale.push(handle)
              const current = world.incarnations.get(child.inc)
              if (child.status === "running" && current !== undefined) world.stale.push(current)
              model.terminate(child)
            } else {
              expectError("terminateChild of a child that is gone", exit, "NotFound")
            }
          } else {
            yield* startChild(false, "permanent", "infinity")
          }
          model.drain()
          break
        }
        case "FailNextStarts": {
          if (model.children.length === 0) break
          const child = model.children[cmd.target % model.children.length]
          model.failures.set(child.label, cmd.count)
          world.failures.set(child.label, cmd.count)
          break
        }
        case "Terminate": {
          if (cmd.by === "stale") {
            if (world.stale.length === 0) break
            const target = world.stale[cmd.target % world.stale.length]
            const exit = yield* Effect.exit(DynamicSupervisor.terminateChild(supervisor, target))
            expectError(
              "terminateChild(a stale handle or an ended process)",
              exit,
              model.alive ? "NotFound" : "SupervisorStopped"
            )
            break
          }
          if (model.children.length === 0) break
          const child = model.children[cmd.target % model.children.length]
          const handle = world.handles.get(child.label)!
          const process = world.incarnations.get(child.inc)!
          const exit = yield* Effect.exit(
            DynamicSupervisor.terminateChild(supervisor, cmd.by === "child" ? handle : process)
          )
          if (exit._tag === "Failure") {
            return assert.fail(`${where()}: terminateChild should succeed, got ${Cause.pretty(exit.cause)}`)
          }
          assert.isTrue(Option.isSome(process.poll), `${where()}: terminateChild returned before the child ended`)
          world.stale.push(handle, process)
          model.terminate(child)
          break
        }
        case "Stop": {
          if (model.alive) model.stopAll("stopped")
          yield* Scope.close(scope, Exit.void)
          break
        }
      }
      yield* compare
    }
    yield* Scope.close(scope, Exit.void)
    assertReason(yield* awaitEnd(supervisor.process, where()), ExitReason.shutdown, where())
    yield* leaks.check
    yield* leaks.checkNames
    assert.strictEqual((yield* TestClock.sleeps()).length, 0, `${where()}: sleepers left on the TestClock`)
  })

describe("DynamicSupervisor model", () => {
  it.effect(
    `${RUNS} random command sequences agree with the reference model`,
    () => checkSequences(configArb, cmdsArb, SEED, runSequence),
    600_000
  )

  it("the model: maxChildren counts every child; a failed restart is tried again and counted", () => {
    const model = new Model({ maxRestarts: 2, windowMillis: 5000, maxChildren: 2 })
    assert.deepStrictEqual(model.startChild("a", "permanent"), { _tag: "Ok", inc: 1 })
    assert.deepStrictEqual(model.startChild("b", "temporary"), { _tag: "Ok", inc: 2 })
    assert.deepStrictEqual(model.startChild("c", "permanent"), { _tag: "MaxChildren" })
    model.failures.set("a", 1)
    model.crash(model.children[0], "kill")
    // two attempts: the failed one and the one that worked
    assert.strictEqual(model.stamps.length, 2)
    assert.deepStrictEqual(model.children.map((child) => [child.label, child.status, child.inc]), [
      ["a", "running", 3],
      ["b", "running", 2]
    ])
    model.crash(model.children[0], "kill")
    assert.isFalse(model.alive)
  })
})
