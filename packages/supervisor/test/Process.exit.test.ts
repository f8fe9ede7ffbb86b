/**
 * Ending another process: `Process.exit` with a reason of the caller's choice (OTP's
 * `exit/2`, issue 14 §2), and `Process.stop`, which changes nothing until it runs.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Chunk, Data, Effect, Fiber, Option, Request, Stream, TestClock } from "effect"
import { ExitReason, GenServer, Process, Supervisor, SupervisorEvent } from "../src/index.js"
import * as internal from "../src/internal/process.js"
import { exitOf, makeHarness, pids, settle, startInScope } from "./utils/harness.js"

class Evicted extends Data.TaggedError("Evicted")<{ readonly why: string }> {}

const evicted = ExitReason.abnormal(Cause.fail(new Evicted({ why: "quota" })))

/** A process outside any supervisor, running until it is ended. */
const idle = Effect.flatMap(
  Process.run(Process.fromEffect(Effect.never)),
  (started) => started._tag === "Started" ? Effect.succeed(started.process) : Effect.dieMessage("ignored")
)

const exitedSummary = (event: SupervisorEvent.SupervisorEvent): string =>
  SupervisorEvent.$match(event, {
    ChildStarted: ({ childId }) => `started ${childId}`,
    ChildExited: ({ childId, reason }) => `exited ${childId} ${reason._tag}`,
    ChildRestarted: ({ attempt, childId }) => `restarted ${childId} #${attempt}`,
    BackoffScheduled: ({ childId }) => `backoff ${childId}`,
    RestartPolicyExhausted: ({ childId }) => `exhausted ${childId}`,
    ShutdownDeadlineMissed: ({ childId }) => `deadline missed ${childId}`,
    SupervisorStopped: ({ reason }) => `stopped ${reason._tag}`
  })

describe("Process.stop", () => {
  it.effect("building the effect without running it leaves the process's later exit reason unchanged", () =>
    Effect.gen(function*() {
      const killed = yield* idle
      const unused = Process.stop(killed, "maintenance")
      assert.isTrue(Option.isNone(killed.poll))
      deepStrictEqual(yield* Process.kill(killed), ExitReason.killed)
      deepStrictEqual(yield* killed.await, ExitReason.killed)

      const stopped = yield* idle
      Process.stop(stopped, "maintenance")
      // a plain stop that runs: Shutdown without the reason of the stop that never ran
      deepStrictEqual(yield* Process.stop(stopped), ExitReason.shutdown)
      deepStrictEqual(yield* stopped.await, ExitReason.shutdown)
      // the unused effect, run now on the ended process, still changes nothing
      deepStrictEqual(yield* unused, ExitReason.killed)
    }))

  it.effect("a stop that runs after the process ended keeps its exit reason", () =>
    Effect.gen(function*() {
      const process = yield* idle
      const impl = process as internal.ProcessImpl
      // ended by an orderly interruption that no one has classified yet
      yield* Fiber.interruptAs(impl.fiber!, internal.shutdownFiberId)
      deepStrictEqual(yield* Process.stop(process, "late"), ExitReason.shutdown)
      deepStrictEqual(process.poll, Option.some(ExitReason.shutdown))
    }))

  it.effect("the first reason given wins", () =>
    Effect.gen(function*() {
      // a process that takes 1 second (TestClock) to yield to interruption
      const started = yield* Process.run(
        Process.fromEffect(Effect.zipRight(Effect.uninterruptible(Effect.sleep("1 second")), Effect.never))
      )
      if (started._tag !== "Started") return assert.fail("ignored")
      const process = started.process
      const first = yield* Effect.fork(Process.stop(process, "first"))
      const second = yield* Effect.fork(Process.stop(process, "second"))
      yield* settle
      assert.isTrue(Option.isNone(process.poll))
      yield* TestClock.adjust("1 second")
      deepStrictEqual(yield* Fiber.join(first), ExitReason.shutdownWith("first"))
      deepStrictEqual(yield* Fiber.join(second), ExitReason.shutdownWith("first"))
    }))
})

