/**
 * Runs the library side of one workload, for a CPU profile:
 *
 *   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts <workload> [size] [rounds]
 *   npx tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile
 *
 * workloads: spawn (idle GenServer children), spawn-effect, restart, call, call-name,
 * call-clients, cast, tree-effect, tree-genserver, tree-nested. The first round is a
 * warm-up; the profile covers all rounds. The library is the compiled build (see
 * build.ts): the summary maps its frames back to src/ through the build's source maps.
 */
import { useBuild } from "./build.js"

useBuild()
const { librarySample: callSample } = await import("./call.js")
const { librarySample: castSample } = await import("./cast.js")
const { librarySample: restartSample } = await import("./restart.js")
const { librarySample: spawnSample } = await import("./spawn.js")
const { librarySample: treeSample } = await import("./tree.js")

const workload = process.argv[2] ?? "spawn"
const size = process.argv[3] === undefined ? undefined : Number(process.argv[3])
const rounds = Number(process.argv[4] ?? 3)

const samples: Record<string, (n: number | undefined) => Promise<unknown>> = {
  "spawn": (n) => spawnSample("genserver", n ?? 50_000),
  "spawn-effect": (n) => spawnSample("effect", n ?? 50_000),
  "restart": (n) => restartSample(n ?? 10_000),
  "call": (n) => callSample("ref", 1, n ?? 300_000),
  "call-name": (n) => callSample("name", 1, n ?? 300_000),
  "call-clients": (n) => callSample("ref", 100, n ?? 3_000),
  "cast": (n) => castSample(n ?? 1_000_000),
  "tree-effect": (n) => treeSample("flat-effect", n ?? 1_000, 10),
  "tree-genserver": (n) => treeSample("flat-genserver", n ?? 1_000, 10),
  "tree-nested": () => treeSample("nested", 0, 10)
}

const sample = samples[workload]
if (sample === undefined) throw new Error(`unknown workload ${workload}: ${Object.keys(samples).join(", ")}`)
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now()
  const result = await sample(size)
  console.log(`${workload} round ${i + 1}: ${(performance.now() - t0).toFixed(0)} ms`, JSON.stringify(result))
}
