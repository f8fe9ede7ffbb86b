/**
 * Restart policies on their own (SEMANTICS §1.7; DESIGN decision 3): the sliding-window
 * intensity and the exponential backoff with cap and jitter.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, FastCheck, Random, Schedule, ScheduleDecision, ScheduleIntervals, TestClock } from "effect"
import { ExitReason, Restart } from "../src/index.js"

const crash: Restart.Crash = { childId: "x", reason: ExitReason.killed }

/**
 * Steps a schedule at the given times; for each step: the output and the delay it asks
 * for (`"done"` when it stops). Stops stepping after the first `done`.
 */
const stepAt = <Out>(schedule: Schedule.Schedule<Out, Restart.Crash>, times: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    let state = schedule.initial
    const out: Array<readonly [Out, number | "done"]> = []
    for (const now of times) {
      const [next, output, decision] = yield* schedule.step(now, crash, state)
      state = next
      if (ScheduleDecision.isDone(decision)) {
        out.push([output, "done"])
        break
      }
      out.push([output, ScheduleIntervals.start(decision.intervals) - now])
    }
    return out
  })

const decisions = <Out>(schedule: Schedule.Schedule<Out, Restart.Crash>, times: ReadonlyArray<number>) =>
  Effect.map(stepAt(schedule, times), (steps) => steps.map(([, decision]) => decision === "done" ? "done" : "go"))

describe("Restart.intensity", () => {
  it.effect("3 in 5 s: restarts at 0, 1, 2 s are fine, the 4th at 4 s gives up", () =>
    Effect.gen(function*() {
      const steps = yield* stepAt(Restart.intensity(3, "5 seconds"), [0, 1000, 2000, 4000])
      assert.deepStrictEqual(steps, [[1, 0], [2, 0], [3, 0], [4, "done"]])
    }))

  it.effect("the window is inclusive: a restart exactly 5 s after the first still counts it", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* decisions(Restart.intensity(3, "5 seconds"), [0, 1000, 2000, 5000]),
        ["go", "go", "go", "done"]
      )
    }))

  it.effect("the window slides with millisecond precision: 1 ms later the oldest restart has left it", () =>
    Effect.gen(function*() {
      const steps = yield* stepAt(Restart.intensity(3, "5 seconds"), [0, 1000, 2000, 5001, 6001, 7001, 7001])
      assert.deepStrictEqual(steps, [[1, 0], [2, 0], [3, 0], [3, 0], [3, 0], [3, 0], [4, "done"]])
    }))

  it.effect("restarts spaced further apart than period / intensity never give up", () =>
    Effect.gen(function*() {
      const times = Array.from({ length: 50 }, (_, i) => i * 2000)
      const steps = yield* decisions(Restart.intensity(3, "5 seconds"), times)
      assert.deepStrictEqual(steps, times.map(() => "go"))
    }))

  it.effect("intensity 0 gives up on the first restart", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* stepAt(Restart.intensity(0, "5 seconds"), [0]), [[1, "done"]])
    }))

  it.effect("intensity 1 in 1 s: restarts 2.1 s apart never trip (OTP multiple_restarts); 1 s apart do", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* decisions(Restart.intensity(1, "1 second"), [0, 2100, 4200, 6300]),
        ["go", "go", "go", "go"]
      )
      assert.deepStrictEqual(yield* decisions(Restart.intensity(1, "1 second"), [0, 1000]), ["go", "done"])
      assert.deepStrictEqual(yield* decisions(Restart.intensity(1, "1 second"), [0, 1001]), ["go", "go"])
    }))

  it.effect("many restarts at the same instant count one by one", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* decisions(Restart.intensity(5, "1 minute"), [7, 7, 7, 7, 7, 7]),
        ["go", "go", "go", "go", "go", "done"]
      )
    }))

  it.effect("the default policy is 3 restarts in 5 s", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* decisions(Restart.defaultPolicy, [0, 1000, 2000, 5000]),
        ["go", "go", "go", "done"]
      )
      assert.deepStrictEqual(
        yield* decisions(Restart.defaultPolicy, [0, 1000, 2000, 5001]),
        ["go", "go", "go", "go"]
      )
    }))

  it.effect("accepts any DurationInput for the window", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* decisions(Restart.intensity(1, Duration.minutes(1)), [0, 60_000]),
        ["go", "done"]
      )
      assert.deepStrictEqual(yield* decisions(Restart.intensity(1, 500), [0, 501]), ["go", "go"])
    }))

  it.effect("driven on the TestClock, a fresh driver starts with an empty window", () =>
    Effect.gen(function*() {
      const driver = yield* Schedule.driver(Restart.intensity(2, "10 seconds"))
      yield* driver.next(crash)
      yield* TestClock.adjust("1 second")
      yield* driver.next(crash)
      yield* TestClock.adjust("1 second")
      const third = yield* driver.next(crash).pipe(Effect.either)
      assert.strictEqual(third._tag, "Left", "a 3rd restart within 10 s gives up")
      yield* driver.reset
      assert.strictEqual((yield* driver.next(crash).pipe(Effect.either))._tag, "Right")
    }))

  it.effect("unlimited never gives up", () =>
    Effect.gen(function*() {
      const times = Array.from({ length: 100 }, () => 0)
      assert.deepStrictEqual(yield* decisions(Restart.unlimited, times), times.map(() => "go"))
    }))
})

