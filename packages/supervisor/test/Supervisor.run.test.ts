/**
 * How an application learns how its top supervisor ended: `Supervisor.run` (the entry
 * point for `NodeRuntime.runMain`) and `Supervisor.join` (for a supervisor built as a
 * Layer). The child-process tests of packages/examples/test/service.test.ts check the
 * exit codes of a real Node process.
 */
import { assert, describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Context, Effect, Exit, Fiber, Layer, TestClock } from "effect"
import { ChildSpec, ExitReason, Restart, Supervisor, SupervisorError } from "../src/index.js"

const crashing = ChildSpec.make({ id: "flaky", start: Effect.fail("connection refused") })
const worker = ChildSpec.make({ id: "worker", start: Effect.never })

class AppSupervisor extends Context.Tag("AppSupervisor")<AppSupervisor, Supervisor.Supervisor>() {}

describe("Supervisor.run", () => {
  it.effect("fails with GaveUp (naming the supervisor and the child) when the supervisor gives up", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Supervisor.run({ name: "app", children: [worker, crashing] }))
      deepStrictEqual(exit, Exit.fail(new SupervisorError.GaveUp({ supervisor: "app", childId: "flaky" })))
      if (Exit.isFailure(exit)) {
        assert.strictEqual(
          (exit.cause as { readonly error: SupervisorError.GaveUp }).error.message,
          "supervisor \"app\" gave up: \"flaky\" needed more restarts than its restart policy allows"
        )
      }
    }))

  it.effect("with the default policy, 3 crashes in 5 s are tolerated and the 4th gives up", () =>
    Effect.gen(function*() {
      let starts = 0
      const flaky = ChildSpec.make({
        id: "flaky",
        start: Effect.suspend(() => ++starts <= 4 ? Effect.fail("boom") : Effect.never)
      })
      const exit = yield* Effect.exit(Supervisor.run({ name: "app", children: [flaky] }))
      assert.strictEqual(starts, 4)
      assert.isTrue(Exit.isFailure(exit))
    }))

  it.effect("ends with the exit reason when the supervisor shuts down by itself (autoShutdown)", () =>
    Effect.gen(function*() {
      const done = ChildSpec.make({
        id: "job",
        restart: "transient",
        significant: true,
        start: Effect.asVoid(Effect.sleep("1 second"))
      })
      const fiber = yield* Effect.fork(
        Supervisor.run({ autoShutdown: "any_significant", children: [worker, done] })
      )
      yield* TestClock.adjust("1 second")
      deepStrictEqual(yield* Fiber.join(fiber), ExitReason.shutdown)
    }))

  it.effect("interrupting it stops the tree in reverse order", () =>
    Effect.gen(function*() {
      const stopped: Array<string> = []
      const child = (id: string) =>
        ChildSpec.make({ id, start: Effect.onInterrupt(Effect.never, () => Effect.sync(() => stopped.push(id))) })
      const fiber = yield* Effect.fork(Supervisor.run({ children: [child("a"), child("b"), child("c")] }))
      yield* TestClock.adjust(0)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(stopped, ["c", "b", "a"])
    }))
})

describe("Supervisor.join: giving up is visible to whoever built the supervisor as a Layer", () => {
  it.effect("the program the layer is provided to fails with GaveUp; the layer's scope then stops the rest", () =>
    Effect.gen(function*() {
      const AppLive = Supervisor.layer(AppSupervisor, {
        name: "app",
        restartPolicy: Restart.intensity(1, "5 seconds"),
        children: [worker, crashing]
      })
      const error = yield* Effect.flip(Effect.flatMap(AppSupervisor, Supervisor.join).pipe(Effect.provide(AppLive)))
      deepStrictEqual(error, new SupervisorError.GaveUp({ supervisor: "app", childId: "flaky" }))
    }))

  it.scoped("the supervisor itself exits with Shutdown, as in OTP; join tells it gave up", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({ name: "app", children: [crashing] })
      deepStrictEqual(yield* supervisor.process.await, ExitReason.shutdown)
      deepStrictEqual(
        yield* Effect.flip(Supervisor.join(supervisor)),
        new SupervisorError.GaveUp({ supervisor: "app", childId: "flaky" })
      )
    }))

  it.effect("join succeeds with Shutdown when the supervisor is stopped on purpose", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(Supervisor.layer(AppSupervisor, { children: [worker] })).pipe(
        Effect.scoped,
        Effect.map(Context.get(AppSupervisor))
      )
      deepStrictEqual(yield* Supervisor.join(context), ExitReason.shutdown)
    }))
})
