/**
 * A small benchmark harness: each workload is measured for the library and for raw
 * Effect doing the same work, in the same process, median of N repetitions after a
 * warm-up. Benchmarks read real time (performance.now): they measure, they are not tests.
 */
import * as os from "node:os"

export interface Figures {
  readonly median: number
  readonly min: number
  readonly max: number
}

export interface Row {
  readonly workload: string
  readonly metric: string
  readonly unit: string
  readonly library: Figures
  readonly raw: Figures
  readonly target?: string | undefined
  /** `true` when a smaller library ÷ raw ratio is better (times, bytes). */
  readonly lowerIsBetter: boolean
}

export const quick = process.argv.includes("--quick")

export const figures = (samples: ReadonlyArray<number>): Figures => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] }
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

/** Runs `sample` `warmup` times unmeasured, then `repetitions` times, and returns every sample's values. */
export const repeat = async <K extends string>(
  repetitions: number,
  warmup: number,
  sample: () => Promise<Record<K, number>>
): Promise<Record<K, Figures>> => {
  for (let i = 0; i < warmup; i++) await sample()
  const all: Array<Record<K, number>> = []
  for (let i = 0; i < repetitions; i++) all.push(await sample())
  const keys = Object.keys(all[0]) as Array<K>
  const result = {} as Record<K, Figures>
  for (const key of keys) result[key] = figures(all.map((values) => values[key]))
  return result
}

const format = (value: number, unit: string): string => {
  if (unit === "ms") return value >= 100 ? value.toFixed(0) : value.toFixed(2)
  if (unit === "µs") return value.toFixed(2)
  if (unit === "KB") return value.toFixed(2)
  if (unit === "/s") return value >= 1000 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1)
  return value.toFixed(2)
}

const range = (f: Figures, unit: string) => `${format(f.min, unit)}–${format(f.max, unit)}`

export const ratio = (row: Row): number => row.library.median / row.raw.median

export const machine = (): string => {
  const cpus = os.cpus()
  return `${cpus[0]?.model ?? "unknown cpu"}, ${cpus.length} cores, ${
    (os.totalmem() / 2 ** 30).toFixed(0)
  } GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
}

export const table = (rows: ReadonlyArray<Row>): string => {
  const header =
    "| workload | metric | library (median, min–max) | raw Effect (median, min–max) | library ÷ raw | target |"
  const lines = [header, "|---|---|---|---|---|---|"]
  for (const row of rows) {
    lines.push(
      `| ${row.workload} | ${row.metric} | ${format(row.library.median, row.unit)} ${row.unit} (${
        range(row.library, row.unit)
      }) | ${format(row.raw.median, row.unit)} ${row.unit} (${range(row.raw, row.unit)}) | ${ratio(row).toFixed(2)} | ${
        row.target ?? ""
      } |`
    )
  }
  return lines.join("\n")
}
