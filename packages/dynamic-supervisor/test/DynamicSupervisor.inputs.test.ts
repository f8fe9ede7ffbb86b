/**
 * Untyped input to a dynamic supervisor gets a typed error when it arrives (issue 14, §1).
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { Restart } from "@effect-otp/supervisor"
import { described, failureOf, slowStart, spec } from "@effect-otp/test-utils/Hostile"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Schedule, Scope } from "effect"

const startWith = (options: unknown) =>
  Effect.exit(Effect.scoped(DynamicSupervisor.start(options as DynamicSupervisor.Options<void>)))

const failsWith = (exit: Exit.Exit<unknown, unknown>) => Exit.isFailure(exit) ? described(failureOf(exit)) : "started"

describe("DynamicSupervisor.start checks its options", () => {
  it.effect("refuses what it does not support: a strategy other than one_for_one, autoShutdown", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith({ strategy: "one_for_all" })), {
        _tag: "InvalidOptions",
        message: "strategy: a dynamic supervisor supports only \"one_for_one\", got \"one_for_all\""
      })
      assert.deepStrictEqual(failsWith(yield* startWith({ autoShutdown: "any_significant" })), {
        _tag: "InvalidOptions",
        message: "autoShutdown: a dynamic supervisor has no auto-shutdown, got \"any_significant\""
      })
      assert.isTrue(Exit.isSuccess(yield* startWith({ strategy: "one_for_one" })))
    }))

  it.effect("refuses unknown options", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith({ max_children: 3 })), {
        _tag: "InvalidOptions",
        message: "max_children: unknown option (expected name, restartPolicy, maxChildren or extraArguments)"
      })
    }))

  it.effect("a non-object, a non-string name, a non-Schedule policy, a piped invalid intensity are InvalidOptions", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(failsWith(yield* startWith(null)), {
        _tag: "InvalidOptions",
        message: "expected an options object, got null"
      })
      assert.deepStrictEqual(failsWith(yield* startWith({ name: 7 })), {
        _tag: "InvalidOptions",
        message: "name: expected a string or a DynamicSupervisor.Name, got 7"
      })
      assert.deepStrictEqual(failsWith(yield* startWith({ restartPolicy: 3 })), {
        _tag: "InvalidOptions",
        message: "restartPolicy: expected a Schedule, got 3"
      })
      assert.deepStrictEqual(
        failsWith(
          yield* startWith({
            restartPolicy: Restart.intensity(-1, "1 second").pipe(Schedule.intersect(Schedule.spaced("1 second")))
          })
        ),
        { _tag: "InvalidOptions", message: "restartPolicy: maxRestarts must be an integer >= 0, got -1" }
      )
    }))

  it.effect("childSpec keeps the child-spec fields apart and the supervisor starts", () =>
    Effect.gen(function*() {
      const childSpec = DynamicSupervisor.childSpec({ id: "rooms", maxChildren: 2, shutdown: "5 seconds" })
      assert.strictEqual(childSpec.id, "rooms")
    }))
})

describe("DynamicSupervisor.startChild checks the spec in the caller", () => {
  it.effect("an invalid spec is InvalidChildSpec even when the supervisor has stopped", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const supervisor = yield* Scope.extend(DynamicSupervisor.start(), scope)
      yield* Scope.close(scope, Exit.void)
      const exit = yield* Effect.exit(DynamicSupervisor.startChild(supervisor, spec({ id: "x", restart: "sometimes" })))
      assert.deepStrictEqual(failsWith(exit), {
        _tag: "InvalidChildSpec",
        id: "x",
        message: "restart: expected \"permanent\", \"transient\" or \"temporary\", got \"sometimes\""
      })
    }))

  it.scoped("an invalid spec is InvalidChildSpec at once while the supervisor is busy in a slow start", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start()
      const gate = yield* Deferred.make<void>()
      const slow = yield* Effect.fork(DynamicSupervisor.startChild(supervisor, slowStart("slow", gate)))
      yield* Effect.yieldNow()
      const exit = yield* Effect.exit(DynamicSupervisor.startChild(supervisor, spec({ id: "x", start: 2 })))
      assert.deepStrictEqual(failsWith(exit), {
        _tag: "InvalidChildSpec",
        id: "x",
        message: "start: expected an Effect or a Process.Spawn, got 2"
      })
      // the slow start is still pending
      assert.isTrue((yield* Fiber.poll(slow))._tag === "None")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(slow)
    }))

  it.effect("a significant child is refused for that first", () =>
    Effect.gen(function*() {
      const supervisor = yield* Effect.scoped(DynamicSupervisor.start())
      const exit = yield* Effect.exit(
        DynamicSupervisor.startChild(supervisor, spec({ id: "s", significant: true, restart: "permanent" }))
      )
      assert.deepStrictEqual(failsWith(exit), {
        _tag: "InvalidChildSpec",
        id: "s",
        message: "significant: a dynamic supervisor's children cannot be significant"
      })
    }))
})
