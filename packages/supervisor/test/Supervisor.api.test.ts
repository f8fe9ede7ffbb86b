/**
 * The runtime API of a static supervisor (SEMANTICS §1.10), with typed errors.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Duration, Effect, Fiber, Option, TestClock } from "effect"
import { ChildSpec, ExitReason, Process, Restart, Supervisor, SupervisorError } from "../src/index.js"
import {
  children,
  exitOf,
  forkClose,
  isDone,
  makeHarness,
  Normal,
  pids,
  processOfChild,
  StartError,
  startInScope
} from "./utils/harness.js"

describe("startChild", () => {
  it.effect("appends the child: newest first in whichChildren, first to stop", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("b")] })
      const process = yield* Supervisor.startChild(supervisor, h.child("c"))
      assert.strictEqual(process.pid, (yield* h.processOf("c")).pid)
      assert.deepStrictEqual((yield* Supervisor.whichChildren(supervisor)).map((info) => info.id), ["c", "b", "a"])
      yield* close
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
    }))

  it.effect("an appended child takes part in rest_for_one cascades as the last child", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "rest_for_one",
        children: [h.child("a"), h.child("b")]
      })
      yield* Supervisor.startChild(supervisor, h.child("c"))
      yield* h.takeLog
      yield* h.kill("b")
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "stop c", "start b", "start c"])
      yield* close
    }))

  it.effect("fails with AlreadyStarted (and the running process) when the id runs", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      const error = yield* Supervisor.startChild(supervisor, h.child("a")).pipe(Effect.flip)
      assert.strictEqual(error._tag, "AlreadyStarted")
      if (error._tag !== "AlreadyStarted") return
      assert.strictEqual(error.id, "a")
      assert.strictEqual(error.process.pid, (yield* h.processOf("a")).pid)
      assert.strictEqual(yield* h.startAttempts("a"), 1)
      yield* close
    }))

  it.effect("fails with AlreadyPresent when the id is stopped or restarting", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("w", { backoff: Restart.backoff({ base: "1 minute" }) })]
      })
      yield* Supervisor.terminateChild(supervisor, "a")
      assert.deepStrictEqual(
        yield* Supervisor.startChild(supervisor, h.child("a")).pipe(Effect.flip),
        new SupervisorError.AlreadyPresent({ id: "a" })
      )
      yield* h.kill("w")
      assert.deepStrictEqual((yield* children(supervisor))[1][1], "restarting")
      assert.deepStrictEqual(
        yield* Supervisor.startChild(supervisor, h.child("w")).pipe(Effect.flip),
        new SupervisorError.AlreadyPresent({ id: "w" })
      )
      yield* close
    }))

  it.effect("fails with StartFailed (id and cause) when the start fails, and does not keep the spec", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* h.failNextStarts("b", 1)
      const error = yield* Supervisor.startChild(supervisor, h.child("b")).pipe(Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag !== "StartFailed") return
      assert.strictEqual(error.id, "b")
      deepStrictEqual(Cause.failureOption(error.cause), Option.some(new StartError({ id: "b" })))
      assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor), {
        specs: 1,
        active: 1,
        supervisors: 0,
        workers: 1
      })
      // the id is free again
      yield* Supervisor.startChild(supervisor, h.child("b"))
      assert.deepStrictEqual((yield* Supervisor.whichChildren(supervisor)).map((info) => info.id), ["b", "a"])
      yield* close
    }))

  it.effect("fails with InvalidChildSpec for an invalid spec, naming the field", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      const error = yield* Supervisor.startChild(
        supervisor,
        ChildSpec.make({ id: "bad", start: Effect.never, restart: "often" as ChildSpec.RestartType })
      ).pipe(Effect.flip)
      assert.strictEqual(error._tag, "InvalidChildSpec")
      assert.include(error.message, "restart")
      const negative = yield* Supervisor.startChild(
        supervisor,
        ChildSpec.make({ id: "neg", start: Effect.never, shutdown: -1 })
      ).pipe(Effect.flip)
      assert.strictEqual(negative._tag, "InvalidChildSpec")
      assert.include(negative.message, "shutdown")
      assert.strictEqual((yield* Supervisor.countChildren(supervisor)).specs, 1)
      yield* close
    }))

  it.effect("a temporary child that ended can be started again (its spec was not kept)", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [] as Array<ChildSpec.ChildSpec<unknown, unknown>>
      })
      yield* Supervisor.startChild(supervisor, h.child("t", { restart: "temporary" }))
      yield* h.send("t", Normal)
      yield* Supervisor.startChild(supervisor, h.child("t", { restart: "temporary" }))
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [["t", "running"]])
      yield* close
    }))

  it.effect("fails with SupervisorStopped once the supervisor has stopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* close
      assert.deepStrictEqual(
        yield* Supervisor.startChild(supervisor, h.child("b")).pipe(Effect.flip),
        new SupervisorError.SupervisorStopped()
      )
      assert.strictEqual(yield* h.startAttempts("b"), 0)
    }))
})

describe("terminateChild", () => {
  it.effect("stops only that child (no cascade), keeps its spec, and is idempotent", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "rest_for_one",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      const before = yield* pids(supervisor)
      const b = yield* h.processOf("b")
      yield* h.takeLog
      yield* Supervisor.terminateChild(supervisor, "b")
      assert.deepStrictEqual(yield* h.takeLog, ["stop b"])
      deepStrictEqual(yield* b.await, ExitReason.shutdown)
      assert.deepStrictEqual(yield* children(supervisor), [["a", "running", before.a], ["b", "stopped", undefined], [
        "c",
        "running",
        before.c
      ]])
      yield* Supervisor.terminateChild(supervisor, "b")
      assert.deepStrictEqual(yield* h.takeLog, [])
      assert.strictEqual((yield* Supervisor.countChildren(supervisor)).specs, 3)
      yield* close
    }))

  it.effect("fails with NotFound for an unknown id", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      assert.deepStrictEqual(
        yield* Supervisor.terminateChild(supervisor, "nope").pipe(Effect.flip),
        new SupervisorError.NotFound({ id: "nope" })
      )
      yield* close
    }))

  it.effect("removes a temporary child's spec", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("t", { restart: "temporary" })]
      })
      yield* Supervisor.terminateChild(supervisor, "t")
      assert.deepStrictEqual((yield* Supervisor.whichChildren(supervisor)).map((info) => info.id), ["a"])
      assert.deepStrictEqual(
        yield* Supervisor.terminateChild(supervisor, "t").pipe(Effect.flip),
        new SupervisorError.NotFound({ id: "t" })
      )
      yield* close
    }))

  it.effect("cancels a pending restart: the child stays stopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("w", { backoff: Restart.backoff({ base: "1 second" }) })]
      })
      yield* h.kill("w")
      assert.strictEqual((yield* children(supervisor))[1][1], "restarting")
      yield* Supervisor.terminateChild(supervisor, "w")
      assert.deepStrictEqual((yield* children(supervisor))[1], ["w", "stopped", undefined])
      yield* TestClock.adjust("1 minute")
      assert.deepStrictEqual((yield* children(supervisor))[1], ["w", "stopped", undefined])
      assert.strictEqual(yield* h.startAttempts("w"), 1)
      // and it can be restarted by hand
      yield* Supervisor.restartChild(supervisor, "w")
      assert.strictEqual((yield* children(supervisor))[1][1], "running")
      yield* close
    }))

  it.effect("waits for the shutdown deadline, then lists the child as unstopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("slow", { shutdown: "1 second", stopDelay: "1 minute" })]
      })
      const slow = yield* h.processOf("slow")
      const terminating = yield* Effect.fork(Supervisor.terminateChild(supervisor, "slow"))
      yield* TestClock.adjust("999 millis")
      assert.isFalse(yield* isDone(terminating))
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(terminating)
      assert.deepStrictEqual((yield* Supervisor.unstopped(supervisor)).map((p) => p.pid), [slow.pid])
      assert.deepStrictEqual((yield* children(supervisor))[0], ["slow", "stopped", undefined])
      yield* TestClock.adjust("1 minute")
      assert.deepStrictEqual(yield* Supervisor.unstopped(supervisor), [])
      yield* close
    }))
})

describe("restartChild", () => {
  it.effect("starts a stopped child from its spec, without a cascade, and returns its process", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      const before = yield* pids(supervisor)
      yield* Supervisor.terminateChild(supervisor, "b")
      yield* h.takeLog
      const value = yield* Supervisor.restartChild(supervisor, "b")
      assert.isTrue(Process.isProcessRef(value))
      assert.deepStrictEqual(yield* h.takeLog, ["start b"])
      const after = yield* pids(supervisor)
      assert.strictEqual(after.a, before.a)
      assert.strictEqual(after.c, before.c)
      assert.notStrictEqual(after.b, before.b)
      assert.strictEqual((value as Process.ProcessRef).pid, after.b)
      yield* close
    }))

  it.effect("fails with NotFound, Running, Restarting", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("w", { backoff: Restart.backoff({ base: "1 second" }) })]
      })
      assert.deepStrictEqual(
        yield* Supervisor.restartChild(supervisor, "nope").pipe(Effect.flip),
        new SupervisorError.NotFound({ id: "nope" })
      )
      assert.deepStrictEqual(
        yield* Supervisor.restartChild(supervisor, "a").pipe(Effect.flip),
        new SupervisorError.Running({ id: "a" })
      )
      yield* h.kill("w")
      assert.deepStrictEqual(
        yield* Supervisor.restartChild(supervisor, "w").pipe(Effect.flip),
        new SupervisorError.Restarting({ id: "w" })
      )
      yield* close
    }))

  it.effect("fails with StartFailed when the start fails; the child stays stopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* Supervisor.terminateChild(supervisor, "a")
      yield* h.failNextStarts("a", 1)
      const error = yield* Supervisor.restartChild(supervisor, "a").pipe(Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      assert.deepStrictEqual((yield* children(supervisor))[0], ["a", "stopped", undefined])
      yield* close
    }))

  it.effect("does not consume restart intensity", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        restartPolicy: Restart.intensity(1, "1 minute"),
        children: [h.child("a")]
      })
      for (let i = 0; i < 5; i++) {
        yield* Supervisor.terminateChild(supervisor, "a")
        yield* Supervisor.restartChild(supervisor, "a")
      }
      yield* h.kill("a")
      assert.isTrue(Option.isNone(supervisor.process.poll), "the first crash is within the intensity")
      assert.strictEqual((yield* children(supervisor))[0][1], "running")
      yield* h.kill("a")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      yield* close
    }))
})

describe("deleteChild", () => {
  it.effect("forgets a stopped child's spec", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("b")] })
      yield* Supervisor.terminateChild(supervisor, "a")
      yield* Supervisor.deleteChild(supervisor, "a")
      assert.deepStrictEqual((yield* Supervisor.whichChildren(supervisor)).map((info) => info.id), ["b"])
      assert.deepStrictEqual(
        yield* Supervisor.getChildSpec(supervisor, "a").pipe(Effect.flip),
        new SupervisorError.NotFound({ id: "a" })
      )
      assert.deepStrictEqual(
        yield* Supervisor.deleteChild(supervisor, "a").pipe(Effect.flip),
        new SupervisorError.NotFound({ id: "a" })
      )
      // the id can be used again, appended at the end
      yield* Supervisor.startChild(supervisor, h.child("a"))
      assert.deepStrictEqual((yield* Supervisor.whichChildren(supervisor)).map((info) => info.id), ["a", "b"])
      yield* close
    }))

  it.effect("fails with Running and Restarting", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("w", { backoff: Restart.backoff({ base: "1 second" }) })]
      })
      assert.deepStrictEqual(
        yield* Supervisor.deleteChild(supervisor, "a").pipe(Effect.flip),
        new SupervisorError.Running({ id: "a" })
      )
      yield* h.kill("w")
      assert.deepStrictEqual(
        yield* Supervisor.deleteChild(supervisor, "w").pipe(Effect.flip),
        new SupervisorError.Restarting({ id: "w" })
      )
      assert.strictEqual((yield* Supervisor.countChildren(supervisor)).specs, 2)
      yield* close
    }))
})

describe("whichChildren, countChildren, getChildSpec", () => {
  it.effect("whichChildren: newest first, with status, process, type and restarts", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [
          h.child("a"),
          h.child("b"),
          h.child("w", { backoff: Restart.backoff({ base: "1 second" }) }),
          Supervisor.childSpec({ id: "sub", children: [h.child("leaf")] })
        ]
      })
      yield* Supervisor.terminateChild(supervisor, "b")
      yield* h.kill("w")
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(
        infos.map((info) => [info.id, info.status, info.type, info.restarts, Option.isSome(info.process)]),
        [
          ["sub", "running", "supervisor", 0, true],
          ["w", "restarting", "worker", 0, false],
          ["b", "stopped", "worker", 0, false],
          ["a", "running", "worker", 0, true]
        ]
      )
      const a = infos[3].process.pipe(Option.getOrThrow)
      assert.strictEqual(a.pid, (yield* h.processOf("a")).pid)
      assert.isTrue(Option.isNone(a.poll))
      yield* close
    }))

  it.effect("countChildren: specs, active, supervisors, workers (types regardless of liveness)", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [
          h.child("a"),
          h.child("b"),
          h.child("w", { backoff: Restart.backoff({ base: "1 second" }) }),
          Supervisor.childSpec({ id: "sub", children: [h.child("leaf")] }),
          Supervisor.childSpec({ id: "sub2", children: [] })
        ]
      })
      assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor), {
        specs: 5,
        active: 5,
        supervisors: 2,
        workers: 3
      })
      yield* Supervisor.terminateChild(supervisor, "b")
      yield* Supervisor.terminateChild(supervisor, "sub2")
      yield* h.kill("w")
      assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor), {
        specs: 5,
        active: 2,
        supervisors: 2,
        workers: 3
      })
      yield* close
    }))

  it.effect("getChildSpec returns the spec with every default filled in", () =>
    Effect.gen(function*() {
      const { close, supervisor } = yield* startInScope({
        children: [
          ChildSpec.make({ id: "plain", start: Effect.never }),
          Supervisor.childSpec({ id: "sub", children: [] }),
          ChildSpec.make({
            id: "custom",
            start: Effect.never,
            restart: "transient",
            shutdown: "brutal_kill"
          })
        ]
      })
      const plain = yield* Supervisor.getChildSpec(supervisor, "plain")
      assert.strictEqual(plain.id, "plain")
      assert.strictEqual(plain.restart, "permanent")
      assert.strictEqual(plain.type, "worker")
      assert.strictEqual(plain.significant, false)
      assert.isTrue(Duration.isDuration(plain.shutdown))
      assert.isTrue(Duration.equals(plain.shutdown as Duration.Duration, Duration.seconds(5)))
      assert.isTrue(Option.isNone(plain.backoff))
      assert.isTrue(Option.isNone(plain.resetBackoffAfter))
      assert.isTrue(ChildSpec.isChildSpec(plain))
      const sub = yield* Supervisor.getChildSpec(supervisor, "sub")
      assert.deepStrictEqual([sub.type, sub.shutdown, sub.restart, sub.significant], [
        "supervisor",
        "infinity",
        "permanent",
        false
      ])
      const custom = yield* Supervisor.getChildSpec(supervisor, "custom")
      assert.deepStrictEqual([custom.restart, custom.shutdown], ["transient", "brutal_kill"])
      assert.deepStrictEqual(
        yield* Supervisor.getChildSpec(supervisor, "nope").pipe(Effect.flip),
        new SupervisorError.NotFound({ id: "nope" })
      )
      yield* close
    }))

  it.effect("queries on a stopped supervisor fail with SupervisorStopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* Fiber.join(yield* forkClose(scope))
      const stopped = new SupervisorError.SupervisorStopped()
      assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor).pipe(Effect.flip), stopped)
      assert.deepStrictEqual(yield* Supervisor.getChildSpec(supervisor, "a").pipe(Effect.flip), stopped)
      assert.deepStrictEqual(yield* Supervisor.terminateChild(supervisor, "a").pipe(Effect.flip), stopped)
      assert.deepStrictEqual(yield* Supervisor.restartChild(supervisor, "a").pipe(Effect.flip), stopped)
      assert.deepStrictEqual(yield* Supervisor.deleteChild(supervisor, "a").pipe(Effect.flip), stopped)
      assert.deepStrictEqual(
        yield* processOfChild(supervisor, "a").pipe(Effect.exit, Effect.map((e) => e._tag)),
        "Failure"
      )
    }))
})
