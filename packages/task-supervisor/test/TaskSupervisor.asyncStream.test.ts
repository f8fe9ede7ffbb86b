import { TaskSupervisor } from "@effect-otp/task-supervisor"
import { assert, describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Either, Fiber, Option, Ref, Stream, TestClock } from "effect"
import { availableParallelism } from "node:os"

const settle = Effect.repeatN(Effect.yieldNow(), 20)

/** Tracks how many tasks run at once. */
const gauge = Effect.map(Ref.make({ running: 0, peak: 0 }), (ref) => ({
  ref,
  run: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      Ref.update(ref, ({ peak, running }) => ({ running: running + 1, peak: Math.max(peak, running + 1) })),
      () => effect,
      () => Ref.update(ref, ({ peak, running }) => ({ running: running - 1, peak }))
    )
}))

describe("TaskSupervisor.asyncStream", () => {
  it.scoped("ordered by default: results in input order whatever order the tasks end in", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const results = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(tasks, [3, 1, 2], (n) => Effect.as(Effect.sleep(Duration.seconds(n)), n * 10))
      ))
      yield* settle
      yield* TestClock.adjust("3 seconds")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(results))).toEqual([30, 10, 20])
    }))

  it.scoped("ordered: false gives results as the tasks end", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const results = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(
          tasks,
          Stream.make(3, 1, 2),
          (n) => Effect.as(Effect.sleep(Duration.seconds(n)), n),
          { ordered: false, maxConcurrency: 3 }
        )
      ))
      for (let i = 0; i < 3; i++) {
        yield* settle
        yield* TestClock.adjust("1 second")
      }
      expect(Chunk.toReadonlyArray(yield* Fiber.join(results))).toEqual([1, 2, 3])
    }))

  it.scoped("runs at most maxConcurrency tasks at once (default: the number of cores)", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const { ref, run } = yield* gauge
      const inputs = Array.from({ length: 10 }, (_, i) => i)
      const twoAtOnce = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(tasks, inputs, (n) => run(Effect.as(Effect.sleep("1 second"), n)), {
          maxConcurrency: 2
        })
      ))
      for (let i = 0; i < 5; i++) {
        yield* settle
        yield* TestClock.adjust("1 second")
      }
      expect(Chunk.toReadonlyArray(yield* Fiber.join(twoAtOnce))).toEqual(inputs)
      expect((yield* Ref.get(ref)).peak).toBe(2)

      yield* Ref.set(ref, { running: 0, peak: 0 })
      const many = Array.from({ length: availableParallelism() + 3 }, (_, i) => i)
      const byDefault = yield* Effect.fork(Stream.runDrain(
        TaskSupervisor.asyncStream(tasks, many, (n) => run(Effect.as(Effect.sleep("1 second"), n)))
      ))
      for (let i = 0; i < 5; i++) {
        yield* settle
        yield* TestClock.adjust("1 second")
      }
      yield* Fiber.join(byDefault)
      expect((yield* Ref.get(ref)).peak).toBe(availableParallelism())
    }))

  it.scoped("a task past its timeout (5 seconds by default) fails the stream and stops the other tasks", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const results = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(
          tasks,
          [1, 60, 60],
          (n) => Effect.as(Effect.sleep(Duration.seconds(n)), n),
          { maxConcurrency: 3 }
        )
      ))
      yield* settle
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(results))).toBe(true)
      expect((yield* TaskSupervisor.children(tasks)).length).toBe(2)
      yield* TestClock.adjust("1 millis")
      const error = yield* Effect.flip(Fiber.join(results))
      assert(error._tag === "TaskTimeout")
      expect(Duration.toMillis(error.timeout)).toBe(5000)
      yield* settle
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
    }))

  it.scoped("onTimeout \"kill_task\": the late task is killed and its element is Left(TaskTimeout)", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const results = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(tasks, [1, 60, 2], (n) => Effect.as(Effect.sleep(Duration.seconds(n)), n), {
          maxConcurrency: 3,
          timeout: "3 seconds",
          onTimeout: "kill_task"
        })
      ))
      yield* settle
      yield* TestClock.adjust("3 seconds")
      const collected = Chunk.toReadonlyArray(yield* Fiber.join(results))
      expect(collected.map(Either.isRight)).toEqual([true, false, true])
      expect(collected.map((either) => Either.getOrNull(either))).toEqual([1, null, 2])
      const left = collected[1]
      assert(Either.isLeft(left))
      expect(left.left._tag).toBe("TaskTimeout")
      yield* settle
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
    }))

  it.scoped("a crash fails the stream with the task's error and stops the running tasks", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const results = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(
          tasks,
          [1, 2, 3],
          (n) => n === 2 ? Effect.delay(Effect.fail(`crash ${n}`), "1 second") : Effect.as(Effect.never, n),
          { maxConcurrency: 3 }
        )
      ))
      yield* settle
      yield* TestClock.adjust("1 second")
      expect(yield* Effect.flip(Fiber.join(results))).toBe("crash 2")
      yield* settle
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
    }))

  it.scoped("a consumer that stops early stops the tasks still running", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const results = yield* Effect.fork(Stream.runCollect(
        TaskSupervisor.asyncStream(
          tasks,
          [1, 2, 30, 40],
          (n) => Effect.as(Effect.sleep(Duration.seconds(n)), n),
          { maxConcurrency: 4, ordered: false, timeout: "infinity" }
        ).pipe(Stream.take(2))
      ))
      yield* settle
      yield* TestClock.adjust("2 seconds")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(results))).toEqual([1, 2])
      yield* settle
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
    }))

  it.scoped("rejects invalid options with InvalidOptions naming the option and the value", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const messages: Array<string> = []
      const bad: ReadonlyArray<TaskSupervisor.AsyncStreamOptions> = [
        { maxConcurrency: 0 },
        { ordered: "yes" as unknown as boolean },
        { onTimeout: "ignore" as unknown as "exit" },
        { timeout: -5 },
        { shutdown: "soon" as unknown as "brutal_kill" }
      ]
      for (const options of bad) {
        const error = yield* Effect.flip(
          Stream.runDrain(TaskSupervisor.asyncStream(tasks, [1], Effect.succeed, options))
        )
        assert(error._tag === "InvalidOptions")
        messages.push(error.message)
      }
      expect(messages).toEqual([
        "maxConcurrency: expected a positive integer, got 0",
        "ordered: expected a boolean, got \"yes\"",
        "onTimeout: expected \"exit\" or \"kill_task\", got \"ignore\"",
        "timeout: expected a non-negative duration or \"infinity\", got -5",
        "shutdown: expected a non-negative duration or \"infinity\", got \"soon\""
      ])
    }))
})
