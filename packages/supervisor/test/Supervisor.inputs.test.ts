/**
 * Untyped input (JavaScript callers, configuration, spread objects) gets a typed error
 * when it arrives, never a defect later (issue 14, §1).
 */
import { described, failureOf, spec } from "@effect-otp/test-utils/Hostile"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, Schedule } from "effect"
import * as ChildSpec from "../src/ChildSpec.js"
import * as Restart from "../src/Restart.js"
import * as Supervisor from "../src/Supervisor.js"

const startWith = (options: unknown) =>
  Effect.exit(Effect.scoped(Supervisor.start(options as Supervisor.Options<never>)))

const failsWith = (exit: Exit.Exit<unknown, unknown>) => Exit.isFailure(exit) ? described(failureOf(exit)) : "started"

describe("Supervisor.start checks its options", () => {
  it.effect("a value that is not an options object is InvalidOptions", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith("children")), {
        _tag: "InvalidOptions",
        message: "expected an options object, got \"children\""
      })
      assert.deepStrictEqual(failsWith(yield* startWith(null)), {
        _tag: "InvalidOptions",
        message: "expected an options object, got null"
      })
    }))

  it.effect("a restartPolicy or backoff that is not a Schedule is InvalidOptions at start", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith({ restartPolicy: { maxRestarts: 3 } })), {
        _tag: "InvalidOptions",
        message: "restartPolicy: expected a Schedule, got {\"maxRestarts\":3}"
      })
      assert.deepStrictEqual(failsWith(yield* startWith({ backoff: "1 second" })), {
        _tag: "InvalidOptions",
        message: "backoff: expected a Schedule, got \"1 second\""
      })
    }))

  it.effect("an invalid intensity stays invalid through Schedule combinators", () =>
    Effect.gen(function*() {
      const piped = [
        Restart.intensity(-1, "5 seconds"),
        Restart.intensity(-1, "5 seconds").pipe(Schedule.intersect(Schedule.spaced("1 second"))),
        Restart.intensity(-1, "5 seconds").pipe(Schedule.map((n) => n * 2)),
        Schedule.union(Schedule.recurs(10), Restart.intensity(-1, "5 seconds")).pipe(Schedule.jittered),
        Restart.intensity(-1, "5 seconds").pipe(Schedule.andThen(Schedule.forever))
      ]
      for (const restartPolicy of piped) {
        assert.deepStrictEqual(failsWith(yield* startWith({ restartPolicy })), {
          _tag: "InvalidOptions",
          message: "restartPolicy: maxRestarts must be an integer >= 0, got -1"
        })
      }
      assert.deepStrictEqual(
        Restart.validate(Restart.intensity(3, 0).pipe(Schedule.intersect(Schedule.spaced("1 second")))),
        Either.left("restartPolicy: the window must be longer than 0, got 0 ms")
      )
      // a valid one combined stays valid, and still counts
      const ok = yield* startWith({
        restartPolicy: Restart.intensity(3, "5 seconds").pipe(Schedule.intersect(Schedule.spaced("1 second")))
      })
      assert.isTrue(Exit.isSuccess(ok))
    }))

  it.effect("a name that is not a string is InvalidOptions", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith({ name: 42 })), {
        _tag: "InvalidOptions",
        message: "name: expected a string or a Supervisor.Name, got 42"
      })
    }))

  it.effect("a significant child under autoShutdown never is refused for that combination first", () =>
    Effect.gen(function*() {
      // permanent and significant is invalid too, but the combination is reported first (as OTP)
      assert.deepStrictEqual(
        failsWith(yield* startWith({ children: [spec({ id: "s", significant: true, restart: "permanent" })] })),
        {
          _tag: "InvalidChildSpec",
          id: "s",
          message: "significant: a significant child needs a supervisor with autoShutdown other than \"never\""
        }
      )
    }))
})

describe("ChildSpec.make checks at run time", () => {
  it("refuses unknown keys, as the data Schema does", () => {
    const options = { id: "x", start: Effect.never, shutdwon: 1000 }
    const made = ChildSpec.make(options as ChildSpec.Options & { readonly start: Effect.Effect<never> })
    assert.deepStrictEqual(
      ChildSpec.validate(made),
      Either.left(
        "shutdwon: unknown option (expected id, start, restart, shutdown, type, significant, backoff, resetBackoffAfter, startTimeout)"
      )
    )
  })

  it.effect("an invalid start is reported with its value", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith({ children: [spec({ id: "x", start: 2 })] })), {
        _tag: "InvalidChildSpec",
        id: "x",
        message: "start: expected an Effect or a Process.Spawn, got 2"
      })
    }))

  it("a backoff that is not a Schedule is refused", () => {
    assert.deepStrictEqual(
      ChildSpec.validate(spec({ id: "x", backoff: 100 })),
      Either.left("backoff: expected a Schedule, got 100")
    )
  })
})
