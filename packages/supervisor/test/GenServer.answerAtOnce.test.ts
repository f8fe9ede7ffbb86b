/**
 * A call to an idle GenServer (its mailbox empty, its fiber parked or hibernating, no stop
 * asked for) runs the request's handler at once, in the caller's fiber. A handler that
 * answers at once (`Effect.succeed`, `Effect.fail`) is then answered with no trip to the
 * server's fiber; anything else (an effect to run, a stop, a defect) is carried on by the
 * server's fiber. Either way the server behaves as if it had taken the call itself.
 */
import { assert, describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Data, Effect, Exit, Fiber, Option, Request, TestClock } from "effect"
import { ExitReason, GenServer, Process } from "../src/index.js"
import type { ProcessImpl } from "../src/internal/process.js"

class Full extends Data.TaggedError("Full")<{ readonly count: number }> {}

class Add extends Request.TaggedClass("Add")<number, Full, { readonly by: number }> {}
class AddLater extends Request.TaggedClass("AddLater")<number, never, { readonly by: number }> {}
class Get extends Request.TaggedClass("Get")<number, never, {}> {}
class Crash extends Request.TaggedClass("Crash")<number, never, {}> {}
class Quit extends Request.TaggedClass("Quit")<string, never, {}> {}
class Bump extends Data.TaggedClass("Bump")<{}> {}

/** A counter up to 3: `Add` answers at once, `AddLater` through an effect, `Crash` throws, `Quit` stops. */
const Counter = GenServer.make({
  requests: [Add, AddLater, Get, Crash, Quit],
  init: (initial: number) => Effect.succeed(initial),
  handlers: {
    Add: ({ by }, count) =>
      count + by > 3 ? Effect.fail(new Full({ count })) : Effect.succeed([count + by, count + by]),
    AddLater: ({ by }, count) => Effect.sync(() => [count + by, count + by] as const),
    Get: (_, count) => Effect.succeed([count, count]),
    Crash: (): Effect.Effect<readonly [number, number]> => {
      throw new Error("boom")
    },
    Quit: (_, count) => GenServer.stop(ExitReason.normal, { reply: "bye", state: count })
  },
  handleCast: (_: Bump, count) => Effect.succeed(count + 1)
})

const hibernating = (process: Process.ProcessRef): boolean => (process as unknown as ProcessImpl).isHibernating

/** Lets forked fibers run until they suspend. */
const settle = Effect.repeatN(Effect.yieldNow(), 20)

describe("GenServer calls answered at once", () => {
  for (const hibernateAfter of [0, "1 second"] as const) {
    it.scoped(`hibernateAfter ${hibernateAfter}: replies, typed failures, effects and casts keep their order and state`, () =>
      Effect.gen(function*() {
        const counter = yield* GenServer.start(Counter, 0, { hibernateAfter })
        yield* settle
        assert.strictEqual(yield* GenServer.call(counter, new Add({ by: 1 })), 1)
        assert.strictEqual(yield* GenServer.call(counter, new AddLater({ by: 1 })), 2)
        // a cast queued before a call is handled first: the call sees its state
        yield* GenServer.cast(counter, new Bump())
        assert.strictEqual(yield* GenServer.call(counter, new Get()), 3)
        yield* settle
        const failure = yield* Effect.flip(GenServer.call(counter, new Add({ by: 1 })))
        deepStrictEqual(failure, new Full({ count: 3 }))
        assert.strictEqual(yield* GenServer.call(counter, new Get()), 3, "a typed failure leaves the state as it was")
        deepStrictEqual(counter.poll, Option.none())
      }))
  }

  it.scoped("a handler that throws ends the server with that defect; its caller learns the server exited", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 0)
      yield* settle
      const error = yield* Effect.flip(GenServer.call(counter, new Crash()))
      assert.strictEqual(error._tag, "ProcessExited")
      const reason = yield* counter.await
      assert.isTrue(
        reason._tag === "Abnormal" && Cause.isDieType(reason.cause) && String(reason.cause.defect) === "Error: boom"
      )
    }))

  it.scoped("a stop from the handler replies, then ends the server with its reason", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 2, { hibernateAfter: 0 })
      assert.strictEqual(yield* GenServer.call(counter, new Quit()), "bye")
      deepStrictEqual(yield* counter.await, ExitReason.normal)
    }))

  it.scoped("a call to a server asked to stop is not answered by it", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 0)
      // a cast wakes it: its fiber parks, and a kill has a fiber to end
      yield* GenServer.cast(counter, new Bump())
      yield* settle
      const killed = yield* Effect.fork(Process.kill(counter))
      yield* Effect.yieldNow()
      // the kill is asked for, the server's fiber has not ended yet
      deepStrictEqual(counter.poll, Option.none())
      const exit = yield* Effect.exit(GenServer.call(counter, new Get()))
      assert.isTrue(Exit.isFailure(exit))
      deepStrictEqual(yield* Fiber.join(killed), ExitReason.killed)
    }))

  it.scoped("a call answered at once starts the server's idleness again: it hibernates hibernateAfter later", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 0, { hibernateAfter: "1 second" })
      assert.isTrue(hibernating(counter), "no fiber until a message needs one")
      assert.strictEqual(yield* GenServer.call(counter, new Add({ by: 1 })), 1)
      assert.isTrue(hibernating(counter), "nor for a call answered at once")
      assert.strictEqual(yield* GenServer.call(counter, new AddLater({ by: 0 })), 1)
      yield* settle
      assert.isFalse(hibernating(counter), "a call with an effect to run woke it")
      yield* TestClock.adjust("600 millis")
      assert.strictEqual(yield* GenServer.call(counter, new Add({ by: 0 })), 1)
      yield* TestClock.adjust("600 millis")
      yield* settle
      assert.isFalse(hibernating(counter), "idle for 600 ms since the call")
      yield* TestClock.adjust("400 millis")
      yield* settle
      assert.isTrue(hibernating(counter), "idle for 1 second since the call")
      assert.strictEqual(yield* GenServer.call(counter, new Get()), 1)
      assert.isTrue(hibernating(counter), "a call answered at once does not wake it")
    }))
})
