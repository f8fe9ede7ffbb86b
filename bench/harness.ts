/**
 * A small benchmark harness: each workload is measured for the library and for raw
 * Effect doing the same work, in the same process, median of N repetitions after a
 * warm-up (library and raw samples alternate, so that both see the same noise).
 * Benchmarks read real time (performance.now): they measure, they are not tests.
 */
import { Effect, Logger, LogLevel } from "effect"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export interface Figures {
  readonly median: number
  readonly min: number
  readonly max: number
}

/**
 * What a row is checked against. `ratio`: library ÷ raw at most `max`. `value`: the
 * library figure itself at most `max` (e.g. a scaling factor).
 */
export type Target =
  | { readonly kind: "ratio"; readonly max: number }
  | { readonly kind: "value"; readonly max: number; readonly label: string }

/**
 * One peer's cell in a row: `figures` when the peer ran the same workload at the same
 * size (it then counts for "best peer"); `text` when it could not, or ran it at a capped
 * size (shown, not counted, unless `figures` is given too).
 */
export interface PeerCell {
  readonly peer: string
  readonly figures?: Figures | undefined
  readonly text?: string | undefined
}

export interface Row {
  readonly workload: string
  readonly metric: string
  readonly unit: string
  readonly library: Figures
  /** Absent when the row has no raw counterpart. */
  readonly raw?: Figures | undefined
  readonly target?: Target | undefined
  /** The actor libraries on the same workload (see peers.ts). */
  readonly peers?: ReadonlyArray<PeerCell> | undefined
  /** Target for library ÷ best peer: at most this. */
  readonly peerTarget?: number | undefined
  /** A short note printed after the table (e.g. why a row is missing). */
  readonly note?: string | undefined
}

// -----------------------------------------------------------------------------
// Command line
// -----------------------------------------------------------------------------

export const quick = process.argv.includes("--quick")

/** `--only=spawn,call` runs a subset of the workloads (not written to RESULTS.md). */
export const only: ReadonlyArray<string> | undefined = (() => {
  const arg = process.argv.find((a) => a.startsWith("--only="))
  return arg === undefined ? undefined : arg.slice("--only=".length).split(",").filter((s) => s.length > 0)
})()

export const benchDir = path.dirname(fileURLToPath(import.meta.url))

/** Progress on stderr, so that stdout is the table. */
export const progress = (message: string): void => {
  process.stderr.write(`  · ${message}\n`)
}

// -----------------------------------------------------------------------------
// Running
// -----------------------------------------------------------------------------

/**
 * Runs one sample. Logs are off on both sides (`Logger.withMinimumLogLevel(None)`): the
 * library logs every restart (info) and every crash (error), and writing those lines to
 * a terminal would measure the terminal. The log calls themselves still run.
 */
export const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(Logger.withMinimumLogLevel(effect, LogLevel.None))

// -----------------------------------------------------------------------------
// Measuring
// -----------------------------------------------------------------------------

export const figures = (samples: ReadonlyArray<number>): Figures => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] }
}

export const scale = (f: Figures, k: number): Figures => ({ median: f.median * k, min: f.min * k, max: f.max * k })

/** A sample's percentile (`p` in [0, 1]) of an unsorted array of numbers. */
export const percentile = (values: ArrayLike<number>, p: number): number => {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
}

/** What a restart sample measures: latencies (µs) from the crash until the new incarnation answers. */
export interface RestartSample extends Record<"p50" | "p99" | "max" | "rate" | "first" | "last" | "growth", number> {}

/**
 * A restart sample from its latencies (µs) and its total time (ms): percentiles, restarts
 * per second, and the p50 of the first and of the last 1,000 (flat with history: growth ≈ 1).
 */
export const restartSummary = (latencies: Float64Array, totalMs: number): RestartSample => {
  const window = Math.min(1000, Math.floor(latencies.length / 2))
  const first = percentile(latencies.subarray(0, window), 0.5)
  const last = percentile(latencies.subarray(latencies.length - window), 0.5)
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: percentile(latencies, 1),
    rate: latencies.length / (totalMs / 1000),
    first,
    last,
    growth: last / first
  }
}

export const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect !== undefined) {
    collect()
    collect()
  }
}

export const heapUsed = (): number => {
  gc()
  return process.memoryUsage().heapUsed
}

