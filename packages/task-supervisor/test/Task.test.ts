import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ExitReason, Process } from "@effect-otp/supervisor"
import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
import { assert, describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, FiberId, Option, Ref, Scope, TestClock } from "effect"

/** Lets forked fibers run without moving the clock. */
const settle = Effect.repeatN(Effect.yieldNow(), 20)

const reasonOf = (process: Process.ProcessRef) => Option.getOrThrow(process.poll)

describe("Task.await", () => {
  it.scoped("returns the task's result", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.async(tasks, Effect.succeed(42))
      expect(yield* Task.await(task)).toBe(42)
      expect(reasonOf(task.process)).toEqual(ExitReason.normal)
      // a temporary child: gone once it has ended
      yield* settle
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
    }))

  it.scoped("times out after 5 seconds by default, and the task goes on", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.asyncNolink(tasks, Effect.as(Effect.sleep("10 seconds"), "late"))
      const waiting = yield* Effect.fork(Effect.either(Task.await(task)))
      yield* settle
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const result = yield* Fiber.join(waiting)
      assert(result._tag === "Left")
      expect(result.left._tag).toBe("TaskTimeout")
      assert(result.left._tag === "TaskTimeout")
      expect(Duration.toMillis(result.left.timeout)).toBe(5000)
      expect(Option.isNone(task.process.poll)).toBe(true)
      // awaiting again, with a longer timeout, gets the result
      const late = yield* Effect.fork(Task.await(task, "1 minute"))
      yield* settle
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(late)).toBe("late")
    }))

  it.scoped("an explicit timeout and \"infinity\"", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.asyncNolink(tasks, Effect.as(Effect.sleep("1 hour"), 1))
      const short = yield* Effect.fork(Effect.flip(Task.await(task, "100 millis")))
      const forever = yield* Effect.fork(Task.await(task, "infinity"))
      yield* settle
      yield* TestClock.adjust("100 millis")
      expect((yield* Fiber.join(short))._tag).toBe("TaskTimeout")
      yield* TestClock.adjust("1 hour")
      expect(yield* Fiber.join(forever)).toBe(1)
    }))

  it.scoped("fails with the task's error, dies with its defect, TaskExited when it was killed", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const failing = yield* TaskSupervisor.asyncNolink(tasks, Effect.fail("boom" as const))
      expect(yield* Effect.flip(Task.await(failing))).toBe("boom")
      const dying = yield* TaskSupervisor.asyncNolink(tasks, Effect.dieMessage("defect"))
      const exit = yield* Effect.exit(Task.await(dying))
      assert(Exit.isFailure(exit))
      expect(Cause.isDie(exit.cause)).toBe(true)
      const killed = yield* TaskSupervisor.asyncNolink(tasks, Effect.never)
      yield* Process.kill(killed.process)
      const error = yield* Effect.flip(Task.await(killed))
      assert(error._tag === "TaskExited")
      expect(error.reason).toEqual(ExitReason.killed)
    }))

  it.scoped("rejects an invalid timeout with InvalidOptions naming it", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.async(tasks, Effect.succeed(1))
      const error = yield* Effect.flip(Task.await(task, -1))
      assert(error._tag === "InvalidOptions")
      expect(error.message).toBe("timeout: expected a non-negative duration or \"infinity\", got -1")
      yield* Task.await(task)
    }))
})

describe("linked and unlinked tasks", () => {
  it.scoped("async: a crash of the task interrupts its caller (the task's fiber is the interruptor)", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const started = yield* Deferred.make<Task.Task<never, string>>()
      const caller = yield* Effect.fork(Effect.gen(function*() {
        const task = yield* TaskSupervisor.async(tasks, Effect.delay(Effect.fail("crash"), "1 second"))
        yield* Deferred.succeed(started, task)
        return yield* Effect.never
      }))
      const task = yield* Deferred.await(started)
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.await(caller)
      assert(Exit.isFailure(exit))
      expect(Cause.isInterruptedOnly(exit.cause)).toBe(true)
      expect(reasonOf(task.process)._tag).toBe("Abnormal")
    }))

  it.scoped("async: a caller awaiting the task gets its error instead of an interruption", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const caller = yield* Effect.fork(Effect.gen(function*() {
        const task = yield* TaskSupervisor.async(tasks, Effect.delay(Effect.fail("crash"), "1 second"))
        return yield* Effect.flip(Task.await(task))
      }))
      yield* settle
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(caller)).toBe("crash")
    }))

  it.scoped("async: a caller that fails stops the task; one that ends normally leaves it running", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const spawned = yield* Deferred.make<Task.Task<never>>()
      const failing = yield* Effect.fork(Effect.gen(function*() {
        yield* Deferred.succeed(spawned, yield* TaskSupervisor.async(tasks, Effect.never))
        return yield* Effect.fail("the caller fails")
      }))
      expect(yield* Effect.flip(Fiber.join(failing))).toBe("the caller fails")
      const orphan = yield* Deferred.await(spawned)
      yield* settle
      expect(reasonOf(orphan.process)).toEqual(ExitReason.killed)
      const succeeding = yield* Effect.fork(TaskSupervisor.async(tasks, Effect.never))
      const survivor = yield* Fiber.join(succeeding)
      yield* settle
      expect(Option.isNone(survivor.process.poll)).toBe(true)
      expect(yield* TaskSupervisor.children(tasks)).toEqual([survivor.process])
    }))

  it.scoped("asyncNolink: a crash never reaches the caller, yield gives it", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.asyncNolink(tasks, Effect.fail("crash"))
      yield* settle
      const outcome = yield* Task.yield(task)
      assert(Option.isSome(outcome))
      expect(outcome.value).toEqual(Exit.fail("crash"))
      // the caller (this test's fiber) is still running
      expect(yield* Effect.succeed("alive")).toBe("alive")
    }))
})

