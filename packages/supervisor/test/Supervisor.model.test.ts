/**
 * Model-based property tests of a static supervisor (SEMANTICS §1.5–1.7, §1.10).
 *
 * A small pure reference model (children in start order with their restart type,
 * significance, status and incarnation, the strategy, the sliding inclusive restart
 * window `intensity(N, T)`, failed restart attempts that count again, autoShutdown,
 * whether the supervisor has given up) is driven by random command sequences: crash
 * child i with a reason (normal exit, `ShutdownRequest`, failure, defect,
 * self-interruption, `Process.kill`), optionally with its restarts failing first and an
 * API call (or a look at the children) queued right behind the exit, so that it is
 * handled while the child is `restarting`; move the clock in coarse steps (0, 1 s, 3 s,
 * 6 s); make a child's next starts fail; `startChild` / `terminateChild` /
 * `restartChild` / `deleteChild` with their typed errors; stop. After every step the
 * real supervisor is compared with the model:
 * `whichChildren` (ids, statuses, order, restart counts), `countChildren`, which
 * incarnations are alive (a restarted child has a new pid, an untouched one the same),
 * the names in the `Registry` (each child registers its id), and whether it has given
 * up (its process ended with `Shutdown`, calls fail with `SupervisorStopped`). After
 * every sequence, nothing leaks (@effect-otp/test-utils/Leaks).
 *
 * Seeded and reproducible; fast-check shrinks a failure to a minimal sequence. Runs per
 * strategy: `EFFECT_OTP_MODEL_RUNS` (default 1000), seed `EFFECT_OTP_MODEL_SEED`;
 * `EFFECT_OTP_MODEL_STATS=1` prints what the sequences did (commands, outcomes, endings).
 * A larger run: `EFFECT_OTP_MODEL_RUNS=20000 npx vitest run packages/supervisor/test/Supervisor.model.test.ts`.
 *
 * Cost: the clock is moved lazily (one `TestClock.adjust` before a crash that follows
 * clock steps, as the supervisor reads the clock only when it handles an exit), children
 * have no shutdown deadline timers (`infinity` / `brutal_kill`), and every wait is a
 * bounded `Effect.yieldNow` loop or a call through the supervisor's own queue, which
 * runs after the exits it has already been told about.
 */
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
  SEED,
  sequenceOf,
  shutdownArb,
  type ShutdownMode,
  StartError,
  STATS,
  targetArb,
  windowMillisArb,
  World
} from "@effect-otp/test-utils/Model"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, FastCheck as fc, Option, Scope, TestClock } from "effect"
import { ExitReason, Process, Registry, Restart, Supervisor, SupervisorError } from "../src/index.js"

// -----------------------------------------------------------------------------
// Commands
// -----------------------------------------------------------------------------

interface ChildConfig {
  readonly restart: RestartType
  readonly shutdown: ShutdownMode
  /** Made significant when the supervisor's autoShutdown and the restart type allow it. */
  readonly significant: boolean
}

interface Config {
  readonly maxRestarts: number
  readonly windowMillis: number
  readonly autoShutdown: Supervisor.AutoShutdown
  readonly children: ReadonlyArray<ChildConfig>
}

/** The runtime API, as a command of its own or right after a crash (`Crash.then`). */
type Api =
  | {
    readonly _tag: "StartChild"
    readonly id: number
    readonly restart: RestartType
    readonly shutdown: ShutdownMode
    readonly significant: boolean
  }
  | { readonly _tag: "TerminateChild"; readonly id: number }
  | { readonly _tag: "RestartChild"; readonly id: number }
  | { readonly _tag: "DeleteChild"; readonly id: number }

/**
 * What happens right after a crash, before the supervisor is quiet again: nothing, a
 * look at its children, or an API call on the crashed child (`id: -1`) or another one.
 * The call is queued behind the exit, so the supervisor handles it after its first
 * restart attempt, and before it tries a failed restart again.
 */
type Then = { readonly _tag: "Nothing" } | { readonly _tag: "Observe" } | Api