/** Lets timers and I/O callbacks that piled up run before the next sample. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5))

type Sample<K extends string> = () => Promise<Record<K, number>>

const collect = <K extends string>(all: ReadonlyArray<Record<K, number>>): Record<K, Figures> => {
  const keys = Object.keys(all[0]) as Array<K>
  const result = {} as Record<K, Figures>
  for (const key of keys) result[key] = figures(all.map((values) => values[key]))
  return result
}

/** Runs `sample` `warmup` times unmeasured, then `repetitions` times, and returns every sample's figures. */
export const repeat = async <K extends string>(
  repetitions: number,
  warmup: number,
  sample: Sample<K>
): Promise<Record<K, Figures>> => {
  for (let i = 0; i < warmup; i++) {
    await sample()
    await settle()
  }
  const all: Array<Record<K, number>> = []
  for (let i = 0; i < repetitions; i++) {
    gc()
    all.push(await sample())
    await settle()
  }
  return collect(all)
}

/** Warm-up rounds before the measured ones, optionally with smaller samples (e.g. a tenth of the work). */
export interface Warmup<K extends string> {
  readonly rounds: number
  readonly raw?: Sample<K> | undefined
  readonly library?: Sample<K> | undefined
}

/** A peer's side of a workload: its samples, and optionally smaller warm-up samples. */
export interface PeerRun<K extends string> {
  readonly name: string
  readonly sample: Sample<K>
  readonly warmup?: Sample<K> | undefined
}

/**
 * Measures raw and library (and the peers) side by side: the warm-up rounds
 * (unmeasured), then `repetitions` rounds, each a raw sample, a library sample and one
 * sample of each peer (alternating, so that all see the same background load).
 */
