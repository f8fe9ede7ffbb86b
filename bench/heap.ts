/**
 * What one idle GenServer child of a DynamicSupervisor keeps alive, by kind of object:
 * two heap snapshots (before and after starting N children) compared, per child.
 *
 *   node --expose-gc --import tsx bench/heap.ts [N] [hibernateAfter]
 *
 * `hibernateAfter` (the children's option, in milliseconds or `infinity`) defaults to 0:
 * idle children hibernated; `infinity` measures children parked on their fibers.
 *
 * The library is the compiled build (see build.ts; `npm run build` first). Prints the
 * bytes and objects per child, most first; writes its snapshots to the system's
 * temporary folder.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as v8 from "node:v8"
import { useBuild } from "./build.js"
useBuild()
const { DynamicSupervisor } = await import("@effect-otp/dynamic-supervisor")
const { GenServer } = await import("@effect-otp/supervisor")
const { Effect, Scope, Exit } = await import("effect")
const { Server } = await import("./servers.js")

interface HeapSnapshot {
  readonly snapshot: {
    readonly meta: { readonly node_fields: ReadonlyArray<string>; readonly node_types: [ReadonlyArray<string>] }
  }
  readonly nodes: ReadonlyArray<number>
  readonly strings: ReadonlyArray<string>
}

const summarize = (file: string) => {
  const snap = JSON.parse(fs.readFileSync(file, "utf8")) as HeapSnapshot
  const types = snap.snapshot.meta.node_types[0]
  const nf = snap.snapshot.meta.node_fields.length
  const { nodes, strings } = snap
  const by = new Map<string, { count: number; size: number }>()
  for (let i = 0; i < nodes.length; i += nf) {
    const type = types[nodes[i]]
    const name = type === "object" || type === "closure" ? `${type}:${strings[nodes[i + 1]]}` : type
    const e = by.get(name) ?? { count: 0, size: 0 }
    e.count++
    e.size += nodes[i + 3]
    by.set(name, e)
  }
  return by
}
const N = Number(process.argv[2] ?? 10_000)
const hibernateAfter = process.argv[3] === "infinity" ? Infinity : Number(process.argv[3] ?? 0)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {
  throw new Error("run with --expose-gc")
})
await Effect.runPromise(Effect.gen(function*() {
  const scope = yield* Scope.make()
  const sup = yield* Scope.extend(DynamicSupervisor.start(), scope)
  const spec = GenServer.childSpec(Server, 0, { id: "idle", hibernateAfter })
  yield* DynamicSupervisor.startChild(sup, spec)
  gc()
  const f0 = v8.writeHeapSnapshot(path.join(os.tmpdir(), "effect-otp-before.heapsnapshot"))
  for (let i = 0; i < N; i++) yield* DynamicSupervisor.startChild(sup, spec)
  yield* Effect.yieldNow()
  gc()
  const f1 = v8.writeHeapSnapshot(path.join(os.tmpdir(), "effect-otp-after.heapsnapshot"))
  const a = summarize(f0), b = summarize(f1)
  const rows: Array<[string, number, number]> = []
  for (const [k, v] of b) {
    const o = a.get(k) ?? { count: 0, size: 0 }
    const dc = (v.count - o.count) / N, ds = (v.size - o.size) / N
    if (ds > 8) rows.push([k, dc, ds])
  }
  rows.sort((x, y) => y[2] - x[2])
  let total = 0
  for (const r of rows) total += r[2]
  for (const r of rows.slice(0, 40)) console.log(r[2].toFixed(0).padStart(6), r[1].toFixed(2).padStart(6), r[0])
  console.log("total listed", total.toFixed(0))
  yield* Scope.close(scope, Exit.void)
}))
