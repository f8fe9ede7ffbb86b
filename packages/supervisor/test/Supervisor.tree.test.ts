/**
 * Supervision trees (SEMANTICS §1.7 "the parent then sees...", §1.12) and significant
 * children with auto-shutdown (§1.9).
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Effect, Option } from "effect"
import { ChildSpec, ExitReason, Process, Restart, Supervisor } from "../src/index.js"
import {
  children,
  eventually,
  exitOf,
  Fail,
  makeHarness,
  Normal,
  pids,
  processOfChild,
  settle,
  startInScope
} from "./utils/harness.js"

describe("supervision trees", () => {
  it.effect("a supervisor child starts its children in order and is stopped depth-first in reverse order", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [
          h.child("a"),
          Supervisor.childSpec({ id: "sub", strategy: "one_for_all", children: [h.child("b"), h.child("c")] }),
          h.child("d")
        ]
      })
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "start c", "start d"])
      assert.deepStrictEqual((yield* Supervisor.whichChildren(supervisor)).map((info) => [info.id, info.type]), [
        ["d", "worker"],
        ["sub", "supervisor"],
        ["a", "worker"]
      ])
      yield* close
      assert.deepStrictEqual(yield* h.log, [
        "start a",
        "start b",
        "start c",
        "start d",
        "stop d",
        "stop c",
        "stop b",
        "stop a"
      ])
      for (const process of yield* h.allProcesses) assert.isTrue(Option.isSome(process.poll))
    }))

  it.effect("a child supervisor's start failure fails the parent's boot with StartFailed naming it", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      yield* h.failNextStarts("c", 1)
      const error = yield* Supervisor.start({
        children: [
          h.child("a"),
          Supervisor.childSpec({ id: "sub", children: [h.child("b"), h.child("c")] })
        ]
      }).pipe(Effect.scoped, Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag === "StartFailed") assert.strictEqual(error.id, "sub")
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "fail c", "stop b", "stop a"])
    }))

  it.effect("the value of a supervisor child is the child Supervisor, usable with the API", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope<never>({})
      const sub = yield* Supervisor.startChild(
        supervisor,
        Supervisor.childSpec({ id: "sub", children: [h.child("a")] })
      )
      assert.isTrue(Supervisor.isSupervisor(sub))
      yield* Supervisor.startChild(sub, h.child("b"))
      assert.deepStrictEqual((yield* Supervisor.whichChildren(sub)).map((info) => info.id), ["b", "a"])
      assert.strictEqual((yield* processOfChild(supervisor, "sub")).pid, sub.process.pid)
      yield* close
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "stop b", "stop a"])
    }))

  const giveUpTwice = (restart: ChildSpec.RestartType) =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const sup = yield* startInScope({
        restartPolicy: Restart.intensity(1, "1 minute"),
        children: [
          h.child("a"),
          Supervisor.childSpec({
            id: "sub",
            restart,
            restartPolicy: Restart.intensity(1, "1 minute"),
            children: [h.child("x"), h.child("y")]
          }),
          h.child("d")
        ]
      })
      const sub = yield* processOfChild(sup.supervisor, "sub")
      yield* h.takeLog
      yield* h.kill("x")
      yield* h.kill("x")
      // the sub-supervisor gave up: it stopped y and exited with shutdown
      deepStrictEqual(yield* exitOf(sub), ExitReason.shutdown)
      yield* settle
      return { h, sub, ...sup }
    })

  it.effect("a child supervisor that gives up exits Shutdown; a permanent one is restarted by its parent", () =>
    Effect.gen(function*() {
      const { close, h, sub, supervisor } = yield* giveUpTwice("permanent")
      const before = yield* pids(supervisor)
      assert.deepStrictEqual(yield* h.takeLog, ["stop x", "start x", "stop x", "stop y", "start x", "start y"])
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(infos.map((info) => [info.id, info.status, info.restarts]), [
        ["d", "running", 0],
        ["sub", "running", 1],
        ["a", "running", 0]
      ])
      assert.notStrictEqual(before.sub, sub.pid)
      yield* close
    }))

  it.effect("a transient child supervisor that gives up is left down (shutdown is a normal exit)", () =>
    Effect.gen(function*() {
      const { close, h, supervisor } = yield* giveUpTwice("transient")
      assert.deepStrictEqual(yield* h.takeLog, ["stop x", "start x", "stop x", "stop y"])
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [
        ["a", "running"],
        ["sub", "stopped"],
        ["d", "running"]
      ])
      assert.isTrue(Option.isNone(supervisor.process.poll))
      yield* close
    }))

  it.effect("a temporary child supervisor that gives up is removed", () =>
    Effect.gen(function*() {
      const { close, supervisor } = yield* giveUpTwice("temporary")
      assert.deepStrictEqual((yield* children(supervisor)).map(([id]) => id), ["a", "d"])
      yield* close
    }))

  it.effect("the restart of a child supervisor counts against the parent's intensity: it escalates to the top", () =>
    Effect.gen(function*() {
      const { h, supervisor } = yield* giveUpTwice("permanent")
      yield* h.takeLog
      yield* h.kill("x")
      yield* h.kill("x")
      // the sub-supervisor gave up again: the parent's 2nd restart within its window gives up
      yield* eventually(Effect.sync(() => Option.isSome(supervisor.process.poll)), "the top supervisor never stopped")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop x", "start x", "stop x", "stop y", "stop d", "stop a"])
      for (const process of yield* h.allProcesses) assert.isTrue(Option.isSome(process.poll))
    }))

  it.effect("escalation level by level: each supervisor with intensity 0 exits Shutdown, up to the top", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const zero = Restart.intensity(0, "1 second")
      const { supervisor: top } = yield* startInScope<never>({ restartPolicy: zero })
      yield* Supervisor.startChild(top, h.child("topWorker"))
      const mid = yield* Supervisor.startChild(top, Supervisor.childSpec({ id: "mid", restartPolicy: zero }))
      yield* Supervisor.startChild(mid, h.child("midWorker"))
      const low = yield* Supervisor.startChild(mid, Supervisor.childSpec({ id: "low", restartPolicy: zero }))
      yield* Supervisor.startChild(low, h.child("leaf"))
      yield* Supervisor.startChild(low, h.child("lowWorker"))
      yield* h.takeLog
      yield* h.kill("leaf")
      yield* eventually(Effect.sync(() => Option.isSome(top.process.poll)), "the top supervisor never stopped")
      deepStrictEqual(yield* exitOf(low.process), ExitReason.shutdown)
      deepStrictEqual(yield* exitOf(mid.process), ExitReason.shutdown)
      deepStrictEqual(yield* exitOf(top.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop leaf", "stop lowWorker", "stop midWorker", "stop topWorker"])
    }))

  it.effect("a killed child supervisor stops its own children in order and is restarted from its spec only", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope<never>({})
      const sub = yield* Supervisor.startChild(
        supervisor,
        Supervisor.childSpec({ id: "sub", children: [h.child("a"), h.child("b")] })
      )
      yield* Supervisor.startChild(sub, h.child("dynamic"))
      yield* h.takeLog
      deepStrictEqual(yield* Process.kill(sub.process), ExitReason.killed)
      yield* settle
      // dynamic children are not restored by a restart (SEMANTICS §1.12)
      assert.deepStrictEqual(yield* h.takeLog, ["stop dynamic", "stop b", "stop a", "start a", "start b"])
      assert.strictEqual((yield* children(supervisor))[0][1], "running")
      yield* close
    }))
})

describe("significant children and autoShutdown", () => {
  it.effect("any_significant: a significant transient child exiting normally shuts the supervisor down", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [h.child("a"), h.child("s", { restart: "transient", significant: true }), h.child("c")]
      })
      yield* h.takeLog
      yield* h.send("s", Normal)
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop s", "stop c", "stop a"])
      yield* close
    }))

  it.effect("any_significant: a significant transient child that crashes is restarted instead", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [h.child("a"), h.child("s", { restart: "transient", significant: true })]
      })
      yield* h.takeLog
      yield* h.send("s", Fail())
      assert.deepStrictEqual(yield* h.takeLog, ["stop s", "start s"])
      assert.isTrue(Option.isNone(supervisor.process.poll))
      yield* close
    }))

  it.effect("any_significant: a significant temporary child ending for any reason (even killed) triggers", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [h.child("a"), h.child("s", { restart: "temporary", significant: true })]
      })
      yield* h.kill("s")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      yield* close
    }))

  it.effect("all_significant: shuts down only when no significant child is left running", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "all_significant",
        children: [
          h.child("a"),
          h.child("s1", { restart: "transient", significant: true }),
          h.child("s2", { restart: "temporary", significant: true })
        ]
      })
      yield* h.send("s1", Normal)
      assert.isTrue(Option.isNone(supervisor.process.poll))
      assert.deepStrictEqual((yield* Supervisor.countChildren(supervisor)).active, 2)
      yield* h.takeLog
      yield* h.send("s2", Fail())
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop s2", "stop a"])
      yield* close
    }))

  it.effect("non-significant children ending do not trigger", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [h.child("n", { restart: "transient" }), h.child("s", { restart: "transient", significant: true })]
      })
      yield* h.send("n", Normal)
      assert.isTrue(Option.isNone(supervisor.process.poll))
      assert.strictEqual((yield* Supervisor.countChildren(supervisor)).active, 1)
      yield* close
    }))

  it.effect("terminateChild of a significant child does not trigger", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [h.child("a"), h.child("s", { restart: "transient", significant: true })]
      })
      yield* Supervisor.terminateChild(supervisor, "s")
      yield* settle
      assert.isTrue(Option.isNone(supervisor.process.poll))
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [["a", "running"], [
        "s",
        "stopped"
      ]])
      yield* close
    }))

  for (const strategy of ["one_for_all", "rest_for_one"] as const) {
    it.effect(`${strategy}: a significant bystander stopped by a cascade does not trigger`, () =>
      Effect.gen(function*() {
        const h = yield* makeHarness
        const { close, supervisor } = yield* startInScope({
          strategy,
          autoShutdown: "any_significant",
          children: [
            h.child("p"),
            h.child("st", { restart: "transient", significant: true }),
            h.child("sp", { restart: "temporary", significant: true })
          ]
        })
        yield* h.takeLog
        yield* h.kill("p")
        assert.isTrue(Option.isNone(supervisor.process.poll))
        assert.deepStrictEqual(yield* h.takeLog, ["stop p", "stop sp", "stop st", "start p", "start st"])
        assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [
          ["p", "running"],
          ["st", "running"]
        ])
        yield* close
      }))
  }

  it.effect("significant with permanent is rejected with InvalidChildSpec (at boot and by startChild)", () =>
    Effect.gen(function*() {
      const bad = ChildSpec.make({ id: "bad", start: Effect.never, significant: true })
      const error = yield* Supervisor.start({ autoShutdown: "any_significant", children: [bad] }).pipe(
        Effect.scoped,
        Effect.flip
      )
      assert.strictEqual(error._tag, "InvalidChildSpec")
      assert.include(error.message, "significant")
      assert.include(error.message, "permanent")
      const { close, supervisor } = yield* startInScope<never>({ autoShutdown: "any_significant" })
      const error2 = yield* Supervisor.startChild(supervisor, bad).pipe(Effect.flip)
      assert.strictEqual(error2._tag, "InvalidChildSpec")
      assert.include(error2.message, "significant")
      yield* close
    }))

  it.effect("a significant child under autoShutdown \"never\" is rejected with InvalidChildSpec", () =>
    Effect.gen(function*() {
      const bad = ChildSpec.make({ id: "bad", start: Effect.never, restart: "transient", significant: true })
      const error = yield* Supervisor.start({ children: [bad] }).pipe(Effect.scoped, Effect.flip)
      assert.strictEqual(error._tag, "InvalidChildSpec")
      assert.include(error.message, "significant")
      const { close, supervisor } = yield* startInScope<never>({})
      const error2 = yield* Supervisor.startChild(supervisor, bad).pipe(Effect.flip)
      assert.deepStrictEqual(error2._tag, "InvalidChildSpec")
      assert.include(error2.message, "autoShutdown")
      yield* close
    }))

  it.effect("escalation: a significant child supervisor that auto-shuts down shuts its auto-shutdown parent down", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [
          h.child("a"),
          Supervisor.childSpec({
            id: "sub",
            restart: "transient",
            significant: true,
            autoShutdown: "any_significant",
            children: [h.child("b"), h.child("s", { restart: "transient", significant: true })]
          })
        ]
      })
      yield* h.takeLog
      yield* h.send("s", Normal)
      yield* eventually(Effect.sync(() => Option.isSome(supervisor.process.poll)), "the parent never stopped")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop s", "stop b", "stop a"])
      yield* close
    }))

  it.effect("escalation: a non-significant child supervisor that auto-shuts down leaves its parent running", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [
          h.child("a"),
          Supervisor.childSpec({
            id: "sub",
            restart: "transient",
            autoShutdown: "any_significant",
            children: [h.child("b"), h.child("s", { restart: "transient", significant: true })]
          })
        ]
      })
      const sub = yield* processOfChild(supervisor, "sub")
      yield* h.send("s", Normal)
      deepStrictEqual(yield* exitOf(sub), ExitReason.shutdown)
      yield* settle
      assert.isTrue(Option.isNone(supervisor.process.poll))
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [["a", "running"], [
        "sub",
        "stopped"
      ]])
      yield* close
    }))
})
