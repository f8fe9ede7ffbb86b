import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
import { makeLeaks } from "@effect-otp/test-utils/Leaks"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Scope, Stream, TestClock } from "effect"

const settle = Effect.repeatN(Effect.yieldNow(), 20)

describe("no leaks", () => {
  it.effect("tasks, linked callers, stream producers and watchers have all ended once the scope has closed", () =>
    Effect.gen(function*() {
      const leaks = yield* makeLeaks
      const scope = yield* Scope.make()
      yield* leaks.supervise(Effect.gen(function*() {
        const tasks = yield* Scope.extend(TaskSupervisor.start(), scope)
        const done = yield* TaskSupervisor.async(tasks, Effect.succeed(1))
        expect(yield* Task.await(done)).toBe(1)
        const running = yield* TaskSupervisor.async(tasks, Effect.never)
        yield* TaskSupervisor.asyncNolink(tasks, Effect.fail("crash"))
        yield* TaskSupervisor.startChild(tasks, Effect.never, { restart: "permanent" })
        // a stream stopped early, one that fails, one that completes, one left running
        const early = yield* Stream.runCollect(
          TaskSupervisor.asyncStream(tasks, [1, 2, 3, 4], (n) => n < 3 ? Effect.succeed(n) : Effect.never, {
            maxConcurrency: 4,
            ordered: false
          }).pipe(Stream.take(2))
        )
        expect(Chunk.size(early)).toBe(2)
        yield* Effect.exit(Stream.runDrain(TaskSupervisor.asyncStream(tasks, [1, 2], (n) => Effect.fail(n))))
        yield* Stream.runDrain(TaskSupervisor.asyncStream(tasks, Stream.range(1, 50), Effect.succeed))
        // a stream interrupted while its producer waits for a free slot: no fiber of it is left
        const streamFibers = yield* makeLeaks
        const pending = yield* streamFibers.supervise(Effect.fork(
          Stream.runDrain(
            TaskSupervisor.asyncStream(tasks, [1, 2, 3, 4], () => Effect.never, {
              maxConcurrency: 2,
              timeout: "infinity"
            })
          )
        ))
        yield* settle
        expect((yield* TaskSupervisor.children(tasks)).length).toBe(4)
        yield* leaks.trackDynamic(tasks)
        yield* Fiber.interrupt(pending)
        yield* settle
        yield* streamFibers.check
        expect((yield* TaskSupervisor.children(tasks)).length).toBe(2)
        expect(Exit.isSuccess(yield* Task.shutdown(running).pipe(Effect.exit))).toBe(true)
      }))
      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust("5 seconds")
      yield* settle
      yield* leaks.check
    }))
})
