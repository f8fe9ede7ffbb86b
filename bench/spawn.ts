/**
 * Workload 1, spawn and stop N idle children: `DynamicSupervisor.startChild` (idle
 * GenServers, and idle plain-effect children) vs forking fibers that each wait on their
 * own Deferred into a `FiberSet`. Each raw child waits on its own Deferred (one shared
 * Deferred would make both sides quadratic at stop: a Deferred removes an interrupted
 * waiter with indexOf).
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, GenServer } from "@effect-otp/supervisor"
import { Deferred, Effect, Exit, FiberSet, Scope } from "effect"
import { compare, count, type Figures, heapUsed, type Row, run, scale } from "./harness.js"
import { Server } from "./servers.js"

interface Sample extends Record<"start" | "heap" | "stop", number> {}

export type ChildKind = "genserver" | "effect"

const idle = Effect.flatMap(Deferred.make<void>(), Deferred.await)

const raw = (n: number) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const set = yield* Scope.extend(FiberSet.make(), scope)
    const before = heapUsed()
    const t0 = performance.now()
    for (let i = 0; i < n; i++) yield* FiberSet.run(set, idle)
    yield* Effect.yieldNow()
    const t1 = performance.now()
    const heap = (heapUsed() - before) / n
    const t2 = performance.now()
    yield* Scope.close(scope, Exit.void)
    const t3 = performance.now()
    return { start: t1 - t0, heap, stop: t3 - t2 }
  })

const specs = {
  genserver: GenServer.childSpec(Server, 0, { id: "idle" }),
  effect: ChildSpec.make({ id: "idle", start: idle })
}

const library = (kind: ChildKind, n: number) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const supervisor = yield* Scope.extend(DynamicSupervisor.start(), scope)
    const spec = specs[kind]
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

/** One raw sample (for profiling and the big run). */
export const rawSample = (n: number): Promise<Sample> => run(raw(n))

/** One library sample (for profiling and the big run). */
export const librarySample = (kind: ChildKind, n: number): Promise<Sample> => run(library(kind, n))

const kindLabel = { genserver: "idle GenServer", effect: "idle effect" }

export interface SpawnResult {
  readonly rows: ReadonlyArray<Row>
  readonly stop: { readonly library: Figures; readonly raw: Figures }
}

export const spawnRows = async (
  kind: ChildKind,
  n: number,
  repetitions: number,
  warmup: number
): Promise<SpawnResult> => {
  const label = `spawn ${count(n)} ${kindLabel[kind]} children`
  const result = await compare(
    label,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(raw(Math.ceil(n / 10))),
      library: () => run(library(kind, Math.ceil(n / 10)))
    },
    () => run(raw(n)),
    () => run(library(kind, n))
  )
  return spawnResult(kind, n, result)
}

/** The rows of a spawn measurement. */
export const spawnResult = (
  kind: ChildKind,
  n: number,
  result: { readonly raw: Record<keyof Sample, Figures>; readonly library: Record<keyof Sample, Figures> }
): SpawnResult => {
  const label = `spawn ${count(n)} ${kindLabel[kind]} children`
  const row = (metric: string, key: keyof Sample, unit: string, max: number, k = 1): Row => ({
    workload: label,
    metric,
    unit,
    library: scale(result.library[key], k),
    raw: scale(result.raw[key], k),
    target: { kind: "ratio", max }
  })
  return {
    rows: [
      row("time to start all", "start", "ms", 1.3),
      row("heap per child", "heap", "KB", 1.5, 1 / 1024),
      row("time to stop all", "stop", "ms", 1.3)
    ],
    stop: { library: result.library.stop, raw: result.raw.stop }
  }
}

/**
 * The scaling check: stopping `big` children takes at most `k` × the time to stop
 * `small` ones (`k` = 1.2 × big/small: linear, with some slack).
 */
export const scalingRow = (
  kind: ChildKind,
  small: { readonly n: number; readonly stop: { readonly library: Figures; readonly raw: Figures } },
  big: { readonly n: number; readonly stop: { readonly library: Figures; readonly raw: Figures } }
): Row => {
  const factor = big.n / small.n
  const k = 1.2 * factor
  const ratioOf = (a: Figures, b: Figures): Figures => ({
    median: a.median / b.median,
    min: a.min / b.max,
    max: a.max / b.min
  })
  return {
    workload: `stop ${count(big.n)} ÷ stop ${count(small.n)} ${kindLabel[kind]} children`,
    metric: `scaling (linear = ${factor})`,
    unit: "×",
    library: ratioOf(big.stop.library, small.stop.library),
    raw: ratioOf(big.stop.raw, small.stop.raw),
    target: { kind: "value", max: k, label: "library" }
  }
}
