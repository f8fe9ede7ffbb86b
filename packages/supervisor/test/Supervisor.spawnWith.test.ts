/**
 * A supervisor computed at start (issue 14 §6, OTP's `init/1`): its options come from an
 * effect run in its process at every start; it may decline or fail.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Data, Effect, Option, Ref } from "effect"
import { ChildSpec, Process, Supervisor } from "../src/index.js"
import { makeHarness, startInScope } from "./utils/harness.js"

class ConfigMissing extends Data.TaggedError("ConfigMissing")<{ readonly key: string }> {}

describe("Supervisor.spawnWith", () => {
  it.effect("init runs in the supervisor's start, again at each restart, and its children are started", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const runs = yield* Ref.make(0)
      const sub = Supervisor.spawnWith(Effect.map(Ref.updateAndGet(runs, (n) => n + 1), (n) => ({
        strategy: "one_for_all" as const,
        children: [h.child(`w${n}`)]
      })))
      const spec = ChildSpec.make({ id: "sub", start: sub, type: "supervisor" })
      assert.strictEqual(yield* Ref.get(runs), 0) // building the spawn runs nothing
      const { close, supervisor } = yield* startInScope({ children: [spec] })
      assert.strictEqual(yield* Ref.get(runs), 1)
      const child = Option.getOrThrow((yield* Supervisor.whichChild(supervisor, spec)).value)
      assert.strictEqual(child.strategy, "one_for_all")
      // the parent restarts it: init runs again, with what it computes now
      yield* Process.kill(child.process)
      yield* Effect.repeatN(Effect.yieldNow(), 20)
      assert.strictEqual(yield* Ref.get(runs), 2)
      assert.deepStrictEqual(yield* h.takeLog, ["start w1", "stop w1", "start w2"])
      yield* close
    }))

  it.effect("init declines (Process.ignore): the parent keeps the spec, stopped; no child started", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const spec = ChildSpec.make({
        id: "sub",
        type: "supervisor",
        start: Supervisor.spawnWith(Effect.zipRight(Process.ignore, Effect.succeed({ children: [h.child("w")] })))
      })
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), spec, h.child("b")] })
      const info = yield* Supervisor.whichChild(supervisor, "sub")
      assert.deepStrictEqual([info.status, Option.isNone(info.process)], ["stopped", true])
      assert.deepStrictEqual(yield* h.log, ["start a", "start b"])
      // startChild of a declining one fails with the Ignore marker, typed
      const other = ChildSpec.make({ id: "other", type: "supervisor", start: Supervisor.spawnWith(Process.ignore) })
      const declined = yield* Supervisor.startChild(supervisor, other).pipe(Effect.flip)
      assert.isTrue(Process.isIgnore(declined))
      yield* close
    }))

  it.effect("init fails: the parent's start fails with StartFailed naming it, with init's error; no child started", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const spec = ChildSpec.make({
        id: "sub",
        type: "supervisor",
        start: Supervisor.spawnWith(
          Effect.zipRight(
            Effect.fail(new ConfigMissing({ key: "WORKERS" })),
            Effect.succeed({ children: [h.child("w")] })
          )
        )
      })
      const error = yield* startInScope({ children: [h.child("a"), spec, h.child("b")] }).pipe(Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag !== "StartFailed") return
      assert.strictEqual(error.id, "sub")
      const failure = Cause.failureOption(error.cause)
      assert.isTrue(Option.isSome(failure) && failure.value instanceof ConfigMissing)
      // "a" was stopped again, "w" and "b" never started
      assert.deepStrictEqual(yield* h.log, ["start a", "stop a"])
    }))

  it.effect("options init computes are checked as start's are: InvalidOptions", () =>
    Effect.gen(function*() {
      const spec = ChildSpec.make({
        id: "sub",
        type: "supervisor",
        start: Supervisor.spawnWith(Effect.succeed({ strategy: "one_for_none" as unknown as Supervisor.Strategy }))
      })
      const error = yield* startInScope({ children: [spec] }).pipe(Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag !== "StartFailed") return
      const failure = Cause.failureOption(error.cause)
      assert.isTrue(Option.isSome(failure) && (failure.value as { _tag?: string })._tag === "InvalidOptions")
    }))
})
