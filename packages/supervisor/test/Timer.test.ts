/**
 * The internal timers (call timeouts, shutdown deadlines, delayed restarts): due in order
 * on TestClock, never after a cancel; on the live clock, one sleeper while calls come one
 * after another, and none once no timer is left (a finished program is not kept alive
 * until its timeouts).
 */
import { assert, describe, it } from "@effect/vitest"
import { type Clock, Duration, Effect, TestClock } from "effect"
import { schedule, timersOf } from "../src/internal/timer.js"

const settle = Effect.repeatN(Effect.yieldNow(), 100)

/** Waits for the timer macrotasks queued now (the idle checks run on Effect's `Scheduler.timer(0)`). */
const nextTimerTask = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))

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

  it.effect("fire in deadline order across durations, a cancelled one never", () =>
    Effect.gen(function*() {
      const clock = yield* Effect.clock
      const fired: Array<string> = []
      schedule(clock, Duration.millis(300), () => fired.push("300"))
      const cancel = schedule(clock, Duration.millis(100), () => fired.push("100 cancelled"))
      schedule(clock, Duration.millis(200), () => fired.push("200"))
      schedule(clock, Duration.millis(100), () => fired.push("100"))
      cancel()
      yield* TestClock.adjust(150)
      assert.deepStrictEqual(fired, ["100"])
      yield* TestClock.adjust(150)
      assert.deepStrictEqual(fired, ["100", "200", "300"])
      assert.strictEqual(timersOf(clock)?.pending, 0)
    }))

  it.live("one sleeper while timers come one after another; none once no timer is left", () =>
    Effect.gen(function*() {
      const clock: Clock.Clock = yield* Effect.clock
      for (let i = 0; i < 1000; i++) schedule(clock, Duration.seconds(5), () => assert.fail("cancelled"))()
      const timers = timersOf(clock)!
      const sleeper = timers.sleeper
      assert.isDefined(sleeper)
      // the lists stay while the clock is in use, so a call does not pay for a new one
      assert.strictEqual(timers.lists.size, 1)
      schedule(clock, Duration.seconds(5), () => assert.fail("cancelled"))()
      assert.strictEqual(timers.sleeper, sleeper)
      // the first idle check finds the clock busy and keeps the sleeper; the next stops it
      yield* nextTimerTask
      assert.strictEqual(timers.sleeper, sleeper)
      yield* nextTimerTask
      assert.isUndefined(timers.sleeper)
      assert.strictEqual(timers.lists.size, 0)
      assert.strictEqual(timers.pending, 0)
    }))
})