export const compare = async <K extends string>(
  label: string,
  repetitions: number,
  warmup: Warmup<K>,
  raw: Sample<K>,
  library: Sample<K>,
  peers: ReadonlyArray<PeerRun<K>> = []
): Promise<{
  readonly raw: Record<K, Figures>
  readonly library: Record<K, Figures>
  readonly peers: ReadonlyMap<string, Record<K, Figures>>
}> => {
  const started = performance.now()
  for (let i = 0; i < warmup.rounds; i++) {
    await (warmup.raw ?? raw)()
    await settle()
    await (warmup.library ?? library)()
    await settle()
    for (const peer of peers) {
      await (peer.warmup ?? peer.sample)()
      await settle()
    }
  }
  const rawSamples: Array<Record<K, number>> = []
  const libSamples: Array<Record<K, number>> = []
  const peerSamples = peers.map((): Array<Record<K, number>> => [])
  for (let i = 0; i < repetitions; i++) {
    gc()
    rawSamples.push(await raw())
    await settle()
    gc()
    libSamples.push(await library())
    await settle()
    for (let j = 0; j < peers.length; j++) {
      gc()
      peerSamples[j].push(await peers[j].sample())
      await settle()
    }
  }
  const names = peers.length === 0 ? "" : ` (with ${peers.map((peer) => peer.name).join(", ")})`
  progress(`${label}${names}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return {
    raw: collect(rawSamples),
    library: collect(libSamples),
    peers: new Map(peers.map((peer, j) => [peer.name, collect(peerSamples[j])]))
  }
}

/** The peer cells of a row: `key` of each peer's figures, `text` for the peers in `texts` (by name). */
export const peerCells = <K extends string>(
  names: ReadonlyArray<string>,
  measured: ReadonlyMap<string, Record<K, Figures>>,
  key: K,
  texts: Readonly<Record<string, string>> = {},
  k = 1
): ReadonlyArray<PeerCell> =>
  names.map((peer) => {
    const figures = measured.get(peer)?.[key]
    return {
      peer,
      figures: figures === undefined || Number.isNaN(figures.median) ? undefined : scale(figures, k),
      text: texts[peer]
    }
  })

// -----------------------------------------------------------------------------
// The table
// -----------------------------------------------------------------------------

const format = (value: number, unit: string): string => {
  if (!Number.isFinite(value)) return String(value)
  if (unit === "ms") return value >= 100 ? value.toFixed(0) : value.toFixed(2)
  if (unit === "µs") return value >= 100 ? value.toFixed(0) : value.toFixed(2)
  if (unit === "KB") return value.toFixed(2)
  if (unit === "/s") return Math.round(value).toLocaleString("en-US")
  return value.toFixed(2)
}

const cell = (f: Figures | undefined, unit: string) =>
  f === undefined ? "–" : `${format(f.median, unit)} ${unit} (${format(f.min, unit)}–${format(f.max, unit)})`

export const ratio = (row: Row): number | undefined =>
  row.raw === undefined ? undefined : row.library.median / row.raw.median

/** Rates (per second) are better higher; everything else lower. */
const higherIsBetter = (row: Row) => row.unit === "/s"

/** The best peer figure of a row (among the peers that ran the same workload), and whose. */
export const bestPeer = (row: Row): { readonly peer: string; readonly median: number } | undefined => {
  let best: { readonly peer: string; readonly median: number } | undefined
  for (const cell of row.peers ?? []) {
    if (cell.figures === undefined) continue
    const median = cell.figures.median
    if (best === undefined || (higherIsBetter(row) ? median > best.median : median < best.median)) {
      best = { peer: cell.peer, median }
    }
  }
  return best
}

export const peerRatio = (row: Row): number | undefined => {
  const best = bestPeer(row)
  return best === undefined ? undefined : row.library.median / best.median
}

const targetLabel = (target: Target | undefined): string =>
  target === undefined ? "" : target.kind === "ratio" ? `≤ ${target.max}` : `${target.label} ≤ ${target.max}`

/** `true` met, `false` missed, `undefined` no target. */
export const met = (row: Row): boolean | undefined => {
  const target = row.target
  if (target === undefined) return undefined
  if (target.kind === "value") return row.library.median <= target.max
  const r = ratio(row)
  return r === undefined ? undefined : r <= target.max
}

/** The peer target: `true` met, `false` missed, `undefined` no target (or no peer figure). */
export const metPeers = (row: Row): boolean | undefined => {
  if (row.peerTarget === undefined) return undefined
  const r = peerRatio(row)
  return r === undefined ? undefined : r <= row.peerTarget
}

const status = (m: boolean | undefined) => m === undefined ? "" : m ? " met" : " **missed**"

const peerCell = (row: Row, peer: string): string => {
  const found = row.peers?.find((cell) => cell.peer === peer)
  if (found === undefined) return "–"
  const figure = found.figures === undefined ? "" : `${format(found.figures.median, row.unit)} ${row.unit}`
  if (found.text === undefined) return figure === "" ? "–" : figure
  return figure === "" ? found.text : `${figure} ${found.text}`
}

/**
 * The table: per row, the library, raw Effect and each peer (medians; min–max for the
 * library and raw Effect), library ÷ raw and library ÷ best peer with their targets.
 */
export const table = (rows: ReadonlyArray<Row>, peerNames: ReadonlyArray<string> = []): string => {
  const lines = [
    `| workload | metric | library (median, min–max) | raw Effect (median, min–max) | ${
      peerNames.map((name) => `${name} |`).join(" ")
    } library ÷ raw | target | library ÷ best peer | target |`,
    `|---|---|---|---|${peerNames.map(() => "---|").join("")}---|---|---|---|`
  ]
  for (const row of rows) {
    const r = ratio(row)
    const best = bestPeer(row)
    const p = peerRatio(row)
    lines.push(
      `| ${row.workload} | ${row.metric} | ${cell(row.library, row.unit)} | ${cell(row.raw, row.unit)} | ${
        peerNames.map((name) => `${peerCell(row, name)} |`).join(" ")
      } ${r === undefined ? "–" : r.toFixed(2)} | ${targetLabel(row.target)}${status(met(row))} | ${
        p === undefined || best === undefined ? "–" : `${p.toFixed(2)} (${best.peer})`
      } | ${row.peerTarget === undefined ? "" : `≤ ${row.peerTarget}`}${status(metPeers(row))} |`
    )
  }
  return lines.join("\n")
}

export const notes = (rows: ReadonlyArray<Row>): ReadonlyArray<string> =>
  rows.flatMap((row) => row.note === undefined ? [] : [row.note])

export const machine = (): string => {
  const cpus = os.cpus()
  return `${cpus[0]?.model ?? "unknown cpu"}, ${cpus.length} cores, ${
    (os.totalmem() / 2 ** 30).toFixed(0)
  } GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
}

export const count = (n: number): string => n.toLocaleString("en-US")
