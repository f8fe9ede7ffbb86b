/**
 * A start that hangs: `startTimeout` interrupts it, the start fails with StartTimeout,
 * and the supervisor keeps answering.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Fiber, Option, Ref, TestClock } from "effect"
import { ChildSpec, Process, Supervisor, SupervisorError } from "../src/index.js"

const settle = Effect.repeatN(Effect.yieldNow(), 20)

const hanging = (finalized: Ref.Ref<boolean>) =>
  Process.withInit(
    Effect.acquireRelease(Effect.void, () => Ref.set(finalized, true)).pipe(Effect.zipRight(Effect.never)),
    () => Effect.never
  )

describe("startTimeout", () => {
  it.scoped("a startChild that hangs fails with StartTimeout after the deadline; siblings keep running", () =>
    Effect.gen(function*() {
      const finalized = yield* Ref.make(false)
      const supervisor = yield* Supervisor.start({ children: [ChildSpec.make({ id: "a", start: Effect.never })] })
      const before = yield* Supervisor.whichChildren(supervisor)
      const fiber = yield* Effect.fork(
        Supervisor.startChild(
          supervisor,
          ChildSpec.make({ id: "slow", start: hanging(finalized), startTimeout: "3 seconds" })
        )
      )
      yield* settle
      yield* TestClock.adjust("2999 millis")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)), "still starting just before the deadline")
      yield* TestClock.adjust("1 millis")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag === "StartFailed") {
        assert.strictEqual(error.id, "slow")
        const failure = Option.getOrThrow(Cause.failureOption(error.cause))
        assert.instanceOf(failure, SupervisorError.StartTimeout)
        assert.strictEqual((failure as SupervisorError.StartTimeout).message, "child \"slow\" did not start within 3 s")
      }
      assert.isTrue(yield* Ref.get(finalized), "the hanging init was interrupted and its resources released")
      const after = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(after.map((child) => child.id), ["a"])
      assert.strictEqual(Option.getOrThrow(after[0].process).pid, Option.getOrThrow(before[0].process).pid)
    }))

  it.scoped("a boot child that hangs fails the supervisor's start with StartFailed", () =>
    Effect.gen(function*() {
      const finalized = yield* Ref.make(false)
      const fiber = yield* Effect.fork(Effect.scoped(Supervisor.start({
        children: [
          ChildSpec.make({ id: "a", start: Effect.never }),
          ChildSpec.make({ id: "slow", start: hanging(finalized), startTimeout: "1 second" })
        ]
      })))
      yield* settle
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag === "StartFailed") assert.strictEqual(error.id, "slow")
      assert.isTrue(yield* Ref.get(finalized))
    }))

  it.scoped("DynamicSupervisor.startChild honours startTimeout too", () =>
    Effect.gen(function*() {
      const finalized = yield* Ref.make(false)
      const supervisor = yield* DynamicSupervisor.start()
      const fiber = yield* Effect.fork(
        DynamicSupervisor.startChild(
          supervisor,
          ChildSpec.make({ id: "slow", start: hanging(finalized), startTimeout: "1 second" })
        )
      )
      yield* settle
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "StartFailed")
      assert.deepStrictEqual(yield* DynamicSupervisor.countChildren(supervisor), {
        specs: 0,
        active: 0,
        supervisors: 0,
        workers: 0
      })
    }))
})
