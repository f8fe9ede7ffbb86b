/**
 * Restart types (SEMANTICS §1.5) and restart policies (§1.7; DESIGN decision 3):
 * intensity, failed restart attempts, per-child backoff, custom schedules.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Duration, Effect, Fiber, Option, Random, Schedule, Stream, TestClock } from "effect"
import { ChildSpec, ExitReason, Restart, Supervisor, SupervisorError } from "../src/index.js"
import type { Command } from "./utils/harness.js"
import {
  children,
  Die,
  exitOf,
  Fail,
  forkClose,
  isDone,
  makeHarness,
  Normal,
  pids,
  settle,
  ShutdownCmd,
  startInScope
} from "./utils/harness.js"

const endings: ReadonlyArray<readonly [string, Command | "kill", ExitReason.ExitReason["_tag"]]> = [
  ["normal", Normal, "Normal"],
  ["ShutdownRequest", ShutdownCmd(), "Shutdown"],
  ["ShutdownRequest with a reason", ShutdownCmd("done"), "Shutdown"],
  ["a failure", Fail(), "Abnormal"],
  ["a defect", Die(), "Abnormal"],
  ["Process.kill", "kill", "Killed"]
]

const expected: Record<ChildSpec.RestartType, Record<ExitReason.ExitReason["_tag"], boolean>> = {
  permanent: { Normal: true, Shutdown: true, Abnormal: true, Killed: true },
  transient: { Normal: false, Shutdown: false, Abnormal: true, Killed: true },
  temporary: { Normal: false, Shutdown: false, Abnormal: false, Killed: false }
}

describe("restart types", () => {
  for (const restart of ["permanent", "transient", "temporary"] as const) {
    for (const [name, ending, tag] of endings) {
      const restarted = expected[restart][tag]
      it.effect(`${restart} after ${name}: ${restarted ? "restarted" : restart === "temporary" ? "removed" : "kept stopped"}`, () =>
        Effect.gen(function*() {
          const h = yield* makeHarness
          const { close, supervisor } = yield* startInScope({
            strategy: "one_for_one",
            children: [h.child("a"), h.child("x", { restart }), h.child("c")]
          })
          const x = yield* h.processOf("x")
          const before = yield* pids(supervisor)
          yield* h.takeLog
          if (ending === "kill") yield* h.kill("x")
          else yield* h.send("x", ending)
          const reason = yield* x.await
          assert.strictEqual(reason._tag, tag)
          const after = yield* children(supervisor)
          if (restarted) {
            assert.deepStrictEqual(yield* h.takeLog, ["stop x", "start x"])
            assert.deepStrictEqual(after.map(([id, status]) => [id, status]), [["a", "running"], ["x", "running"], [
              "c",
              "running"
            ]])
            assert.notStrictEqual(after[1][2], before.x)
          } else if (restart === "temporary") {
            assert.deepStrictEqual(yield* h.takeLog, ["stop x"])
            assert.deepStrictEqual(after.map(([id]) => id), ["a", "c"])
            assert.deepStrictEqual(
              yield* Supervisor.getChildSpec(supervisor, "x").pipe(Effect.flip),
              new SupervisorError.NotFound({ id: "x" })
            )
          } else {
            assert.deepStrictEqual(yield* h.takeLog, ["stop x"])
            assert.deepStrictEqual(after, [["a", "running", before.a], ["x", "stopped", undefined], [
              "c",
              "running",
              before.c
            ]])
            assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor), {
              specs: 3,
              active: 2,
              supervisors: 0,
              workers: 3
            })
          }
          // siblings are never touched under one_for_one
          assert.strictEqual((yield* pids(supervisor)).a, before.a)
          yield* close
        }))
    }
  }

  it.effect("a stopped transient child can be started again with restartChild", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("x", { restart: "transient" })] })
      yield* h.send("x", Normal)
      yield* Supervisor.restartChild(supervisor, "x")
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [["x", "running"]])
      yield* close
    }))
})

describe("restart intensity", () => {
  it.effect("default policy: a 4th crash within 5 s gives up, stops the others in reverse order, exits with shutdown", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      yield* h.takeLog
      for (let i = 0; i < 3; i++) {
        yield* h.kill("b")
        yield* TestClock.adjust("1 second")
      }
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "start b", "stop b", "start b", "stop b", "start b"])
      assert.isTrue(Option.isNone(supervisor.process.poll))
      // t = 3 s: the 4th crash within 5 s
      yield* h.kill("b")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "stop c", "stop a"])
      assert.deepStrictEqual(
        yield* Supervisor.whichChildren(supervisor).pipe(Effect.flip),
        new SupervisorError.SupervisorStopped()
      )
      assert.deepStrictEqual(
        yield* Supervisor.countChildren(supervisor).pipe(Effect.flip),
        new SupervisorError.SupervisorStopped()
      )
      for (const process of yield* h.allProcesses) assert.isTrue(Option.isSome(process.poll))
      yield* close
    }))

  it.effect("crashes spaced out on the clock never trip the intensity", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("b")] })
      for (let i = 0; i < 8; i++) {
        yield* h.kill("b")
        yield* TestClock.adjust("2 seconds")
      }
      assert.isTrue(Option.isNone(supervisor.process.poll))
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(infos.map((info) => [info.id, info.status, info.restarts]), [["b", "running", 8], [
        "a",
        "running",
        0
      ]])
      yield* close
    }))

  it.effect("the window is inclusive at its edge: a crash exactly 5 s after the first still counts it", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { supervisor } = yield* startInScope({ children: [h.child("b")] })
      yield* h.kill("b") // t = 0
      yield* TestClock.adjust("1 second")
      yield* h.kill("b") // t = 1
      yield* TestClock.adjust("1 second")
      yield* h.kill("b") // t = 2
      yield* TestClock.adjust("3 seconds")
      assert.isTrue(Option.isNone(supervisor.process.poll))
      yield* h.kill("b") // t = 5: 0, 1, 2, 5 are within 5 s
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
    }))

  it.effect("a crash 1 ms past the window does not count the oldest restart", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("b")] })
      yield* h.kill("b") // t = 0
      yield* TestClock.adjust("1 second")
      yield* h.kill("b") // t = 1
      yield* TestClock.adjust("1 second")
      yield* h.kill("b") // t = 2
      yield* TestClock.adjust("3001 millis")
      yield* h.kill("b") // t = 5.001
      assert.isTrue(Option.isNone(supervisor.process.poll))
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [["b", "running"]])
      // and the next one, at 5.001 s again, is a 4th within the window (1, 2, 5.001, 5.001)
      yield* h.kill("b")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      yield* close
    }))

  it.effect("intensity 0 gives up on the first crash", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { supervisor } = yield* startInScope({
        restartPolicy: Restart.intensity(0, "5 seconds"),
        children: [h.child("a"), h.child("b")]
      })
      yield* h.takeLog
      yield* h.kill("a")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop a", "stop b"])
    }))

  it.effect("exits that are not restarted do not count (transient normal, temporary)", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const spec = (i: number, restart: ChildSpec.RestartType) => h.child(`${restart}${i}`, { restart })
      const { close, supervisor } = yield* startInScope({
        restartPolicy: Restart.intensity(1, "1 minute"),
        children: [
          h.child("p"),
          ...[0, 1, 2].map((i) => spec(i, "transient")),
          ...[0, 1, 2].map((i) => spec(i, "temporary"))
        ]
      })
      for (const i of [0, 1, 2]) {
        yield* h.send(`transient${i}`, Normal)
        yield* h.send(`temporary${i}`, Fail())
      }
      yield* h.kill("p")
      assert.isTrue(Option.isNone(supervisor.process.poll))
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [
        ["p", "running"],
        ["transient0", "stopped"],
        ["transient1", "stopped"],
        ["transient2", "stopped"]
      ])
      yield* close
    }))

  it.effect("failed restart attempts count and are retried while the supervisor keeps answering", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const starting = yield* Effect.fork(startInScope({
        children: [h.child("a"), h.child("w", { initDelay: "1 second" })]
      }))
      yield* TestClock.adjust("1 second")
      const { close, supervisor } = yield* Fiber.join(starting)
      yield* h.takeLog
      yield* h.failNextStarts("w", 100)
      yield* h.kill("w") // t = 1 s: restart attempt 1, its start fails at 2 s
      const counting = yield* Effect.fork(Supervisor.countChildren(supervisor))
      const asking = yield* Effect.fork(children(supervisor))
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Fiber.join(counting), { specs: 2, active: 1, supervisors: 0, workers: 2 })
      assert.deepStrictEqual((yield* Fiber.join(asking)).map(([id, status]) => [id, status]), [["a", "running"], [
        "w",
        "restarting"
      ]])
      // attempt 2 (t = 2 s) fails at 3 s
      const asking2 = yield* Effect.fork(children(supervisor))
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual((yield* Fiber.join(asking2)).map(([id, status]) => [id, status]), [["a", "running"], [
        "w",
        "restarting"
      ]])
      // attempt 3 (t = 3 s) fails at 4 s; attempt 4 at t = 4 s is the 4th in 5 s: give up
      yield* TestClock.adjust("999 millis")
      assert.isTrue(Option.isNone(supervisor.process.poll))
      yield* TestClock.adjust("1 millis")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.strictEqual(yield* h.startAttempts("w"), 4) // boot + 3 failed attempts
      assert.deepStrictEqual(yield* h.takeLog, ["stop w", "fail w", "fail w", "fail w", "stop a"])
      yield* close
    }))

  it.effect("a restart that fails a few times then succeeds keeps the supervisor up", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("w")] })
      yield* h.takeLog
      yield* h.failNextStarts("w", 2)
      yield* h.kill("w")
      yield* settle
      assert.deepStrictEqual(yield* h.takeLog, ["stop w", "fail w", "fail w", "start w"])
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(infos.map((info) => [info.id, info.status]), [["w", "running"], ["a", "running"]])
      // three restart attempts were used: one more crash within 5 s gives up
      yield* h.kill("w")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      yield* close
    }))
})

describe("per-child backoff", () => {
  it.effect("delays restarts (status restarting meanwhile) and resets after the child stayed up", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [
          h.child("a"),
          h.child("w", { backoff: Restart.backoff({ base: "1 second" }), resetBackoffAfter: "10 seconds" })
        ]
      })
      const status = Effect.map(children(supervisor), (list) => list[1].slice(1))
      const a = yield* h.processOf("a")
      yield* h.takeLog
      yield* h.kill("w") // t = 0: 1 s
      assert.deepStrictEqual(yield* status, ["restarting", undefined])
      yield* TestClock.adjust("999 millis")
      assert.deepStrictEqual(yield* status, ["restarting", undefined])
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(yield* status, ["running", (yield* h.processOf("w")).pid])
      yield* h.kill("w") // t = 1: 2 s
      yield* TestClock.adjust("1999 millis")
      assert.deepStrictEqual((yield* status)[0], "restarting")
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual((yield* status)[0], "running")
      assert.deepStrictEqual((yield* h.events).filter((e) => e.kind === "start" && e.id === "w").map((e) => e.at), [
        1000,
        3000
      ])
      // stays up 10 s (t = 13): the backoff starts over at 1 s
      yield* TestClock.adjust("10 seconds")
      yield* h.kill("w")
      yield* TestClock.adjust("999 millis")
      assert.deepStrictEqual((yield* status)[0], "restarting")
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual((yield* status)[0], "running")
      // a crash sooner than 10 s after that start does not reset it: 2 s
      yield* TestClock.adjust("9999 millis")
      yield* h.kill("w")
      yield* TestClock.adjust("1999 millis")
      assert.deepStrictEqual((yield* status)[0], "restarting")
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual((yield* status)[0], "running")
      // a never moved
      assert.deepStrictEqual((yield* h.events).filter((e) => e.id === "a"), [])
      assert.strictEqual((yield* pids(supervisor)).a, a.pid)
      yield* close
    }))

  it.effect("jittered backoff: children that crash together at the cap restart apart, within [0.8 max, max]", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const backoff = Restart.backoff({ base: "1 second", max: "2 seconds", jitter: true })
      const { close, supervisor } = yield* startInScope({
        restartPolicy: Restart.unlimited,
        backoff,
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      const delays: Array<number> = []
      const subscription = yield* Effect.fork(
        Stream.runForEach(Supervisor.events(supervisor), (event) =>
          Effect.sync(() => {
            if (event._tag === "BackoffScheduled") delays.push(Duration.toMillis(event.delay))
          }))
      )
      yield* settle
      const statuses = Effect.map(children(supervisor), (list) => list.map(([, status]) => status))
      const round = (expected: number) =>
        Effect.gen(function*() {
          delays.length = 0
          for (const id of ["a", "b", "c"]) yield* h.kill(id)
          assert.strictEqual(delays.length, 3)
          assert.deepStrictEqual(yield* statuses, ["restarting", "restarting", "restarting"])
          // every delay is within the spread of the (capped) delay, and never above max
          for (const delay of delays) {
            assert.isAtLeast(delay, expected * 0.8)
            assert.isAtMost(delay, Math.min(expected * 1.2, 2000))
          }
          // the first restart comes no sooner than the shortest delay
          yield* TestClock.adjust(Math.floor(Math.min(...delays)) - 1)
          assert.deepStrictEqual(yield* statuses, ["restarting", "restarting", "restarting"])
          yield* TestClock.adjust(2400)
          yield* settle
          assert.deepStrictEqual(yield* statuses, ["running", "running", "running"])
          return delays.slice()
        })
      yield* round(1000)
      const second = yield* round(2000) // 2 s: at the cap
      const third = yield* round(2000) // 4 s, capped
      const atCap = [...second, ...third]
      assert.strictEqual(new Set(atCap).size, 6, `delays at the cap differ: ${atCap}`)
      atCap.forEach((delay) => assert.isAtLeast(delay, 1600))
      yield* Fiber.interrupt(subscription)
      yield* close
    }).pipe(Effect.withRandom(Random.make("stampede"))))

  it.effect("a supervisor-wide backoff applies to children without one of their own", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        backoff: Restart.backoff({ base: "500 millis" }),
        children: [h.child("a"), h.child("b", { backoff: Restart.backoff({ base: "2 seconds" }) })]
      })
      yield* h.kill("a")
      yield* h.kill("b")
      yield* TestClock.adjust("500 millis")
      assert.deepStrictEqual((yield* children(supervisor)).map(([, status]) => status), ["running", "restarting"])
      yield* TestClock.adjust("1500 millis")
      assert.deepStrictEqual((yield* children(supervisor)).map(([, status]) => status), ["running", "running"])
      yield* close
    }))

  it.effect("a custom Schedule as restart policy: intensity intersected with an exponential delay", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        restartPolicy: Schedule.intersect(Restart.intensity(3, "5 seconds"), Schedule.exponential("100 millis")),
        children: [h.child("a"), h.child("w")]
      })
      const status = Effect.map(children(supervisor), (list) => list[1][1])
      // crashes at 0, 100, 300 ms restart after 100, 200, 400 ms
      for (const delay of [100, 200, 400]) {
        yield* h.kill("w")
        assert.strictEqual(yield* status, "restarting")
        yield* TestClock.adjust(delay - 1)
        assert.strictEqual(yield* status, "restarting")
        yield* TestClock.adjust(1)
        assert.strictEqual(yield* status, "running")
      }
      assert.deepStrictEqual((yield* h.events).filter((e) => e.kind === "start" && e.id === "w").map((e) => e.at), [
        0,
        100,
        300,
        700
      ])
      yield* h.takeLog
      // t = 700 ms: the 4th crash within 5 s
      yield* h.kill("w")
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.takeLog, ["stop w", "stop a"])
      yield* close
    }))

  it.effect("the supervisor answers while a restart waits for its backoff, and closes without waiting for it", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("w", { backoff: Restart.backoff({ base: "1 minute" }) })]
      })
      yield* h.kill("w")
      assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor), {
        specs: 2,
        active: 1,
        supervisors: 0,
        workers: 2
      })
      const closing = yield* forkClose(scope)
      yield* settle
      assert.isTrue(yield* isDone(closing))
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      // the pending restart never happens
      yield* TestClock.adjust("2 minutes")
      assert.deepStrictEqual((yield* h.events).filter((e) => e.kind === "start" && e.id === "w").length, 1)
    }))
})
