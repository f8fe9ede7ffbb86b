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
import { compare, count, type Figures, heapUsed, type PeerCell, type Row, run, scale } from "./harness.js"
import { spawnPeerCells, spawnPeerRuns, type SpawnPeerSize } from "./peers.js"
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
  // idle GenServers as they are once idle for `hibernateAfter` (1 second by default): hibernated
  genserver: GenServer.childSpec(Server, 0, { id: "idle", hibernateAfter: 0 }),
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

/** The stop times of a spawn measurement (the peers': those measured at the full size). */
export interface StopTimes {
  readonly library: Figures
  readonly raw: Figures
  readonly peers: ReadonlyMap<string, Figures>
}

export interface SpawnResult {
  readonly rows: ReadonlyArray<Row>
  readonly stop: StopTimes
}

/**
 * `peers`: "none", "linear" (the peers that run at any size: the scaling row's base) or
 * "all" (the capped ones too). Peers run GenServer-like children only.
 */
export const spawnRows = async (
  kind: ChildKind,
  n: number,
  repetitions: number,
  warmup: number,
  peers: "none" | "linear" | "all" = "none"
): Promise<SpawnResult> => {
  const label = `spawn ${count(n)} ${kindLabel[kind]} children`
  const peerRuns = peers === "none" ? { runs: [], sizes: [] } : spawnPeerRuns(n, peers === "all")
  const result = await compare(
    label,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(raw(Math.ceil(n / 10))),
      library: () => run(library(kind, Math.ceil(n / 10)))
    },
    () => run(raw(n)),
    () => run(library(kind, n)),
    peerRuns.runs
  )
  return spawnResult(kind, n, result, peerRuns.sizes)
}

/** The rows of a spawn measurement. */
export const spawnResult = (
  kind: ChildKind,
  n: number,
  result: {
    readonly raw: Record<keyof Sample, Figures>
    readonly library: Record<keyof Sample, Figures>
    readonly peers?: ReadonlyMap<string, Record<keyof Sample, Figures>>
  },
  peerSizes: ReadonlyArray<SpawnPeerSize> = []
): SpawnResult => {
  const label = `spawn ${count(n)} ${kindLabel[kind]} children`
  const measured = result.peers ?? new Map()
  const row = (metric: string, key: keyof Sample, unit: string, max: number, k = 1): Row => ({
    workload: label,
    metric,
    unit,
    library: scale(result.library[key], k),
    raw: scale(result.raw[key], k),
    target: { kind: "ratio", max },
    peers: spawnPeerCells(n, peerSizes, measured, key, k),
    // the targets: library ÷ best peer ≤ 1 (GenServer children)
    peerTarget: kind === "genserver" ? 1 : undefined
  })
  const stopPeers = new Map<string, Figures>()
  for (const peer of peerSizes) {
    const stop = measured.get(peer.name)?.stop
    if (peer.measured === n && stop !== undefined) stopPeers.set(peer.name, stop)
  }
  return {
    rows: [
      row("time to start all", "start", "ms", 1.3),
      row("heap per child", "heap", "KB", 1.5, 1 / 1024),
      row("time to stop all", "stop", "ms", 1.3)
    ],
    stop: { library: result.library.stop, raw: result.raw.stop, peers: stopPeers }
  }
}

/**
 * The scaling check: stopping `big` children takes at most `k` × the time to stop
 * `small` ones (`k` = 1.2 × big/small: linear, with some slack).
 */
export const scalingRow = (
  kind: ChildKind,
  small: { readonly n: number; readonly stop: StopTimes },
  big: { readonly n: number; readonly stop: StopTimes }
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
    target: { kind: "value", max: k, label: "library" },
    peers: [...big.stop.peers].flatMap(([peer, stop]): ReadonlyArray<PeerCell> => {
      const base = small.stop.peers.get(peer)
      return base === undefined ? [] : [{ peer, figures: ratioOf(stop, base) }]
    })
  }
}
