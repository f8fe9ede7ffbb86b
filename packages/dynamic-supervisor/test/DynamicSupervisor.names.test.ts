/**
 * A child whose registry name is held: `startChild` fails with `AlreadyStarted` as is,
 * naming the child (Elixir's `{:error, {:already_started, pid}}`), not `StartFailed`.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, GenServer, Process, Registry, SupervisorError } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Effect, Exit, Fiber, Option, Request, TestClock } from "effect"

class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}

const Counter = GenServer.make({
  requests: [GetCount],
  init: (initial: number) => Effect.succeed(initial),
  handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
})

/** A counter whose `init` takes a second (TestClock): its start is finished by the supervisor's loop. */
const SlowCounter = GenServer.make({
  requests: [GetCount],
  init: (initial: number) => Effect.as(Effect.sleep("1 second"), initial),
  handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
})

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

describe("DynamicSupervisor.startChild and names", () => {
  it.scoped("a name held by another process: AlreadyStarted with that process and the child's id", () =>
    Effect.gen(function*() {
      const holder = yield* GenServer.start(Counter, 1, { name: "counter" })
      const supervisor = yield* DynamicSupervisor.start()
      const exit = yield* Effect.exit(
        DynamicSupervisor.startChild(supervisor, GenServer.childSpec(Counter, 2, { id: "c2", name: "counter" }))
      )
      deepStrictEqual(
        exit,
        Exit.fail(new SupervisorError.AlreadyStarted({ id: "c2", registryName: "counter", process: holder }))
      )
      const error = failureOf(exit)
      assert.strictEqual(error.message, `child "c2" could not take the name "counter": it is held by ${holder}`)
      assert.deepStrictEqual(yield* DynamicSupervisor.whichChildren(supervisor), [])
      // once the name is free, the same spec starts
      yield* Process.stop(holder)
      const child = yield* DynamicSupervisor.startChild(
        supervisor,
        GenServer.childSpec(Counter, 2, { id: "c2", name: "counter" })
      )
      assert.strictEqual(yield* GenServer.call(child.value, new GetCount()), 2)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a clash found after a slow init (the start finished by the supervisor's loop) is AlreadyStarted too", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start()
      const first = yield* Effect.fork(DynamicSupervisor.startChild(
        supervisor,
        GenServer.childSpec(SlowCounter, 1, { id: "first", name: "counter" })
      ))
      const second = yield* Effect.fork(DynamicSupervisor.startChild(
        supervisor,
        GenServer.childSpec(SlowCounter, 2, { id: "second", name: "counter" })
      ))
      yield* TestClock.adjust("1 second")
      const winner = yield* Fiber.join(first)
      const exit = yield* Fiber.await(second)
      deepStrictEqual(
        exit,
        Exit.fail(
          new SupervisorError.AlreadyStarted({ id: "second", registryName: "counter", process: winner.initial })
        )
      )
      assert.strictEqual((yield* DynamicSupervisor.whichChildren(supervisor)).length, 1)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("any other failure of a start stays StartFailed", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start()
      const exit = yield* Effect.exit(DynamicSupervisor.startChild(
        supervisor,
        ChildSpec.make({ id: "failing", start: Process.withInit(Effect.fail("no database"), () => Effect.never) })
      ))
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag === "StartFailed") deepStrictEqual(Cause.failureOption(error.cause), Option.some("no database"))
    }))
})
