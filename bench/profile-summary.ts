/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time and inclusive time
 * by function (file:line), and self time by area (the library's packages, effect, node,
 * GC). `npx tsx bench/profile-summary.ts [--top=N] [--callers=text] <file.cpuprofile>...`
 * (profiles under 100 ms, e.g. tsx's loader thread, are skipped). `--callers=text`: the
 * time of the frames whose name or place contains `text`, by their 4 nearest callers.
 */
import * as fs from "node:fs"
import * as path from "node:path"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
  readonly columnNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: ReadonlyArray<number>
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const args = process.argv.slice(2)
const top = Number(args.find((arg) => arg.startsWith("--top="))?.slice("--top=".length) ?? 30)
const callersOf = args.find((arg) => arg.startsWith("--callers="))?.slice("--callers=".length)
const files = args.filter((arg) => !arg.startsWith("--"))
if (files.length === 0) throw new Error("usage: profile-summary [--top=N] <file.cpuprofile>...")

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")

// --- source maps of the compiled packages (build/esm/*.js.map → src/*.ts) -------------

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Per generated line, the segments [generated column, source index, source line]. */
type Mappings = Array<Array<readonly [number, number, number]>>

const decode = (mappings: string): Mappings => {
  const lines: Mappings = []
  let source = 0
  let sourceLine = 0
  for (const line of mappings.split(";")) {
    const segments: Array<readonly [number, number, number]> = []
    let column = 0
    for (const segment of line.split(",")) {
      if (segment === "") continue
      const values: Array<number> = []
      let value = 0
      let shift = 0
      for (const char of segment) {
        const digit = BASE64.indexOf(char)
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      column += values[0]
      if (values.length >= 4) {
        source += values[1]
        sourceLine += values[2]
        segments.push([column, source, sourceLine])
      }
    }
    lines.push(segments)
  }
  return lines
}

const maps = new Map<string, { sources: ReadonlyArray<string>; lines: Mappings } | null>()

/** The src/ position of a position in a compiled file, through its source map. */
const original = (file: string, line: number, column: number): string | undefined => {
  let map = maps.get(file)
  if (map === undefined) {
    try {
      const raw = JSON.parse(fs.readFileSync(`${file}.map`, "utf8")) as { sources: Array<string>; mappings: string }
      map = { sources: raw.sources.map((s) => path.resolve(path.dirname(file), s)), lines: decode(raw.mappings) }
    } catch {
      map = null
    }
    maps.set(file, map)
  }
  if (map === null) return undefined
  const segments = map.lines[line] ?? []
  let best: readonly [number, number, number] | undefined = undefined
  for (const segment of segments) {
    if (segment[0] <= column) best = segment
    else break
  }
  best ??= segments[0]
  return best === undefined ? undefined : `${path.relative(root, map.sources[best[1]])}:${best[2] + 1}`
}

const where = (frame: CallFrame): string => {
  let url = frame.url.replace(/^file:\/\//, "")
  if (url.includes("/build/esm/")) {
    const mapped = original(url, frame.lineNumber, frame.columnNumber)
    if (mapped !== undefined) return mapped
  }
  if (url.startsWith(root)) url = path.relative(root, url)
  url = url.replace(/^node_modules\/effect\/dist\/esm\//, "effect/")
  return url === "" ? "" : `${url}:${frame.lineNumber + 1}`
}

const area = (frame: CallFrame): string => {
  const url = frame.url
  if (url.includes("/packages/supervisor/")) return "@effect-otp/supervisor"
  if (url.includes("/packages/dynamic-supervisor/")) return "@effect-otp/dynamic-supervisor"
  if (url.includes("/node_modules/effect/")) return "effect"
  if (url.includes("/bench/")) return "bench"
  if (frame.functionName === "(garbage collector)") return "GC"
  if (frame.functionName === "(idle)") return "idle"
  if (frame.functionName === "(program)") return "(program)"
  return url === "" ? "native" : url.startsWith("node:") ? "node" : "other"
}

const key = (frame: CallFrame) => `${frame.functionName || "(anonymous)"} ${where(frame)}`

const summarize = (file: string) => {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    byId.set(node.id, node)
    for (const child of node.children ?? []) parent.set(child, node.id)
  }

  const selfTime = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const areas = new Map<string, number>()
  const callers = new Map<string, number>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0
    const node = byId.get(profile.samples[i])!
    total += dt
    selfTime.set(key(node.callFrame), (selfTime.get(key(node.callFrame)) ?? 0) + dt)
    areas.set(area(node.callFrame), (areas.get(area(node.callFrame)) ?? 0) + dt)
    if (callersOf !== undefined) {
      let id: number | undefined = node.id
      while (id !== undefined && !key(byId.get(id)!.callFrame).includes(callersOf)) id = parent.get(id)
      if (id !== undefined) {
        const chain: Array<string> = []
        for (let up = parent.get(id); up !== undefined && chain.length < 4; up = parent.get(up)) {
          chain.push(key(byId.get(up)!.callFrame))
        }
        const k = `${key(byId.get(id)!.callFrame)}\n      <- ${chain.join("\n      <- ")}`
        callers.set(k, (callers.get(k) ?? 0) + dt)
      }
    }
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id)!.callFrame)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt)
    }
  }

  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7)
  const pct = (us: number) => `${(100 * us / total).toFixed(1).padStart(5)}%`
  const print = (title: string, entries: Map<string, number>, n: number) => {
    console.log(`\n${title}`)
    for (const [k, v] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${ms(v)} ms ${pct(v)}  ${k}`)
    }
  }

  if (total < 100_000) return
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`)
  if (callersOf !== undefined) print(`callers of ${callersOf}`, callers, top)
  print("self time by area", areas, 20)
  print("self time by function", selfTime, top)
  print(
    "inclusive time by function (library and effect frames)",
    new Map([...inclusive].filter(([k]) => k.includes("packages/") || k.includes("effect/"))),
    top
  )
}

for (const file of files) summarize(file)
