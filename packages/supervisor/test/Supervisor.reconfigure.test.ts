/**
 * `Supervisor.reconfigure` (issue 14 §6, OTP's `code_change`): all or nothing; changed
 * specs at the next (re)start, added ones stored, removed ones kept; auto-shutdown rules.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { Restart, Supervisor } from "../src/index.js"
import { exitOf, makeHarness, Normal, startInScope } from "./utils/harness.js"

const ids = (supervisor: Supervisor.Supervisor) =>
  Effect.map(Supervisor.whichChildren(supervisor), (infos) => infos.map((info) => `${info.id}:${info.status}`))

describe("Supervisor.reconfigure", () => {
  it.effect("a new strategy takes effect at the next restart", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("b")] })
      yield* Supervisor.reconfigure(supervisor, { strategy: "one_for_all" })
      assert.strictEqual(supervisor.strategy, "one_for_all")
      yield* h.takeLog
      yield* h.kill("b")
      assert.deepStrictEqual(yield* h.takeLog, ["stop b", "stop a", "start a", "start b"])
      yield* close
    }))

  it.effect("a changed spec replaces the child's at its next restart; the running incarnation is left alone", () =>
    Effect.gen(function*() {
      const before = yield* makeHarness
      const after = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [before.child("a")] })
      const old = yield* Supervisor.getChildSpec(supervisor, "a")
      const next = after.child("a", { restart: "transient" })
      yield* Supervisor.reconfigure(supervisor, { children: [next] })
      assert.deepStrictEqual(yield* before.log, ["start a"])
      assert.strictEqual(yield* Supervisor.getChildSpec(supervisor, "a"), old)
      yield* before.kill("a")
      assert.deepStrictEqual(yield* after.log, ["start a"])
      assert.strictEqual(yield* Supervisor.getChildSpec(supervisor, "a"), next)
      // typed lookups follow the spec in use
      assert.strictEqual((yield* Supervisor.whichChild(supervisor, next)).status, "running")
      // transient now: a normal exit is not restarted
      yield* after.send("a", Normal)
      assert.deepStrictEqual(yield* ids(supervisor), ["a:stopped"])
      yield* close
    }))

  it.effect("an added spec is stored, not started; a left-out spec stays until deleted", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("b")] })
      yield* Supervisor.reconfigure(supervisor, { children: [h.child("c")] })
      assert.deepStrictEqual(yield* ids(supervisor), ["c:stopped", "b:running", "a:running"])
      assert.strictEqual(yield* h.startAttempts("c"), 0)
      yield* Supervisor.restartChild(supervisor, "c")
      assert.deepStrictEqual(yield* ids(supervisor), ["c:running", "b:running", "a:running"])
      yield* close
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
    }))

  it.effect("an invalid change is refused whole, with a typed error, and changes nothing", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      const badSpec = yield* Supervisor.reconfigure(supervisor, {
        strategy: "rest_for_one",
        restartPolicy: Restart.intensity(0, "1 second"),
        children: [h.child("b"), h.child("a", { shutdown: -1 })]
      }).pipe(Effect.flip)
      assert.strictEqual(badSpec._tag, "InvalidChildSpec")
      assert.strictEqual(badSpec._tag === "InvalidChildSpec" && badSpec.id, "a")
      const duplicate = yield* Supervisor.reconfigure(supervisor, {
        strategy: "rest_for_one",
        children: [h.child("b"), h.child("b")]
      }).pipe(Effect.flip)
      assert.strictEqual(duplicate._tag, "DuplicateChildId")
      const unknown = yield* Supervisor.reconfigure(
        supervisor,
        { strategy: "one_for_all", maxChildren: 3 } as Supervisor.ReconfigureOptions<never>
      ).pipe(Effect.flip)
      assert.strictEqual(unknown._tag, "InvalidOptions")
      const badStrategy = yield* Supervisor.reconfigure(supervisor, {
        strategy: "all_for_one" as Supervisor.Strategy
      }).pipe(Effect.flip)
      assert.strictEqual(badStrategy._tag, "InvalidOptions")
      assert.strictEqual(supervisor.strategy, "one_for_one")
      assert.deepStrictEqual(yield* ids(supervisor), ["a:running"])
      // the restart policy was not replaced: three restarts are still allowed
      for (let i = 0; i < 3; i++) yield* h.kill("a")
      assert.deepStrictEqual(yield* ids(supervisor), ["a:running"])
      yield* close
    }))

  it.effect("a new restart policy is used from the next crash", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* Supervisor.reconfigure(supervisor, { restartPolicy: Restart.intensity(1, "5 seconds") })
      yield* h.kill("a")
      yield* h.kill("a")
      const error = yield* Supervisor.join(supervisor).pipe(Effect.flip)
      assert.strictEqual(error._tag, "GaveUp")
    }))
})

describe("Supervisor.reconfigure and auto-shutdown", () => {
  it.effect("autoShutdown never is refused while a significant child is there (nothing changes)", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        autoShutdown: "any_significant",
        children: [h.child("a"), h.child("s", { restart: "transient", significant: true })]
      })
      const error = yield* Supervisor.reconfigure(supervisor, { autoShutdown: "never", strategy: "one_for_all" }).pipe(
        Effect.flip
      )
      assert.strictEqual(error._tag === "InvalidChildSpec" && error.id, "s")
      assert.strictEqual(supervisor.strategy, "one_for_one")
      // still any_significant: the significant child's normal exit stops the supervisor
      yield* h.send("s", Normal)
      assert.strictEqual((yield* exitOf(supervisor.process))._tag, "Shutdown")
      yield* close
    }))

  it.effect("never to all_significant with added significant children: fires on the last one's exit", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      const refused = yield* Supervisor.reconfigure(supervisor, {
        children: [h.child("s1", { restart: "temporary", significant: true })]
      }).pipe(Effect.flip)
      assert.strictEqual(refused._tag, "InvalidChildSpec")
      yield* Supervisor.reconfigure(supervisor, {
        autoShutdown: "all_significant",
        children: [
          h.child("s1", { restart: "temporary", significant: true }),
          h.child("s2", { restart: "transient", significant: true })
        ]
      })
      yield* Supervisor.restartChild(supervisor, "s1")
      yield* Supervisor.restartChild(supervisor, "s2")
      yield* h.send("s1", Normal)
      assert.isTrue(Option.isNone(supervisor.process.poll))
      yield* h.send("s2", Normal)
      assert.strictEqual((yield* exitOf(supervisor.process))._tag, "Shutdown")
      assert.deepStrictEqual(yield* h.log, ["start a", "start s1", "start s2", "stop s1", "stop s2", "stop a"])
      yield* close
    }))

  it.effect("never to any_significant: fires on the first significant exit", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* Supervisor.reconfigure(supervisor, {
        autoShutdown: "any_significant",
        children: [
          h.child("s1", { restart: "temporary", significant: true }),
          h.child("s2", { restart: "temporary", significant: true })
        ]
      })
      yield* Supervisor.restartChild(supervisor, "s1")
      yield* Supervisor.restartChild(supervisor, "s2")
      yield* h.send("s1", Normal)
      assert.strictEqual((yield* exitOf(supervisor.process))._tag, "Shutdown")
      assert.deepStrictEqual(yield* h.log, ["start a", "start s1", "start s2", "stop s1", "stop s2", "stop a"])
      yield* close
    }))
})
