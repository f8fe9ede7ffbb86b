/**
 * Spawn and stop N idle children: DynamicSupervisor.startChild vs forking fibers that
 * wait on a Deferred into a FiberSet. Each child waits on its own Deferred (one shared
 * Deferred would make both sides quadratic at stop: a Deferred removes an interrupted
 * waiter with indexOf).
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec } from "@effect-otp/supervisor"
import { Deferred, Effect, Exit, FiberSet, Scope } from "effect"
import { heapUsed, repeat, type Row } from "./harness.js"

interface Sample extends Record<"start" | "heap" | "stop", number> {}

const raw = (n: number): Effect.Effect<Sample> =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const set = yield* Scope.extend(FiberSet.make(), scope)
    const before = heapUsed()
    const t0 = performance.now()
    for (let i = 0; i < n; i++) yield* FiberSet.run(set, Effect.flatMap(Deferred.make<void>(), Deferred.await))
    yield* Effect.yieldNow()
    const t1 = performance.now()
    const heap = (heapUsed() - before) / n
    const t2 = performance.now()
    yield* Scope.close(scope, Exit.void)
    const t3 = performance.now()
    return { start: t1 - t0, heap, stop: t3 - t2 }
  })

const library = (n: number): Effect.Effect<Sample> =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const supervisor = yield* Scope.extend(DynamicSupervisor.start(), scope)
    const spec = ChildSpec.make({ id: "idle", start: Effect.flatMap(Deferred.make<void>(), Deferred.await) })
    const before = heapUsed()
    const t0 = performance.now()
    for (let i = 0; i < n; i++) yield* DynamicSupervisor.startChild(supervisor, spec)
    yield* Effect.yieldNow()
    const t1 = performance.now()
    const heap = (heapUsed() - before) / n
    const t2 = performance.now()
    yield* Scope.close(scope, Exit.void)
    const t3 = performance.now()
    return { start: t1 - t0, heap, stop: t3 - t2 }
  }).pipe(Effect.orDie)

export const spawnRows = async (n: number, repetitions: number, warmup: number): Promise<Array<Row>> => {
  const rawFigures = await repeat(repetitions, warmup, () => Effect.runPromise(raw(n)))
  const libFigures = await repeat(repetitions, warmup, () => Effect.runPromise(library(n)))
  const label = `spawn ${n.toLocaleString("en-US")} idle children`
  return [
    {
      workload: label,
      metric: "time to start all",
      unit: "ms",
      library: libFigures.start,
      raw: rawFigures.start,
      target: "≤ 1.3",
      lowerIsBetter: true
    },
    {
      workload: label,
      metric: "heap per child",
      unit: "KB",
      library: scale(libFigures.heap, 1 / 1024),
      raw: scale(rawFigures.heap, 1 / 1024),
      target: "≤ 1.5",
      lowerIsBetter: true
    },
    {
      workload: label,
      metric: "time to stop all",
      unit: "ms",
      library: libFigures.stop,
      raw: rawFigures.stop,
      target: "≤ 1.3",
      lowerIsBetter: true
    }
  ]
}

const scale = (f: { median: number; min: number; max: number }, k: number) => ({
  median: f.median * k,
  min: f.min * k,
  max: f.max * k
})