type Cmd =
  | {
    readonly _tag: "Crash"
    readonly target: number
    readonly reason: Reason
    /** Makes the crashed child's next starts fail first (as FailNextStarts), so that its restart is retried. */
    readonly failingRestarts: number
    readonly then: Then
  }
  | { readonly _tag: "Advance"; readonly millis: 0 | 1000 | 3000 | 6000 }
  | Api
  | {
    readonly _tag: "FailNextStarts"
    /** A child that is there (`id` modulo their number), or else a pool id. */
    readonly id: number
    readonly count: number
  }
  | { readonly _tag: "Stop" }

const idArb = fc.integer({ min: 0, max: 5 })

const configArb: fc.Arbitrary<Config> = fc.record({
  maxRestarts: maxRestartsArb,
  windowMillis: windowMillisArb,
  autoShutdown: fc.constantFrom<Supervisor.AutoShutdown>("never", "never", "any_significant", "all_significant"),
  children: fc.array(fc.record({ restart: restartArb, shutdown: shutdownArb, significant: fc.boolean() }), {
    minLength: 1,
    maxLength: 4
  })
})

const apiArb = (ids: fc.Arbitrary<number>): fc.Arbitrary<Api> =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        _tag: fc.constant("StartChild" as const),
        id: ids,
        restart: restartArb,
        shutdown: shutdownArb,
        significant: fc.boolean()
      })
    },
    { weight: 1, arbitrary: fc.record({ _tag: fc.constant("TerminateChild" as const), id: ids }) },
    { weight: 1, arbitrary: fc.record({ _tag: fc.constant("RestartChild" as const), id: ids }) },
    { weight: 1, arbitrary: fc.record({ _tag: fc.constant("DeleteChild" as const), id: ids }) }
  )

const thenArb: fc.Arbitrary<Then> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ _tag: "Nothing" as const }) },
  { weight: 2, arbitrary: fc.constant({ _tag: "Observe" as const }) },
  // -1: the child that crashed (often the one being restarted)
  { weight: 3, arbitrary: apiArb(fc.constantFrom(-1, -1, 0, 1, 2, 3, 4, 5)) }
)

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      _tag: fc.constant("Crash" as const),
      target: targetArb,
      reason: reasonArb,
      failingRestarts: failingRestartsArb,
      then: thenArb
    })
  },
  { weight: 6, arbitrary: advanceArb },
  { weight: 10, arbitrary: apiArb(idArb) },
  {
    weight: 3,
    arbitrary: fc.record({
      _tag: fc.constant("FailNextStarts" as const),
      id: fc.nat({ max: 11 }),
      count: fc.integer({ min: 1, max: 3 })
    })
  },
  { weight: 1, arbitrary: fc.constant({ _tag: "Stop" as const }) }
)

const idOf = (n: number) => `c${n}`

/** Significant only where that is valid: transient or temporary, under an auto-shutdown supervisor. */
const significantIn = (autoShutdown: Supervisor.AutoShutdown, restart: RestartType, wanted: boolean) =>
  wanted && autoShutdown !== "never" && restart !== "permanent"

// -----------------------------------------------------------------------------
// The model
// -----------------------------------------------------------------------------

interface MChild {
  readonly id: string
  readonly restart: RestartType
  readonly significant: boolean
  status: "running" | "stopped" | "restarting"
  /** The incarnation running now (a model number; the test maps it to a pid). */
  inc: number
  /** Successful automatic restarts (its own and cascades), as `ChildInfo.restarts`. */
  restarts: number
  /**
   * An automatic start of this child failed at some point: how such attempts count in
   * `restarts` is pinned by a test of its own (Supervisor.hostile.test.ts), not here.
   */
  failedRestart: boolean
}

/** What an API call is expected to give. */
type Outcome =
  | { readonly _tag: "Ok"; readonly inc?: number }
  | { readonly _tag: "SupervisorStopped" }
  | { readonly _tag: "NotFound" | "Running" | "Restarting" | "AlreadyPresent" | "StartFailed"; readonly id: string }
  | { readonly _tag: "AlreadyStarted"; readonly id: string; readonly inc: number }

/** The static supervisor's model (the restart window and the retried attempts: RestartModel). */
class Model extends RestartModel<MChild> {
  /** How the supervisor ended: gave up (restart intensity) or was stopped by its scope. */
  ended: "no" | "gave up" | "stopped" | "shut down by itself (autoShutdown)" = "no"
  /** Automatic starts that failed (each one leads to another counted attempt). */
  failedRestarts = 0