describe("Restart.backoff", () => {
  it.effect("exponential from base with factor 2 by default, never done", () =>
    Effect.gen(function*() {
      const steps = yield* stepAt(Restart.backoff({ base: "100 millis" }), [0, 0, 0, 0, 0, 0])
      assert.deepStrictEqual(steps.map(([, delay]) => delay), [100, 200, 400, 800, 1600, 3200])
    }))

  it.effect("a custom factor", () =>
    Effect.gen(function*() {
      const steps = yield* stepAt(Restart.backoff({ base: "1 second", factor: 3 }), [0, 0, 0, 0])
      assert.deepStrictEqual(steps.map(([, delay]) => delay), [1000, 3000, 9000, 27000])
    }))

  it.effect("delays are capped at max", () =>
    Effect.gen(function*() {
      const steps = yield* stepAt(Restart.backoff({ base: "1 second", max: "5 seconds" }), [0, 0, 0, 0, 0, 0])
      assert.deepStrictEqual(steps.map(([, delay]) => delay), [1000, 2000, 4000, 5000, 5000, 5000])
    }))

  it.effect("delays are measured from the step's time", () =>
    Effect.gen(function*() {
      const steps = yield* stepAt(Restart.backoff({ base: "1 second" }), [10_000, 20_000, 30_000])
      assert.deepStrictEqual(steps.map(([, delay]) => delay), [1000, 2000, 4000])
    }))

  it.effect("jitter draws each delay within [0.8, 1.2] of the capped delay, from a seeded Random, never above max", () =>
    Effect.gen(function*() {
      const times = Array.from({ length: 12 }, () => 0)
      const plain = (yield* stepAt(Restart.backoff({ base: "1 second", max: "30 seconds" }), times)).map(([, d]) =>
        d as number
      )
      const jittered = (seed: number) =>
        stepAt(Restart.backoff({ base: "1 second", max: "30 seconds", jitter: true }), times).pipe(
          Effect.map((steps) => steps.map(([, d]) => d as number)),
          Effect.withRandom(Random.make(seed))
        )
      const first = yield* jittered(42)
      const again = yield* jittered(42)
      const other = yield* jittered(7)
      assert.deepStrictEqual(first, again, "the same seed gives the same delays")
      assert.notDeepEqual(first, other, "another seed gives other delays")
      assert.notDeepEqual(first, plain, "jitter changes the delays")
      first.forEach((delay, i) => {
        assert.isAtLeast(delay, plain[i] * 0.8 - 1e-6, `delay ${i}`)
        assert.isAtMost(delay, plain[i] * 1.2 + 1e-6, `delay ${i}`)
      })
      // no delay exceeds max
      first.forEach((delay) => assert.isAtMost(delay, 30_000))
      // the factors vary from step to step
      const factors = first.map((delay, i) => delay / plain[i])
      assert.isAbove(new Set(factors.map((f) => f.toFixed(6))).size, 1)
    }))

  it.effect("jitter keeps its spread at the cap: delays at max differ, within [0.8 max, max]", () =>
    Effect.gen(function*() {
      const times = Array.from({ length: 20 }, () => 0)
      const steps = yield* stepAt(Restart.backoff({ base: "1 second", max: "4 seconds", jitter: true }), times).pipe(
        Effect.withRandom(Random.make("cap"))
      )
      // 1 s, 2 s, then the cap from the 3rd step on
      const atCap = steps.slice(2).map(([, delay]) => delay as number)
      atCap.forEach((delay) => {
        assert.isAtLeast(delay, 3200)
        assert.isAtMost(delay, 4000)
      })
      assert.strictEqual(new Set(atCap).size, atCap.length, "every delay at the cap is its own")
      assert.isBelow(Math.min(...atCap), 3400, "the draws cover the range")
      assert.isAbove(Math.max(...atCap), 3800, "the draws cover the range")
    }))

  it.effect("property: every jittered delay is within [0.8 d, min(1.2 d, max)] of the capped delay d", () =>
    Effect.sync(() =>
      FastCheck.assert(
        FastCheck.property(
          FastCheck.integer({ min: 1, max: 10_000 }),
          FastCheck.double({ min: 1, max: 4, noNaN: true }),
          FastCheck.integer({ min: 1, max: 100_000 }),
          FastCheck.integer(),
          (base, factor, maxMillis, seed) => {
            const times = Array.from({ length: 15 }, () => 0)
            const delays = Effect.runSync(
              stepAt(Restart.backoff({ base, factor, max: maxMillis, jitter: true }), times).pipe(
                Effect.withRandom(Random.make(seed))
              )
            ).map(([, delay]) => delay as number)
            delays.forEach((delay, n) => {
              const capped = Math.min(base * Math.pow(factor, n), maxMillis)
              const slack = 1e-6 * capped
              assert.isAtLeast(delay, capped * 0.8 - slack, `step ${n}`)
              assert.isAtMost(delay, Math.min(capped * 1.2, maxMillis) + slack, `step ${n}`)
            })
          }
        ),
        { numRuns: 300 }
      )
    ))

  it.effect("intersected with the intensity: the backoff delays, the intensity decides when to stop", () =>
    Effect.gen(function*() {
      const policy = Schedule.intersect(Restart.intensity(3, "5 seconds"), Restart.backoff({ base: "100 millis" }))
      const steps = yield* stepAt(policy, [0, 100, 300, 700])
      assert.deepStrictEqual(steps.map(([, delay]) => delay), [100, 200, 400, "done"])
    }))
})
