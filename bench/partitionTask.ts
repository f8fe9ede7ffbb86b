/**
 * Issue 19's rows. Routing: N `DynamicSupervisor.startChild`s of idle children through a
 * `PartitionSupervisor` of dynamic supervisors (`PartitionSupervisor.whereis(sup, i)` then
 * `startChild` on the partition) vs the same N `startChild`s on one plain dynamic
 * supervisor (the "raw" column). asyncStream: `TaskSupervisor.asyncStream` of N elements
 * (each a task that yields once) with `maxConcurrency` c vs `Effect.forEach` of the same
 * work with `concurrency` c.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { PartitionSupervisor } from "@effect-otp/partition-supervisor"
import { ChildSpec, Registry } from "@effect-otp/supervisor"
import { TaskSupervisor } from "@effect-otp/task-supervisor"
import { Deferred, Effect, Exit, Scope, Stream } from "effect"
import { compare, count, type Row, run } from "./harness.js"

interface StartSample extends Record<"perStart", number> {}
interface StreamSample extends Record<"perElement", number> {}

const idle = Effect.flatMap(Deferred.make<void>(), Deferred.await)
const spec = ChildSpec.make({ id: "idle", start: idle })

const plain = (n: number) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const supervisor = yield* Scope.extend(DynamicSupervisor.start(), scope)
    const t0 = performance.now()
    for (let i = 0; i < n; i++) yield* DynamicSupervisor.startChild(supervisor, spec)
    const t1 = performance.now()
    yield* Scope.close(scope, Exit.void)
    return { perStart: (t1 - t0) * 1000 / n }
  }).pipe(Effect.orDie)

const partitioned = (n: number, partitions: number) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const supervisor = yield* Scope.extend(
      PartitionSupervisor.start({ name: "bench", partitions, childSpec: DynamicSupervisor.childSpec({ id: "d" }) }),
      scope
    )
    const t0 = performance.now()
    for (let i = 0; i < n; i++) {
      yield* DynamicSupervisor.startChild(yield* PartitionSupervisor.whereis(supervisor, i), spec)
    }
    const t1 = performance.now()
    yield* Scope.close(scope, Exit.void)
    return { perStart: (t1 - t0) * 1000 / n }
  }).pipe(Effect.provide(Registry.layer), Effect.orDie)

const work = (i: number) => Effect.as(Effect.yieldNow(), i)

const forEach = (n: number, concurrency: number) =>
  Effect.gen(function*() {
    const inputs = Array.from({ length: n }, (_, i) => i)
    const t0 = performance.now()
    const results = yield* Effect.forEach(inputs, work, { concurrency })
    const t1 = performance.now()
    if (results.length !== n) return yield* Effect.dieMessage(`expected ${n} results`)
    return { perElement: (t1 - t0) * 1000 / n }
  })

const asyncStream = (n: number, concurrency: number) =>
  Effect.gen(function*() {
    const tasks = yield* TaskSupervisor.start()
    const inputs = Array.from({ length: n }, (_, i) => i)
    const t0 = performance.now()
    const results = yield* Stream.runCount(
      TaskSupervisor.asyncStream(tasks, inputs, work, { maxConcurrency: concurrency })
    )
    const t1 = performance.now()
    if (results !== n) return yield* Effect.dieMessage(`expected ${n} results`)
    return { perElement: (t1 - t0) * 1000 / n }
  }).pipe(Effect.scoped, Effect.orDie)

/** The routing row and the asyncStream row. */
export const partitionTaskRows = async (
  starts: number,
  elements: number,
  repetitions: number,
  warmup: number
): Promise<ReadonlyArray<Row>> => {
  const partitions = 4
  const routing = await compare<keyof StartSample>(
    `${count(starts)} startChild via ${partitions} partitions`,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(plain(Math.ceil(starts / 10))),
      library: () => run(partitioned(Math.ceil(starts / 10), partitions))
    },
    () => run(plain(starts)),
    () => run(partitioned(starts, partitions))
  )
  const concurrency = 8
  const stream = await compare<keyof StreamSample>(
    `asyncStream of ${count(elements)}, concurrency ${concurrency}`,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(forEach(Math.ceil(elements / 10), concurrency)),
      library: () => run(asyncStream(Math.ceil(elements / 10), concurrency))
    },
    () => run(forEach(elements, concurrency)),
    () => run(asyncStream(elements, concurrency))
  )
  return [
    {
      workload: `${count(starts)} startChild through a ${partitions}-partition PartitionSupervisor`,
      metric: "time per startChild (raw: one plain DynamicSupervisor)",
      unit: "µs",
      library: routing.library.perStart,
      raw: routing.raw.perStart
    },
    {
      workload: `TaskSupervisor.asyncStream of ${count(elements)} elements, maxConcurrency ${concurrency}`,
      metric: "time per element (raw: Effect.forEach, same concurrency)",
      unit: "µs",
      library: stream.library.perElement,
      raw: stream.raw.perElement
    }
  ]
}