  constructor(
    readonly strategy: Supervisor.Strategy,
    maxRestarts: number,
    windowMillis: number,
    readonly autoShutdown: Supervisor.AutoShutdown = "never"
  ) {
    super(maxRestarts, windowMillis)
  }

  newInc() {
    return ++this.nextInc
  }

  find(id: string) {
    return this.children.find((child) => child.id === id)
  }

  boot(children: ReadonlyArray<ChildConfig>) {
    children.forEach((config, i) => {
      this.children.push({
        id: idOf(i),
        restart: config.restart,
        significant: significantIn(this.autoShutdown, config.restart, config.significant),
        status: "running",
        inc: this.newInc(),
        restarts: 0,
        failedRestart: false
      })
    })
  }

  running() {
    return this.children.filter((child) => child.status === "running")
  }

  /** A child exits by itself; `drain: false` stops after the first restart attempt (a call is handled next). */
  crash(child: MChild, reason: Reason, drain = true) {
    const abnormal = reason !== "normal" && reason !== "shutdown"
    const restart = child.restart === "permanent" || (child.restart === "transient" && abnormal)
    child.status = "stopped"
    if (!restart) {
      if (child.restart === "temporary") this.remove(child)
      // auto-shutdown (SEMANTICS §1.9): a significant child ended by itself and is not restarted
      if (!child.significant || this.autoShutdown === "never") return
      if (
        this.autoShutdown === "all_significant" &&
        this.children.some((other) => other.significant && other.status !== "stopped")
      ) return
      this.stopAll("shut down by itself (autoShutdown)")
      return
    }
    this.attempt(child)
    if (drain) this.drain()
  }

  affected(child: MChild): Array<MChild> {
    switch (this.strategy) {
      case "one_for_one":
        return [child]
      case "one_for_all":
        return this.children.slice()
      case "rest_for_one":
        return this.children.slice(this.children.indexOf(child))
    }
  }

  /** One restart attempt (OTP's): step the window; stop the siblings; start in order until one fails. */
  attempt(target: MChild) {
    if (!this.countRestart()) {
      this.remove(target)
      this.stopAll("gave up")
      return
    }
    // stop the siblings the strategy restarts, in reverse order; temporary ones go
    for (const sibling of this.affected(target).filter((other) => other !== target).reverse()) {
      if (sibling.restart === "temporary") this.remove(sibling)
      else sibling.status = "stopped"
    }
    // start them in order; a failed start is tried again (and counted) as a new attempt
    for (const next of this.affected(target)) {
      if (next.status === "running") continue
      if (!this.tryStart(next.id)) {
        this.failedRestarts++
        next.status = "restarting"
        next.failedRestart = true
        // the child whose restart this is was counted when the restart was decided (see the restarts bug)
        target.failedRestart = true
        this.pending = next
        return
      }
      next.status = "running"
      next.inc = this.newInc()
      next.restarts++
    }
  }

  stopAll(how: "gave up" | "stopped" | "shut down by itself (autoShutdown)") {
    for (const child of this.children) child.status = "stopped"
    this.children = []
    this.alive = false
    this.ended = how
  }

  startChild(id: string, restart: RestartType, significant = false): Outcome {
    if (!this.alive) return { _tag: "SupervisorStopped" }
    const existing = this.find(id)
    if (existing !== undefined) {
      return existing.status === "running"
        ? { _tag: "AlreadyStarted", id, inc: existing.inc }
        : { _tag: "AlreadyPresent", id }
    }
    if (!this.tryStart(id)) return { _tag: "StartFailed", id }
    const child: MChild = {
      id,
      restart,
      significant: significantIn(this.autoShutdown, restart, significant),
      status: "running",
      inc: this.newInc(),
      restarts: 0,
      failedRestart: false
    }
    this.children.push(child)
    return { _tag: "Ok", inc: child.inc }
  }

  terminateChild(id: string): Outcome {
    if (!this.alive) return { _tag: "SupervisorStopped" }
    const child = this.find(id)
    if (child === undefined) return { _tag: "NotFound", id }
    child.status = "stopped"
    if (child.restart === "temporary") this.remove(child)
    return { _tag: "Ok" }
  }