describe("Process.exit", () => {
  it.effect("an abnormal reason: the process ends with exactly that reason", () =>
    Effect.gen(function*() {
      const process = yield* idle
      const reason = yield* Process.exit(process, evicted)
      assert.strictEqual(reason, evicted)
      assert.strictEqual(yield* process.await, evicted)
      assert.isTrue(ExitReason.isAbnormal(reason))
    }))

  it.effect("data-last, and each kind of reason: normal, shutdown with a reason, killed", () =>
    Effect.gen(function*() {
      deepStrictEqual(yield* Effect.flatMap(idle, Process.exit(ExitReason.normal)), ExitReason.normal)
      deepStrictEqual(
        yield* Effect.flatMap(idle, Process.exit(ExitReason.shutdownWith("drain"))),
        ExitReason.shutdownWith("drain")
      )
      deepStrictEqual(yield* Effect.flatMap(idle, Process.exit(ExitReason.shutdown)), ExitReason.shutdown)
      deepStrictEqual(yield* Effect.flatMap(idle, Process.exit(ExitReason.killed)), ExitReason.killed)
    }))

  it.effect("building the effect without running it changes nothing; an ended process keeps its reason", () =>
    Effect.gen(function*() {
      const process = yield* idle
      const unused = Process.exit(process, evicted)
      deepStrictEqual(yield* Process.stop(process), ExitReason.shutdown)
      deepStrictEqual(yield* unused, ExitReason.shutdown)
      deepStrictEqual(yield* process.await, ExitReason.shutdown)
    }))

  it.effect("the first signal wins; a kill that comes later still wins over it (killed is the strongest)", () =>
    Effect.gen(function*() {
      const slow = Process.fromEffect(Effect.zipRight(Effect.uninterruptible(Effect.sleep("1 second")), Effect.never))
      const run = Effect.flatMap(
        Process.run(slow),
        (started) => started._tag === "Started" ? Effect.succeed(started.process) : Effect.dieMessage("ignored")
      )

      const a = yield* run
      const first = yield* Effect.fork(Process.exit(a, evicted))
      const second = yield* Effect.fork(Process.exit(a, ExitReason.normal))
      const stop = yield* Effect.fork(Process.stop(a, "late"))
      yield* settle
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* Fiber.join(first), evicted)
      assert.strictEqual(yield* Fiber.join(second), evicted)
      assert.strictEqual(yield* Fiber.join(stop), evicted)

      const b = yield* run
      const exit = yield* Effect.fork(Process.exit(b, evicted))
      const kill = yield* Effect.fork(Process.kill(b))
      yield* settle
      yield* TestClock.adjust("1 second")
      deepStrictEqual(yield* Fiber.join(exit), ExitReason.killed)
      deepStrictEqual(yield* Fiber.join(kill), ExitReason.killed)
    }))

  it.effect("a supervisor sees the reason: an abnormal one restarts permanent and transient children", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        name: "sup",
        children: [
          h.child("p"),
          h.child("t", { restart: "transient" }),
          h.child("x", { restart: "temporary" })
        ]
      })
      const before = yield* pids(supervisor)
      const events = yield* Effect.fork(Stream.runCollect(Stream.take(Supervisor.events(supervisor), 5)))
      yield* settle
      const reasons: Array<ExitReason.ExitReason> = []
      for (const id of ["p", "t", "x"]) {
        const process = yield* h.processOf(id)
        reasons.push(yield* Process.exit(process, evicted))
        yield* settle
      }
      assert.deepStrictEqual(reasons, [evicted, evicted, evicted])
      const seen = Chunk.toReadonlyArray(yield* Fiber.join(events))
      assert.deepStrictEqual(seen.map(exitedSummary), [
        "exited p Abnormal",
        "restarted p #1",
        "exited t Abnormal",
        "restarted t #1",
        "exited x Abnormal"
      ])
      for (const event of seen) {
        if (event._tag === "ChildExited") assert.strictEqual(event.reason, evicted)
      }
      const after = yield* pids(supervisor)
      assert.notStrictEqual(after.p, before.p)
      assert.notStrictEqual(after.t, before.t)
      assert.deepStrictEqual(Object.keys(after).sort(), ["p", "t"])
      assert.deepStrictEqual(yield* h.log, [
        "start p",
        "start t",
        "start x",
        "stop p",
        "start p",
        "stop t",
        "start t",
        "stop x"
      ])
      yield* close
    }))

  it.effect("normal and shutdown reasons do not restart a transient child; a permanent one is restarted", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [
          h.child("p"),
          h.child("n", { restart: "transient" }),
          h.child("s", { restart: "transient" })
        ]
      })
      const p = yield* h.processOf("p")
      deepStrictEqual(yield* Process.exit(p, ExitReason.normal), ExitReason.normal)
      yield* settle
      const n = yield* h.processOf("n")
      deepStrictEqual(yield* Process.exit(n, ExitReason.normal), ExitReason.normal)
      yield* settle
      const s = yield* h.processOf("s")
      deepStrictEqual(yield* Process.exit(s, ExitReason.shutdownWith("drain")), ExitReason.shutdownWith("drain"))
      yield* settle
      assert.deepStrictEqual(yield* h.takeLog, [
        "start p",
        "start n",
        "start s",
        "stop p",
        "start p",
        "stop n",
        "stop s"
      ])
      const statuses = (yield* Supervisor.whichChildren(supervisor)).map((child) => [child.id, child.status])
      assert.deepStrictEqual(statuses.reverse(), [["p", "running"], ["n", "stopped"], ["s", "stopped"]])
      yield* close
    }))

  it.scoped("a GenServer's terminate gets the reason", () =>
    Effect.gen(function*() {
      class Ping extends Request.TaggedClass("Ping")<"pong", never, {}> {}
      const seen: Array<ExitReason.ExitReason> = []
      const Server = GenServer.make({
        requests: [Ping],
        init: () => Effect.succeed(undefined),
        handlers: { Ping: (_, state) => Effect.succeed(["pong", state]) },
        terminate: (reason) => Effect.sync(() => seen.push(reason))
      })
      const server = yield* GenServer.start(Server, undefined)
      assert.strictEqual(yield* Process.exit(server, evicted), evicted)
      assert.strictEqual(yield* exitOf(server), evicted)
      assert.deepStrictEqual(seen, [evicted])
    }))
})
