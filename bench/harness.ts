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

export interface Row {
  readonly workload: string
  readonly metric: string
  readonly unit: string
  readonly library: Figures
  /** Absent when the row has no raw counterpart. */
  readonly raw?: Figures | undefined
  readonly target?: Target | undefined
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

/**
 * Measures raw and library side by side: the warm-up rounds (unmeasured), then
 * `repetitions` rounds, each a raw sample then a library sample (alternating, so that
 * both see the same background load).
 */
export const compare = async <K extends string>(
  label: string,
  repetitions: number,
  warmup: Warmup<K>,
  raw: Sample<K>,
  library: Sample<K>
): Promise<{ readonly raw: Record<K, Figures>; readonly library: Record<K, Figures> }> => {
  const started = performance.now()
  for (let i = 0; i < warmup.rounds; i++) {
    await (warmup.raw ?? raw)()
    await settle()
    await (warmup.library ?? library)()
    await settle()
  }
  const rawSamples: Array<Record<K, number>> = []
  const libSamples: Array<Record<K, number>> = []
  for (let i = 0; i < repetitions; i++) {
    gc()
    rawSamples.push(await raw())
    await settle()
    gc()
    libSamples.push(await library())
    await settle()
  }
  progress(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return { raw: collect(rawSamples), library: collect(libSamples) }
}

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

export const table = (rows: ReadonlyArray<Row>): string => {
  const lines = [
    "| workload | metric | library (median, min–max) | raw Effect (median, min–max) | library ÷ raw | target | |",
    "|---|---|---|---|---|---|---|"
  ]
  for (const row of rows) {
    const r = ratio(row)
    const m = met(row)
    lines.push(
      `| ${row.workload} | ${row.metric} | ${cell(row.library, row.unit)} | ${cell(row.raw, row.unit)} | ${
        r === undefined ? "–" : r.toFixed(2)
      } | ${targetLabel(row.target)} | ${m === undefined ? "" : m ? "met" : "**missed**"} |`
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