  restartChild(id: string): Outcome {
    if (!this.alive) return { _tag: "SupervisorStopped" }
    const child = this.find(id)
    if (child === undefined) return { _tag: "NotFound", id }
    if (child.status === "running") return { _tag: "Running", id }
    if (child.status === "restarting") return { _tag: "Restarting", id }
    if (!this.tryStart(id)) return { _tag: "StartFailed", id }
    child.status = "running"
    child.inc = this.newInc()
    return { _tag: "Ok", inc: child.inc }
  }

  deleteChild(id: string): Outcome {
    if (!this.alive) return { _tag: "SupervisorStopped" }
    const child = this.find(id)
    if (child === undefined) return { _tag: "NotFound", id }
    if (child.status === "running") return { _tag: "Running", id }
    if (child.status === "restarting") return { _tag: "Restarting", id }
    this.remove(child)
    return { _tag: "Ok" }
  }
}

// -----------------------------------------------------------------------------
// Running one sequence
// -----------------------------------------------------------------------------

const describeOutcome = (outcome: Outcome) => JSON.stringify(outcome)

/**
 * The supervisor's children once it is quiet (no child `restarting`), or `undefined` when
 * it has stopped.
 */
const observe = (supervisor: Supervisor.Supervisor, context: string) =>
  observeQuiet(Supervisor.whichChildren(supervisor), Supervisor.countChildren(supervisor), context)

const runSequence = (strategy: Supervisor.Strategy, config: Config, cmds: ReadonlyArray<Cmd>) =>
  inOwnScope((scope) => runSequenceIn(scope, strategy, config, cmds))

