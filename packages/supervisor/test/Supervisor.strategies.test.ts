/**
 * Restart strategies (SEMANTICS §1.6): one_for_one, one_for_all, rest_for_one, and a
 * cascade whose restart of a later child fails.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Effect, Fiber, Option, TestClock } from "effect"
import { ExitReason, Restart, Supervisor } from "../src/index.js"
import { children, exitOf, Fail, makeHarness, Normal, pids, settle, startInScope } from "./utils/harness.js"

describe("one_for_one", () => {
  it.effect("restarts only the child that crashed, with a new pid; siblings keep theirs", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_one",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      const before = yield* pids(supervisor)
      yield* h.takeLog
      deepStrictEqual(yield* h.kill("b"), ExitReason.killed)
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "start b"])
      const after = yield* pids(supervisor)
      assert.strictEqual(after.a, before.a)
      assert.strictEqual(after.c, before.c)
      assert.notStrictEqual(after.b, before.b)
      assert.strictEqual(after.b, (yield* h.processOf("b")).pid)
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(infos.map((info) => [info.id, info.restarts]), [["c", 0], ["b", 1], ["a", 0]])
      yield* h.send("c", Fail())
      assert.deepStrictEqual(yield* h.takeLog, ["stop c", "start c"])
      yield* close
      assert.deepStrictEqual(yield* h.log, ["stop c", "stop b", "stop a"])
    }))
})

describe("one_for_all", () => {
  it.effect("stops the others in reverse order, then starts all in order", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      const before = yield* pids(supervisor)
      const oldA = yield* h.processOf("a")
      yield* h.takeLog
      yield* h.kill("b")
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "stop c", "stop a", "start a", "start b", "start c"])
      const after = yield* pids(supervisor)
      for (const id of ["a", "b", "c"]) {
        assert.isDefined(after[id])
        assert.notStrictEqual(after[id], before[id])
      }
      // a sibling stopped by a cascade exits with shutdown
      deepStrictEqual(yield* oldA.await, ExitReason.shutdown)
      yield* close
    }))

  it.effect("a crash of the first child restarts every child", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      yield* h.takeLog
      yield* h.send("a", Fail())
      assert.deepStrictEqual(yield* h.takeLog, ["stop a", "stop c", "stop b", "start a", "start b", "start c"])
      yield* close
    }))

  it.effect("starts again a non-temporary sibling that had been stopped with terminateChild", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      yield* Supervisor.terminateChild(supervisor, "c")
      yield* h.takeLog
      yield* h.kill("a")
      assert.deepStrictEqual(yield* h.takeLog, ["stop a", "stop b", "start a", "start b", "start c"])
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [
        ["a", "running"],
        ["b", "running"],
        ["c", "running"]
      ])
      yield* close
    }))

  it.effect("removes a temporary bystander instead of restarting it", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("t", { restart: "temporary" }), h.child("c")]
      })
      const t = yield* h.processOf("t")
      yield* h.takeLog
      yield* h.kill("c")
      assert.deepStrictEqual(yield* h.takeLog, ["stop c", "stop t", "stop a", "start a", "start c"])
      assert.deepStrictEqual((yield* children(supervisor)).map(([id]) => id), ["a", "c"])
      deepStrictEqual(yield* t.await, ExitReason.shutdown)
      assert.strictEqual((yield* Supervisor.countChildren(supervisor)).specs, 2)
      yield* close
    }))

  it.effect("does not cascade when the exited child is not restarted (transient normal exit, temporary crash)", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("tr", { restart: "transient" }), h.child("te", { restart: "temporary" })]
      })
      const before = yield* pids(supervisor)
      yield* h.takeLog
      yield* h.send("tr", Normal)
      yield* h.send("te", Fail())
      assert.deepStrictEqual(yield* h.takeLog, ["stop tr", "stop te"])
      assert.deepStrictEqual(yield* children(supervisor), [["a", "running", before.a], ["tr", "stopped", undefined]])
      yield* close
    }))

  it.effect("when a later child fails to restart, it is marked restarting, later ones stay stopped, and the retry restarts every child again", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const starting = yield* Effect.fork(startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("b", { initDelay: "1 second" }), h.child("c")]
      }))
      yield* TestClock.adjust("1 second")
      const { close, supervisor } = yield* Fiber.join(starting)
      yield* h.takeLog
      yield* h.failNextStarts("b", 1)
      yield* h.kill("a")
      // the loop is now starting b (1 s); a query waits behind it
      assert.deepStrictEqual(yield* h.log, ["stop a", "stop c", "stop b", "start a"])
      const firstRestartOfA = yield* h.processOf("a")
      const asking = yield* Effect.fork(children(supervisor))
      yield* TestClock.adjust("1 second")
      const during = yield* Fiber.join(asking)
      assert.deepStrictEqual(during, [["a", "running", firstRestartOfA.pid], ["b", "restarting", undefined], [
        "c",
        "stopped",
        undefined
      ]])
      // the retry stops the re-started a again (OTP one_for_all_other_child_fails_restart)
      yield* TestClock.adjust("1 second")
      yield* settle
      assert.deepStrictEqual(yield* h.takeLog, [
        "stop a",
        "stop c",
        "stop b",
        "start a",
        "fail b",
        "stop a",
        "start a",
        "start b",
        "start c"
      ])
      deepStrictEqual(yield* firstRestartOfA.await, ExitReason.shutdown)
      const after = yield* children(supervisor)
      assert.deepStrictEqual(after.map(([id, status]) => [id, status]), [["a", "running"], ["b", "running"], [
        "c",
        "running"
      ]])
      assert.notStrictEqual(after[0][2], firstRestartOfA.pid)
      yield* close
    }))
})

describe("rest_for_one", () => {
  it.effect("order_of_children: killing child 3 of 5 stops 5 then 4 and restarts 3, 4, 5; 1 and 2 keep their pids", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const ids = ["c1", "c2", "c3", "c4", "c5"]
      const { close, supervisor } = yield* startInScope({
        strategy: "rest_for_one",
        children: ids.map((id) => h.child(id))
      })
      const before = yield* pids(supervisor)
      yield* h.takeLog
      yield* h.kill("c3")
      assert.deepStrictEqual(yield* h.takeLog, ["stop c3", "stop c5", "stop c4", "start c3", "start c4", "start c5"])
      const after = yield* pids(supervisor)
      assert.strictEqual(after.c1, before.c1)
      assert.strictEqual(after.c2, before.c2)
      for (const id of ["c3", "c4", "c5"]) assert.notStrictEqual(after[id], before[id])
      yield* close
      assert.deepStrictEqual(yield* h.log, ["stop c5", "stop c4", "stop c3", "stop c2", "stop c1"])
    }))

  it.effect("a crash of the last child restarts only it; of the first, all", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close } = yield* startInScope({
        strategy: "rest_for_one",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      yield* h.takeLog
      yield* h.kill("c")
      assert.deepStrictEqual(yield* h.takeLog, ["stop c", "start c"])
      yield* h.kill("a")
      assert.deepStrictEqual(yield* h.takeLog, ["stop a", "stop c", "stop b", "start a", "start b", "start c"])
      yield* close
    }))

  it.effect("in the rest: temporary children are removed, stopped non-temporary ones started again; before: untouched", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "rest_for_one",
        children: [
          h.child("a"),
          h.child("stoppedBefore"),
          h.child("b"),
          h.child("t", { restart: "temporary" }),
          h.child("stoppedAfter")
        ]
      })
      yield* Supervisor.terminateChild(supervisor, "stoppedBefore")
      yield* Supervisor.terminateChild(supervisor, "stoppedAfter")
      yield* h.takeLog
      yield* h.kill("b")
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "stop t", "start b", "start stoppedAfter"])
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [
        ["a", "running"],
        ["stoppedBefore", "stopped"],
        ["b", "running"],
        ["stoppedAfter", "running"]
      ])
      yield* close
    }))

  it.effect("when a later child fails to restart, the retry restarts from that child only", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const starting = yield* Effect.fork(startInScope({
        strategy: "rest_for_one",
        children: [h.child("a"), h.child("b"), h.child("c", { initDelay: "1 second" }), h.child("d")]
      }))
      yield* TestClock.adjust("1 second")
      const { close, supervisor } = yield* Fiber.join(starting)
      const a = yield* h.processOf("a")
      yield* h.takeLog
      yield* h.failNextStarts("c", 1)
      yield* h.kill("b")
      const restartedB = yield* h.processOf("b")
      const asking = yield* Effect.fork(children(supervisor))
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Fiber.join(asking), [
        ["a", "running", a.pid],
        ["b", "running", restartedB.pid],
        ["c", "restarting", undefined],
        ["d", "stopped", undefined]
      ])
      yield* TestClock.adjust("1 second")
      yield* settle
      assert.deepStrictEqual(yield* h.takeLog, [
        "stop b",
        "stop d",
        "stop c",
        "start b",
        "fail c",
        "start c",
        "start d"
      ])
      const after = yield* pids(supervisor)
      assert.strictEqual(after.a, a.pid)
      assert.strictEqual(after.b, restartedB.pid)
      assert.isTrue(Option.isNone(restartedB.poll))
      yield* close
    }))
})

describe("cascades and the restart policy", () => {
  for (const strategy of ["one_for_all", "rest_for_one"] as const) {
    it.effect(`${strategy}: one cascade counts as one restart`, () =>
      Effect.gen(function*() {
        const h = yield* makeHarness
        const { close, supervisor } = yield* startInScope({
          strategy,
          restartPolicy: Restart.intensity(2, "1 minute"),
          children: [h.child("a"), h.child("b"), h.child("c")]
        })
        yield* h.kill("a")
        yield* h.kill("a")
        // two cascades restarted six children: still within 2 restarts
        assert.deepStrictEqual((yield* Supervisor.countChildren(supervisor)).active, 3)
        assert.isTrue(Option.isNone(supervisor.process.poll))
        yield* h.takeLog
        yield* h.kill("b")
        deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
        assert.deepStrictEqual(yield* h.takeLog, ["stop b", "stop c", "stop a"])
        yield* close
      }))
  }
})
