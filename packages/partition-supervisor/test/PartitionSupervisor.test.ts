import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
import { ChildSpec, ExitReason, Process, Registry, Restart, Supervisor } from "@effect-otp/supervisor"
import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck, Fiber, Option, Schedule, TestClock } from "effect"
import { availableParallelism } from "node:os"

const settle = Effect.repeatN(Effect.yieldNow(), 20)

/** A partition that holds its arguments: its value is what it was started with. */
const holder = <Args>(args: Args) =>
  ChildSpec.make({
    id: "holder",
    start: Process.make({ init: Effect.succeed(args), run: () => Effect.never, value: (state) => state })
  })

const partitionValue = (partition: number) => ({ partition })
const byPartition = {
  childSpec: holder<{ readonly partition: number }>,
  arguments: { partition: -1 },
  withArguments: (_: { readonly partition: number }, partition: number) => partitionValue(partition)
}

describe("PartitionSupervisor", () => {
  it.scoped("one child per core by default, ids the partition numbers", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({ name: "Holders", ...byPartition })
      const cores = availableParallelism()
      expect(yield* PartitionSupervisor.partitions(sup)).toBe(cores)
      const infos = yield* PartitionSupervisor.whichChildren(sup)
      expect(infos.map((info) => info.partition).sort((a, b) => a - b)).toEqual(
        Array.from({ length: cores }, (_, i) => i)
      )
      expect(infos.map((info) => Option.getOrThrow(info.value))).toEqual(
        infos.map((info) => ({ partition: info.partition }))
      )
      expect(yield* PartitionSupervisor.countChildren(sup)).toEqual({
        specs: cores,
        active: cores,
        supervisors: 0,
        workers: cores
      })
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("routes integers by the remainder of their absolute value, other keys by hash, by handle or name", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({ name: "Holders", partitions: 4, ...byPartition })
      expect(yield* PartitionSupervisor.whereis(sup, 5)).toEqual({ partition: 1 })
      expect(yield* PartitionSupervisor.whereis(sup, -5)).toEqual({ partition: 1 })
      expect(yield* PartitionSupervisor.whereis(sup, 0)).toEqual({ partition: 0 })
      expect(yield* PartitionSupervisor.whereis(sup, BigInt(-7))).toEqual({ partition: 3 })
      const byName = PartitionSupervisor.name<{ readonly partition: number }>("Holders")
      const viaName = yield* PartitionSupervisor.whereis(byName, "user:42")
      expect(viaName).toEqual({ partition: PartitionSupervisor.keyToPartition("user:42", 4) })
      expect(yield* PartitionSupervisor.whereis("Holders", "user:42")).toEqual(viaName)
      const unknown = yield* Effect.flip(PartitionSupervisor.whereis("Nobody", 1))
      assert(unknown._tag === "NoProcess")
      expect(unknown.message).toBe("no process is registered as \"Nobody\"")
    }).pipe(Effect.provide(Registry.layer)))

  it("routing invariants (property)", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.integer(), FastCheck.integer({ min: 1, max: 64 }), (key, n) => {
        const partition = PartitionSupervisor.keyToPartition(key, n)
        return partition >= 0 && partition < n && Number.isInteger(partition) &&
          partition === PartitionSupervisor.keyToPartition(-key, n) &&
          partition === Math.abs(key) % n
      })
    )
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(FastCheck.string(), FastCheck.double(), FastCheck.boolean()),
        FastCheck.integer({ min: 1, max: 64 }),
        (key, n) => {
          const partition = PartitionSupervisor.keyToPartition(key, n)
          // stable: the same key always goes to the same partition
          return partition >= 0 && partition < n && Number.isInteger(partition) &&
            partition === PartitionSupervisor.keyToPartition(key, n)
        }
      )
    )
  })

  it.scoped("whereis agrees with keyToPartition over the current partitions, through resizes (property)", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({ name: "Holders", partitions: 6, ...byPartition })
      const samples = FastCheck.sample(
        FastCheck.tuple(
          FastCheck.integer({ min: 1, max: 6 }),
          FastCheck.array(FastCheck.oneof(FastCheck.integer(), FastCheck.string()), { maxLength: 20 })
        ),
        { numRuns: 30, seed: 19 }
      )
      for (const [size, keys] of samples) {
        yield* PartitionSupervisor.resize(sup, size)
        for (const key of keys) {
          const value = yield* PartitionSupervisor.whereis(sup, key)
          expect(value).toEqual({ partition: PartitionSupervisor.keyToPartition(key, size) })
        }
      }
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("rejects invalid options with Elixir's errors, typed", () =>
    Effect.gen(function*() {
      const message = (options: unknown) =>
        Effect.map(
          Effect.flip(PartitionSupervisor.start(options as PartitionSupervisor.Options<unknown, unknown, never>)),
          (error) => `${error._tag}: ${error.message}`
        )
      expect(yield* message({ childSpec: holder(1) })).toBe(
        "InvalidOptions: name: the name option must be given to a PartitionSupervisor, got undefined"
      )
      expect(yield* message({ name: "P" })).toBe(
        "InvalidOptions: childSpec: the childSpec option must be given to a PartitionSupervisor, got undefined"
      )
      expect(yield* message({ name: "P", childSpec: holder(1), partitions: 0 })).toBe(
        "InvalidOptions: partitions: expected a positive integer, got 0"
      )
      expect(yield* message({ name: "P", childSpec: holder(1), partitions: 2.5 })).toBe(
        "InvalidOptions: partitions: expected a positive integer, got 2.5"
      )
      expect(yield* message({ name: "P", childSpec: holder, withArguments: "nope" })).toBe(
        "InvalidOptions: withArguments: expected a function of the arguments and the partition, got \"nope\""
      )
      expect(yield* message({ name: "P", childSpec: () => 42, partitions: 2 })).toBe(
        "InvalidOptions: childSpec: expected the function to return a child spec for partition 0, got 42"
      )
      expect(yield* message({ name: "P", childSpec: { id: "x" } })).toBe(
        "InvalidOptions: childSpec: expected a child spec or a function of the arguments returning one, got {\"id\":\"x\"}"
      )
      yield* PartitionSupervisor.start({ name: "P", childSpec: holder(1), partitions: 1 })
      expect(yield* message({ name: "P", childSpec: holder(1), partitions: 1 })).toMatch(/^AlreadyStarted: /)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("resizes down and back up to the initial count, not beyond", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({ name: "Holders", partitions: 4, ...byPartition })
      const statuses = Effect.map(
        PartitionSupervisor.whichChildren(sup),
        (infos) => [...infos].sort((a, b) => a.partition - b.partition).map((info) => info.status)
      )
      expect(yield* PartitionSupervisor.resize(sup, 2)).toBe(4)
      expect(yield* PartitionSupervisor.partitions(sup)).toBe(2)
      expect(yield* statuses).toEqual(["running", "running", "stopped", "stopped"])
      expect(yield* PartitionSupervisor.countChildren(sup)).toMatchObject({ specs: 4, active: 2 })
      expect(yield* PartitionSupervisor.whereis(sup, 3)).toEqual({ partition: 1 })

      const beyond = yield* Effect.flip(PartitionSupervisor.resize(sup, 5))
      assert(beyond._tag === "InvalidOptions")
      expect(beyond.message).toBe("partitions: expected an integer between 0 and 4, got 5")
      expect((yield* Effect.flip(PartitionSupervisor.resize(sup, -1)))._tag).toBe("InvalidOptions")

      expect(yield* PartitionSupervisor.resize(sup, 4)).toBe(2)
      expect(yield* statuses).toEqual(["running", "running", "running", "running"])
      expect(yield* PartitionSupervisor.whereis(sup, 3)).toEqual({ partition: 3 })

      expect(yield* PartitionSupervisor.resize(sup, 0)).toBe(4)
      const zero = yield* Effect.flip(PartitionSupervisor.whereis(sup, 1))
      assert(zero._tag === "ZeroPartitions")
      expect(zero.message).toBe("the PartitionSupervisor \"Holders\" has zero partitions")
      expect(yield* PartitionSupervisor.resize(sup, 1)).toBe(0)
      expect(yield* PartitionSupervisor.whereis(sup, 7)).toEqual({ partition: 0 })
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a crashed partition restarts alone; routing follows the new incarnation", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({
        name: "Rooms",
        partitions: 3,
        childSpec: DynamicSupervisor.childSpec({ id: "rooms" })
      })
      const before = yield* PartitionSupervisor.whereis(sup, 1)
      const others = yield* Effect.forEach([0, 2], (key) => PartitionSupervisor.whereis(sup, key))
      yield* Process.kill(before.process)
      yield* settle
      const after = yield* PartitionSupervisor.whereis(sup, 1)
      expect(after).not.toBe(before)
      expect(Option.isNone(after.process.poll)).toBe(true)
      expect(yield* Effect.forEach([0, 2], (key) => PartitionSupervisor.whereis(sup, key))).toEqual(others)
      const [restarted] = (yield* PartitionSupervisor.whichChildren(sup)).filter((info) => info.partition === 1)
      expect(restarted.restarts).toBe(1)
      // start children through the partition, as Elixir's {:via, PartitionSupervisor, {name, key}}
      yield* DynamicSupervisor.startChild(after, ChildSpec.make({ id: "room:1", start: Effect.never }))
      expect((yield* DynamicSupervisor.countChildren(after)).active).toBe(1)
    }).pipe(Effect.provide(Registry.layer)))

  it.effect("a partition being restarted is reported as Restarting", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({
        name: "Slow",
        partitions: 2,
        childSpec: ChildSpec.make({
          id: "slow",
          start: Process.make({ init: Effect.succeed(0), run: () => Effect.never, value: (_, process) => process }),
          backoff: Schedule.spaced("1 minute")
        })
      })
      const first = yield* PartitionSupervisor.whereis(sup, 1)
      yield* Process.kill(first)
      yield* settle
      const error = yield* Effect.flip(PartitionSupervisor.whereis(sup, 1))
      assert(error._tag === "Restarting")
      expect(error.id).toBe("1")
      yield* TestClock.adjust("1 minute")
      yield* settle
      const second = yield* PartitionSupervisor.whereis(sup, 1)
      expect(second.pid).not.toBe(first.pid)
    }).pipe(Effect.scoped, Effect.provide(Registry.layer)))

  it.effect("restart semantics of a supervisor: past its restart policy it stops with Shutdown", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({
        name: "Fragile",
        partitions: 2,
        restartPolicy: Restart.intensity(1, "5 seconds"),
        childSpec: ChildSpec.make({
          id: "p",
          start: Process.make({ init: Effect.succeed(0), run: () => Effect.never, value: (_, process) => process })
        })
      })
      yield* Process.kill(yield* PartitionSupervisor.whereis(sup, 0))
      yield* settle
      yield* Process.kill(yield* PartitionSupervisor.whereis(sup, 1))
      expect(yield* sup.process.await).toEqual(ExitReason.shutdown)
      expect(yield* Registry.isRegistered("Fragile")).toBe(false)
      expect((yield* Effect.flip(PartitionSupervisor.partitions("Fragile")))._tag).toBe("NoProcess")
    }).pipe(Effect.scoped, Effect.provide(Registry.layer)))

  it.scoped("under a Supervisor: childSpec, its id the name, the name follows its restarts", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        children: [
          PartitionSupervisor.childSpec({
            name: "MyApp.Tasks",
            partitions: 2,
            childSpec: TaskSupervisor.childSpec({ id: "tasks" })
          })
        ]
      })
      const [info] = yield* Supervisor.whichChildren(app)
      expect(info.id).toBe("MyApp.Tasks")
      const tasks = PartitionSupervisor.name<TaskSupervisor.TaskSupervisor>("MyApp.Tasks")
      const partition = yield* PartitionSupervisor.whereis(tasks, "user:1")
      const task = yield* TaskSupervisor.async(partition, Effect.succeed("routed"))
      expect(yield* Task.await(task)).toBe("routed")

      yield* Process.kill(Option.getOrThrow(info.process))
      yield* settle
      const [restarted] = yield* Supervisor.whichChildren(app)
      expect(restarted.restarts).toBe(1)
      expect(yield* PartitionSupervisor.partitions(tasks)).toBe(2)
      const again = yield* PartitionSupervisor.whereis(tasks, "user:1")
      expect(again).not.toBe(partition)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("stop stops the partitions in reverse order and releases the name", () =>
    Effect.gen(function*() {
      const sup = yield* PartitionSupervisor.start({ name: "Stoppable", partitions: 3, ...byPartition })
      const partitions = (yield* PartitionSupervisor.whichChildren(sup)).map((info) => Option.getOrThrow(info.process))
      yield* PartitionSupervisor.stop("Stoppable")
      expect(Option.getOrThrow(sup.process.poll)).toEqual(ExitReason.shutdown)
      for (const process of partitions) expect(Option.getOrThrow(process.poll)).toEqual(ExitReason.shutdown)
      expect(yield* Registry.isRegistered("Stoppable")).toBe(false)
      const exit = yield* Effect.exit(PartitionSupervisor.stop("Stoppable"))
      expect(Exit.isFailure(exit)).toBe(true)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("stopping the scope stops every partition", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        Effect.scoped(Effect.gen(function*() {
          const sup = yield* PartitionSupervisor.start({ name: "Scoped", partitions: 2, ...byPartition })
          return (yield* PartitionSupervisor.whichChildren(sup)).map((info) => Option.getOrThrow(info.process))
        }))
      )
      const processes = yield* Fiber.join(fiber)
      for (const process of processes) expect(Option.isSome(process.poll)).toBe(true)
    }).pipe(Effect.provide(Registry.layer)))
})