const runSequenceIn = (
  scope: Scope.CloseableScope,
  strategy: Supervisor.Strategy,
  config: Config,
  cmds: ReadonlyArray<Cmd>
) =>
  Effect.gen(function*() {
    const leaks = yield* makeLeaks
    const world = new World(leaks)
    const model = new Model(strategy, config.maxRestarts, config.windowMillis, config.autoShutdown)
    model.now = yield* TestClock.currentTimeMillis
    const supervisor = yield* leaks.supervise(
      Supervisor.start({
        strategy,
        restartPolicy: Restart.intensity(config.maxRestarts, config.windowMillis),
        autoShutdown: config.autoShutdown,
        children: config.children.map((child, i) =>
          world.spec(
            idOf(i),
            child.restart,
            child.shutdown,
            significantIn(config.autoShutdown, child.restart, child.significant)
          )
        )
      }).pipe(Scope.extend(scope))
    )
    leaks.track(supervisor.process)
    model.boot(config.children)
    let pendingMillis = 0
    const log: Array<string> = []
    const where = () => `after [${log.join(", ")}]`

    /** The process of a model incarnation: the same pid every time, a new pid for a new incarnation. */
    const bind = (inc: number, process: Process.ProcessRef, what: string) => world.bind(inc, process, what, where())

    const compare = Effect.gen(function*() {
      const observed = yield* observe(supervisor, where())
      if (!model.alive) {
        assert.isUndefined(observed, `${where()}: the supervisor should have ${model.ended}`)
        const reason = yield* awaitEnd(supervisor.process, where())
        assert.strictEqual(reason._tag, "Shutdown", `${where()}: the supervisor's exit reason`)
        assert.isTrue(
          reason._tag === "Shutdown" && Option.isNone(reason.reason),
          `${where()}: a plain shutdown, got ${JSON.stringify(reason)}`
        )
        assert.deepStrictEqual(
          yield* Effect.flip(Supervisor.whichChildren(supervisor)),
          new SupervisorError.SupervisorStopped(),
          where()
        )
      } else {
        assert.isDefined(observed, `${where()}: the supervisor stopped, the model did not`)
        if (observed === undefined) return
        const expected = model.children.slice().reverse()
        assert.deepStrictEqual(
          observed.infos.map((info, i) => [info.id, info.status, expected[i]?.failedRestart ? "-" : info.restarts]),
          expected.map((child) => [child.id, child.status, child.failedRestart ? "-" : child.restarts]),
          `${where()}: whichChildren [id, status, restarts], newest first`
        )
        for (const [i, info] of observed.infos.entries()) {
          const child = expected[i]
          if (child.status === "running") {
            assert.isTrue(Option.isSome(info.process), `${where()}: ${child.id} has a process`)
            if (Option.isNone(info.process)) continue
            leaks.track(info.process.value)
            bind(child.inc, info.process.value, child.id)
            assert.isTrue(Option.isNone(info.process.value.poll), `${where()}: ${child.id}'s process runs`)
          } else {
            assert.isTrue(Option.isNone(info.process), `${where()}: ${child.id} has no process`)
          }
        }
        const running = model.running().length
        assert.deepStrictEqual(observed.counts, {
          specs: model.children.length,
          active: running,
          supervisors: 0,
          workers: model.children.length
        }, `${where()}: countChildren`)
        // names: exactly the running children hold their id, and point at the running incarnation
        const names = (yield* Registry.names).slice().sort()
        assert.deepStrictEqual(
          names,
          model.running().map((child) => child.id).sort(),
          `${where()}: Registry.names are the running children's ids`
        )
        for (const child of model.running()) {
          const holder = yield* Registry.whereis(child.id)
          assert.strictEqual(
            Option.getOrUndefined(Option.map(holder, (process) => process.pid)),
            world.incarnations.get(child.inc)?.pid,
            `${where()}: whereis(${child.id})`
          )
        }
      }
      // every incarnation the model has ended has ended
      const current = new Set(model.running().map((child) => child.inc))
      for (const [inc, process] of world.incarnations) {
        const alive = Option.isNone(process.poll)
        if (current.has(inc)) continue
        if (alive) {
          // it may be ending right now (brutal kill, cascade): let it finish, boundedly
          yield* awaitEnd(process, `${where()}: incarnation ${inc} (pid ${process.pid}) should have ended`)
        }
      }
    })

    const checkOutcome = (
      what: string,
      expected: Outcome,
      actual: Exit.Exit<unknown, unknown>
    ) =>
      Effect.sync(() => {
        const label = `${where()}: ${what} should give ${describeOutcome(expected)}`
        stats[`-> ${expected._tag}`] = (stats[`-> ${expected._tag}`] ?? 0) + 1
        if (expected._tag === "Ok") {
          if (actual._tag === "Failure") {
            assert.fail(`${label}, got ${Cause.pretty(actual.cause)}`)
          }
          return
        }
        if (actual._tag === "Success") return assert.fail(`${label}, got a success`)
        const error = Option.getOrUndefined(Cause.failureOption(actual.cause)) as
          | { readonly _tag: string; readonly id?: string; readonly process?: Process.ProcessRef; cause?: unknown }
          | undefined
        if (error === undefined) return assert.fail(`${label}, got ${Cause.pretty(actual.cause)}`)
        assert.strictEqual(error._tag, expected._tag, label)
        if ("id" in expected) assert.strictEqual(error.id, expected.id, label)
        if (expected._tag === "AlreadyStarted") {
          // the running incarnation (maybe not seen yet: just restarted)
          assert.isDefined(error.process, `${label}: its process`)
          leaks.track(error.process!)
          bind(expected.inc, error.process!, `${label}: its process`)
        }
        if (expected._tag === "StartFailed") {
          const cause = error.cause as Cause.Cause<unknown>
          assert.deepStrictEqual(Option.getOrUndefined(Cause.failureOption(cause)), new StartError(expected.id), label)
        }
      })

    /** One API call, on the model and on the supervisor; `crashed` is the id `-1` stands for. */
    const api = (call: Api, crashed: string | undefined) =>
      Effect.gen(function*() {
        const id = call.id === -1 ? crashed! : idOf(call.id)
        switch (call._tag) {
          case "StartChild": {
            const expected = model.startChild(id, call.restart, call.significant)
            const significant = significantIn(config.autoShutdown, call.restart, call.significant)
            const actual = yield* Effect.exit(
              Supervisor.startChild(supervisor, world.spec(id, call.restart, call.shutdown, significant))
            )
            yield* checkOutcome(`startChild(${id})`, expected, actual)
            if (expected._tag === "Ok" && actual._tag === "Success") {
              leaks.track(actual.value)
              bind(expected.inc!, actual.value, `startChild(${id})'s result`)
            }
            return
          }
          case "TerminateChild": {
            const expected = model.terminateChild(id)
            const actual = yield* Effect.exit(Supervisor.terminateChild(supervisor, id))
            return yield* checkOutcome(`terminateChild(${id})`, expected, actual)
          }
          case "RestartChild": {
            const expected = model.restartChild(id)
            const actual = yield* Effect.exit(Supervisor.restartChild(supervisor, id))
            yield* checkOutcome(`restartChild(${id})`, expected, actual)
            if (expected._tag === "Ok" && actual._tag === "Success" && Process.isProcessRef(actual.value)) {
              leaks.track(actual.value)
              bind(expected.inc!, actual.value, `restartChild(${id})'s result`)
            }
            return
          }
          case "DeleteChild": {
            const expected = model.deleteChild(id)
            const actual = yield* Effect.exit(Supervisor.deleteChild(supervisor, id))
            return yield* checkOutcome(`deleteChild(${id})`, expected, actual)
          }
        }
      })

    yield* compare
    stats.sequences++
    let deadSteps = 0
    for (const cmd of cmds) {
      // a stopped supervisor answers every call the same way: two more steps are enough
      if (!model.alive && deadSteps++ === 2) break
      if (!model.alive) stats.deadSteps++
      stats.steps++
      stats[cmd._tag] = (stats[cmd._tag] ?? 0) + 1
      log.push(JSON.stringify(cmd))
      switch (cmd._tag) {
        case "Advance": {
          model.now += cmd.millis
          pendingMillis += cmd.millis
          break
        }
        case "Crash": {
          const running = model.running()
          if (running.length === 0) break
          const child = running[cmd.target % running.length]
          const process = world.incarnations.get(child.inc)!
          if (cmd.failingRestarts > 0) {
            model.failures.set(child.id, cmd.failingRestarts)
            world.failures.set(child.id, cmd.failingRestarts)
          }
          if (pendingMillis > 0) {
            stats.adjusts++
            yield* TestClock.adjust(pendingMillis)
            pendingMillis = 0
          }
          if (cmd.reason === "kill") {
            yield* Process.kill(process)
          } else {
            const control = world.controls.get(process.pid)
            assert.isDefined(control, `${where()}: ${child.id} (pid ${process.pid}) is not waiting for a command`)
            Deferred.unsafeDone(control!, Exit.succeed(cmd.reason))
          }
          const reason = yield* awaitEnd(process, where())
          const tag: ExitReason.ExitReason["_tag"] = cmd.reason === "normal"
            ? "Normal"
            : cmd.reason === "shutdown"
            ? "Shutdown"
            : cmd.reason === "kill" || cmd.reason === "interrupt"
            ? "Killed"
            : "Abnormal"
          assert.strictEqual(reason._tag, tag, `${where()}: exit reason of ${child.id}`)
          if (cmd.then._tag === "Nothing") {
            model.crash(child, cmd.reason)
            break
          }
          // the call is queued behind the exit: handled after the first restart attempt
          model.crash(child, cmd.reason, false)
          if (cmd.then._tag === "Observe") {
            const infos = yield* Effect.either(Supervisor.whichChildren(supervisor))
            if (!model.alive) {
              assert.isTrue(infos._tag === "Left", `${where()}: whichChildren right after the crash: stopped`)
            } else {
              assert.deepStrictEqual(
                infos._tag === "Right" ? infos.right.map((info) => [info.id, info.status]) : infos.left,
                model.children.slice().reverse().map((child) => [child.id, child.status]),
                `${where()}: whichChildren right after the crash (before the failed restarts are tried again)`
              )
            }
          } else {
            yield* api(cmd.then, child.id)
          }
          model.drain()
          break
        }
        case "StartChild":
        case "TerminateChild":
        case "RestartChild":
        case "DeleteChild": {
          yield* api(cmd, undefined)
          break
        }
        case "FailNextStarts": {
          // mostly a child that is there (the pool's ids otherwise)
          const present = model.children
          const id = cmd.id < present.length * 2 && present.length > 0
            ? present[cmd.id % present.length].id
            : idOf(cmd.id % 6)
          model.failures.set(id, cmd.count)
          world.failures.set(id, cmd.count)
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
    stats[`ended: ${model.ended}`] = (stats[`ended: ${model.ended}`] ?? 0) + 1
    stats.failedRestarts += model.failedRestarts
    // the end: close the scope, then nothing the supervisor started runs, no name is left
    yield* Scope.close(scope, Exit.void)
    const reason = yield* awaitEnd(supervisor.process, where())
    assert.strictEqual(reason._tag, "Shutdown", `${where()}: the supervisor's exit reason at the end`)
    yield* leaks.check
    yield* leaks.checkNames
    // no timer left behind (a sleeper would cost every later clock step)
    assert.strictEqual((yield* TestClock.sleeps()).length, 0, `${where()}: sleepers left on the TestClock`)
  })

/** What the sequences did (printed with EFFECT_OTP_MODEL_STATS=1). */
const stats: Record<string, number> = { sequences: 0, steps: 0, adjusts: 0, deadSteps: 0, failedRestarts: 0 }

const cmdsArb = sequenceOf(cmdArb)

const runProperty = (strategy: Supervisor.Strategy, seed: number) =>
  Effect.gen(function*() {
    // one runtime (and one TestClock, shared by the sequences: the model reads the time
    // relative to the start of each sequence, and a sequence leaves no sleeper behind)
    for (const key of Object.keys(stats)) stats[key] = 0
    const t0 = Date.now()
    yield* checkSequences(configArb, cmdsArb, seed, (config, cmds) => runSequence(strategy, config, cmds))
    if (STATS) {
      // eslint-disable-next-line no-console
      console.log(`${strategy}: ${Date.now() - t0} ms`, JSON.stringify(stats))
    }
  })

describe("Supervisor model", () => {
  const strategies = ["one_for_one", "one_for_all", "rest_for_one"] as const
  for (const [i, strategy] of strategies.entries()) {
    it.effect(
      `${strategy}: ${RUNS} random command sequences agree with the reference model`,
      () => runProperty(strategy, SEED + i),
      600_000
    )
  }

  // the model itself, on OTP's worked examples (SEMANTICS §1.6, §1.7)
  it("the model: intensity 2 gives up on the third restart in the window; a restart exactly T later still counts", () => {
    const model = new Model("one_for_one", 2, 5000)
    model.boot([{ restart: "permanent", shutdown: "infinity", significant: false }])
    model.crash(model.children[0], "kill")
    model.now = 5000
    model.crash(model.children[0], "kill")
    assert.isTrue(model.alive)
    model.crash(model.children[0], "kill")
    assert.isFalse(model.alive)
    assert.strictEqual(model.ended, "gave up")
  })

  it("the model: one_for_all retries a failed restart from the start, rest_for_one from the child that failed", () => {
    const all = new Model("one_for_all", 10, 5000)
    all.boot([{ restart: "permanent", shutdown: "infinity", significant: false }, {
      restart: "permanent",
      shutdown: "infinity",
      significant: false
    }, {
      restart: "temporary",
      shutdown: "infinity",
      significant: false
    }])
    all.failures.set("c1", 1)
    all.crash(all.children[0], "fail")
    // c0 started, c1 failed, the attempt again stops c0 and starts c0, c1; c2 (temporary) was removed
    assert.deepStrictEqual(all.children.map((child) => [child.id, child.status, child.inc, child.restarts]), [
      ["c0", "running", 5, 2],
      ["c1", "running", 6, 1]
    ])
    assert.strictEqual(all.stamps.length, 2)
    const rest = new Model("rest_for_one", 10, 5000)
    rest.boot([{ restart: "permanent", shutdown: "infinity", significant: false }, {
      restart: "permanent",
      shutdown: "infinity",
      significant: false
    }, {
      restart: "permanent",
      shutdown: "infinity",
      significant: false
    }])
    rest.failures.set("c1", 1)
    rest.crash(rest.children[0], "fail")
    // c0 restarted once, c1 failed then started, c2 started once after it
    assert.deepStrictEqual(rest.children.map((child) => [child.id, child.status, child.inc, child.restarts]), [
      ["c0", "running", 4, 1],
      ["c1", "running", 5, 1],
      ["c2", "running", 6, 1]
    ])
  })
})