describe("Task.yield", () => {
  it.scoped("None while running (after 5 seconds by default), Some once it has ended", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.async(tasks, Effect.as(Effect.sleep("8 seconds"), "done"))
      const first = yield* Effect.fork(Task.yield(task))
      yield* settle
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(first))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(first)).toEqual(Option.none())
      const second = yield* Effect.fork(Task.yield(task, "5 seconds"))
      yield* settle
      yield* TestClock.adjust("3 seconds")
      expect(yield* Fiber.join(second)).toEqual(Option.some(Exit.succeed("done")))
    }))
})

describe("Task.shutdown", () => {
  it.scoped("stops a running task (None) without reaching its linked caller", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.async(tasks, Effect.never)
      expect(yield* Task.shutdown(task)).toEqual(Option.none())
      expect(reasonOf(task.process)).toEqual(ExitReason.shutdown)
    }))

  it.scoped("returns the outcome of a task that had already ended", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const task = yield* TaskSupervisor.asyncNolink(tasks, Effect.succeed("ok"))
      yield* Task.yield(task)
      expect(yield* Task.shutdown(task)).toEqual(Option.some(Exit.succeed("ok")))
    }))

  it.scoped("waits at most the deadline (5 seconds by default); \"brutal_kill\" kills at once", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const stubborn = Effect.acquireRelease(Effect.void, () => Effect.sleep("1 minute")).pipe(
        Effect.zipRight(Effect.never),
        Effect.scoped
      )
      const task = yield* TaskSupervisor.async(tasks, stubborn)
      yield* settle
      const stopping = yield* Effect.fork(Task.shutdown(task))
      yield* settle
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(stopping))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(stopping)).toEqual(Option.none())
      // the finalizer is still running: the task ends when it does
      expect(Option.isNone(task.process.poll)).toBe(true)
      yield* TestClock.adjust("1 minute")
      yield* settle
      expect(Option.isSome(task.process.poll)).toBe(true)

      const brutal = yield* TaskSupervisor.asyncNolink(tasks, Effect.never)
      expect(yield* Task.shutdown(brutal, "brutal_kill")).toEqual(Option.none())
      expect(reasonOf(brutal.process)).toEqual(ExitReason.killed)
    }))
})

describe("TaskSupervisor", () => {
  it.scoped("startChild is temporary by default; restart is configurable", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const runs = yield* Ref.make(0)
      const crashOnce = Effect.flatMap(
        Ref.getAndUpdate(runs, (n) => n + 1),
        (n) => n === 0 ? Effect.fail("first run crashes") : Effect.never
      )
      const temporary = yield* TaskSupervisor.startChild(tasks, crashOnce)
      yield* settle
      expect(reasonOf(temporary)._tag).toBe("Abnormal")
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
      expect(yield* Ref.get(runs)).toBe(1)

      yield* Ref.set(runs, 0)
      const transient = yield* TaskSupervisor.startChild(tasks, crashOnce, { restart: "transient" })
      yield* settle
      expect(reasonOf(transient)._tag).toBe("Abnormal")
      expect(yield* Ref.get(runs)).toBe(2)
      const [restarted] = yield* TaskSupervisor.children(tasks)
      expect(restarted.pid).not.toBe(transient.pid)
      yield* TaskSupervisor.terminateChild(tasks, restarted)
      expect(yield* TaskSupervisor.children(tasks)).toEqual([])
    }))

  it.scoped("a full supervisor refuses tasks with MaxChildren", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start({ maxChildren: 1 })
      yield* TaskSupervisor.async(tasks, Effect.never)
      const error = yield* Effect.flip(TaskSupervisor.async(tasks, Effect.never))
      expect(error._tag).toBe("MaxChildren")
      expect((yield* DynamicSupervisor.countChildren(tasks)).active).toBe(1)
    }))

  it.effect("stopping the supervisor stops running tasks within their shutdown deadline", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const tasks = yield* Scope.extend(TaskSupervisor.start(), scope)
      const finalized = yield* Ref.make<ReadonlyArray<string>>([])
      const task = (name: string, cleanup: Duration.DurationInput) =>
        Effect.acquireRelease(
          Effect.void,
          () => Effect.zipRight(Effect.sleep(cleanup), Ref.update(finalized, (names) => [...names, name]))
        ).pipe(Effect.zipRight(Effect.never), Effect.scoped)
      const quick = yield* TaskSupervisor.async(tasks, task("quick", "1 second"))
      const slow = yield* TaskSupervisor.startChild(tasks, task("slow", "1 minute"), { shutdown: "2 seconds" })
      yield* settle
      const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* settle
      yield* TestClock.adjust("1 second")
      expect(yield* Ref.get(finalized)).toEqual(["quick"])
      expect(Option.isNone(yield* Fiber.poll(closing))).toBe(true)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(closing)
      expect(reasonOf(quick.process)).toEqual(ExitReason.shutdown)
      expect(Option.isNone(slow.poll)).toBe(true)
      expect(Option.isSome(tasks.process.poll)).toBe(true)
      yield* TestClock.adjust("1 minute")
      yield* settle
      expect(yield* Ref.get(finalized)).toEqual(["quick", "slow"])
    }))

  it.scoped("a task started with async runs with the caller's context; its own fiber is not the caller's", () =>
    Effect.gen(function*() {
      const tasks = yield* TaskSupervisor.start()
      const callerId = yield* Effect.fiberId
      const task = yield* TaskSupervisor.async(tasks, Effect.fiberId)
      const taskId = yield* Task.await(task)
      expect(FiberId.threadName(taskId)).not.toBe(FiberId.threadName(callerId))
    }))
})
