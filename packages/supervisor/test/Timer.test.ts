/**
 * The internal timers (call timeouts, shutdown deadlines, delayed restarts) on TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { schedule } from "../src/internal/timer.js"

const settle = Effect.repeatN(Effect.yieldNow(), 100)

describe("timers", () => {
  it.effect("fractional delays (a jittered backoff's) fire in deadline order, each once", () =>
    Effect.gen(function*() {
      const clock = yield* Effect.clock
      yield* TestClock.adjust(3316)
      const fired: Array<string> = []
      // deadlines whose sums round below themselves on the clock: re-arming for the
      // difference used to spin without end
      for (const [name, delay] of [["a", 1627.150774], ["b", 1850.018178], ["c", 1780.86529]] as const) {
        schedule(clock, Duration.millis(delay), () => fired.push(name))
      }
      yield* TestClock.adjust(1627)
      yield* settle
      assert.deepStrictEqual(fired, [])
      yield* TestClock.adjust(1)
      yield* settle
      assert.deepStrictEqual(fired, ["a"])
      yield* TestClock.adjust(2400)
      yield* settle
      assert.deepStrictEqual(fired, ["a", "c", "b"])
    }))
})
