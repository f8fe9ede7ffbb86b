/**
 * The JavaScript actor libraries measured beside the library (issue 16): nact, XState
 * and Comedy, each running the same workloads (bench/peers/*.ts, written from their
 * documentation). They are dev dependencies of the benchmarks only (bench/package.json).
 * What a peer cannot do, or cannot do at the full size in reasonable time, is said in
 * its cells instead of being run.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { benchDir, count, type Figures, type PeerCell, type PeerRun, quick, type RestartSample } from "./harness.js"
import * as comedy from "./peers/comedy.js"
import * as nact from "./peers/nact.js"
import * as xstate from "./peers/xstate.js"

const version = (name: string): string =>
  JSON.parse(fs.readFileSync(path.join(benchDir, "..", "node_modules", name, "package.json"), "utf8")).version

export const peerNames = {
  nact: `nact ${version("nact")}`,
  xstate: `xstate ${version("xstate")}`,
  comedy: `comedy ${version("comedy")}`
} as const

/** The table's peer columns, in order. */
export const peerColumns: ReadonlyArray<string> = [peerNames.nact, peerNames.xstate, peerNames.comedy]

// -----------------------------------------------------------------------------
// Spawn
// -----------------------------------------------------------------------------

export interface SpawnSample extends Record<"start" | "heap" | "stop", number> {}

type Growth = "linear" | "quadratic"

/** A peer on the spawn workload; `cap`: the most children it is run with (its stop, or start, is quadratic). */
interface SpawnPeer {
  readonly name: string
  readonly sample: (n: number) => Promise<SpawnSample>
  readonly cap: number | undefined
  readonly start: Growth
  readonly stop: Growth
}

/**
 * XState's `spawnChild` and `stopChild` each copy the parent's children object (its stop
 * takes seconds at 1,000 children); Comedy's stop is quadratic (each stopped child is
 * removed from its parent's array with a copy).
 */
export const spawnCaps = { xstate: quick ? 300 : 1_000, comedy: quick ? 1_000 : 2_000 }

const spawnPeers: ReadonlyArray<SpawnPeer> = [
  { name: peerNames.nact, sample: nact.spawnSample, cap: undefined, start: "linear", stop: "linear" },
  { name: peerNames.xstate, sample: xstate.spawnSample, cap: spawnCaps.xstate, start: "quadratic", stop: "quadratic" },
  { name: peerNames.comedy, sample: comedy.spawnSample, cap: spawnCaps.comedy, start: "linear", stop: "quadratic" }
]

/** A spawn peer as measured at `n` children: the size it ran at, and how to read it. */
export interface SpawnPeerSize {
  readonly name: string
  readonly measured: number
  readonly start: Growth
  readonly stop: Growth
}

/** The peers' runs for spawning `n` children (`all`: the capped peers too). */
export const spawnPeerRuns = (n: number, all: boolean): {
  readonly runs: ReadonlyArray<PeerRun<keyof SpawnSample>>
  readonly sizes: ReadonlyArray<SpawnPeerSize>
} => {
  const chosen = spawnPeers.filter((peer) => all || peer.cap === undefined)
  const sizes = chosen.map((peer) => ({ ...peer, measured: Math.min(n, peer.cap ?? n) }))
  return {
    runs: sizes.map((peer) => ({
      name: peer.name,
      sample: () => peer.sample(peer.measured),
      warmup: () => peer.sample(Math.ceil(peer.measured / 10))
    })),
    sizes
  }
}

/**
 * The peer cells of a spawn row. A peer run at fewer children than `n` counts for its heap
 * per child only; its times are shown as measured (quadratic) or scaled linearly (~).
 */
export const spawnPeerCells = (
  n: number,
  sizes: ReadonlyArray<SpawnPeerSize>,
  measured: ReadonlyMap<string, Record<keyof SpawnSample, Figures>>,
  key: keyof SpawnSample,
  k: number
): ReadonlyArray<PeerCell> =>
  sizes.flatMap((peer): ReadonlyArray<PeerCell> => {
    const figures = measured.get(peer.name)?.[key]
    if (figures === undefined) return []
    const value = { median: figures.median * k, min: figures.min * k, max: figures.max * k }
    if (peer.measured === n) return [{ peer: peer.name, figures: value }]
    if (key === "heap") return [{ peer: peer.name, figures: value, text: `(at ${count(peer.measured)})` }]
    const growth = key === "start" ? peer.start : peer.stop
    const factor = n / peer.measured
    return [{
      peer: peer.name,
      text: growth === "quadratic"
        ? `quadratic: ${value.median.toFixed(0)} ms at ${count(peer.measured)}`
        : `~${(value.median * factor).toFixed(0)} ms (×${factor} of ${count(peer.measured)})`
    }]
  })

// -----------------------------------------------------------------------------
// Restart, call, cast
// -----------------------------------------------------------------------------

export const restartPeerRuns = (kills: number, warmupKills: number): ReadonlyArray<PeerRun<keyof RestartSample>> => [
  { name: peerNames.nact, sample: () => nact.restartSample(kills), warmup: () => nact.restartSample(warmupKills) },
  { name: peerNames.xstate, sample: () => xstate.restartSample(kills), warmup: () => xstate.restartSample(warmupKills) }
]

/** What the peers that have no restart workload say instead. */
export const restartPeerTexts: Readonly<Record<string, string>> = {
  [peerNames.comedy]: "no restarts in memory (respawn is for forked actors)"
}

/**
 * The most calls or casts in one peer sample: the figures are per operation, and the
 * slowest peers take 10–40 µs per operation (a million would take minutes per sample).
 */
export const peerOperations = quick ? 10_000 : 100_000

export const callPeerRuns = (clients: number, each: number): ReadonlyArray<PeerRun<"perCall">> => {
  const capped = Math.max(1, Math.min(each, Math.floor(peerOperations / clients)))
  return [nact, xstate, comedy].map((peer, i) => ({
    name: peerColumns[i],
    sample: () => peer.callSample(clients, capped),
    warmup: () => peer.callSample(clients, Math.ceil(capped / 10))
  }))
}

export const castPeerRuns = (n: number): ReadonlyArray<PeerRun<"perCast">> => {
  const capped = Math.min(n, peerOperations)
  return [nact, xstate, comedy].map((peer, i) => ({
    name: peerColumns[i],
    sample: () => peer.castSample(capped),
    warmup: () => peer.castSample(Math.ceil(capped / 10))
  }))
}
