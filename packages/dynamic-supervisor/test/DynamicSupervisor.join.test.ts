/**
 * `DynamicSupervisor.join`: how whoever started a dynamic supervisor learns how it ended.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, ExitReason, SupervisorError } from "@effect-otp/supervisor"
import { describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Effect, Exit, Fiber, Scope } from "effect"

describe("DynamicSupervisor.join", () => {
  it.effect("fails with GaveUp when a child needs more restarts than the policy allows", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const rooms = yield* Scope.extend(DynamicSupervisor.start({ name: "rooms" }), scope)
      const joined = yield* Effect.fork(DynamicSupervisor.join(rooms))
      yield* Effect.exit(
        DynamicSupervisor.startChild(rooms, ChildSpec.make({ id: "room", start: Effect.fail("boom") }))
      )
      deepStrictEqual(
        yield* Fiber.await(joined),
        Exit.fail(new SupervisorError.GaveUp({ supervisor: "rooms", childId: "room" }))
      )
      yield* Scope.close(scope, Exit.void)
    }))

  it.effect("succeeds with Shutdown when the supervisor is stopped", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const rooms = yield* Scope.extend(DynamicSupervisor.start(), scope)
      yield* DynamicSupervisor.startChild(rooms, ChildSpec.make({ id: "room", start: Effect.never }))
      const joined = yield* Effect.fork(DynamicSupervisor.join(rooms))
      yield* Scope.close(scope, Exit.void)
      deepStrictEqual(yield* Fiber.join(joined), ExitReason.shutdown)
    }))
})
