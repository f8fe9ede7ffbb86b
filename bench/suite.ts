/**
 * The benchmark suite (run by run.ts): measures the library beside raw Effect doing the
 * same work, prints one table of figures and ratios, and (full run of every workload)
 * rewrites bench/RESULTS.md. Flags: `--quick` (smoke check, under a minute),
 * `--only=spawn,restart,call,cast,tree,storm,partition` (a subset, RESULTS.md untouched), `--no-big`
 * (leaves out the 1,000,000 children of the full run), `--source` (measures src/ through
 * tsx instead of the build).
 */
import * as childProcess from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fromSource, libraryFlags, librarySource } from "./build.js"
import { callRow } from "./call.js"
import { castRow } from "./cast.js"
import { clusterRows } from "./cluster.js"
import { crashStorm, crashStormTable } from "./crashStorm.js"
import {
  benchDir,
  count,
  type Figures,
  machine,
  met,
  metPeers,
  notes,
  only,
  progress,
  quick,
  type Row,
  table
} from "./harness.js"
import { partitionTaskRows } from "./partitionTask.js"
import { peerColumns, peerNames, peerOperations, spawnCaps } from "./peers.js"
import { restartRows } from "./restart.js"
import { scalingRow, type SpawnResult, spawnResult, spawnRows } from "./spawn.js"
import { treeRows } from "./tree.js"

/** Sizes and repetitions of each run. */
const plan = quick
  ? {
    repetitions: 3,
    warmup: 1,
    spawn: 5_000,
    spawnEffect: 0,
    spawnBig: 0,
    kills: 1_000,
    calls: 20_000,
    callsByName: 0,
    callsInfinity: 0,
    clients: 100,
    callsPerClient: 200,
    casts: 50_000,
    tree: 1_000,
    treeRepetitions: 2,
    treeWarmup: 1
  }
  : {
    repetitions: 5,
    warmup: 1,
    spawn: 100_000,
    spawnEffect: 20_000,
    spawnBig: 1_000_000,
    kills: 10_000,
    calls: 1_000_000,
    callsByName: 200_000,
    callsInfinity: 200_000,
    clients: 100,
    callsPerClient: 10_000,
    casts: 1_000_000,
    tree: 1_000,
    treeRepetitions: 10,
    treeWarmup: 2
  }

/** The full run spawns 1,000,000 children (minutes; ~14 GiB of free memory) unless `--no-big`. */
const big = !process.argv.includes("--no-big")

/** Seconds spent in the big spawn (reported apart: the full run's budget is without it). */
let bigSeconds = 0

const single = (value: number): Figures => ({ median: value, min: value, max: value })

/** The big spawn in a child process with a 16 GiB heap; a note instead when it cannot run. */
const spawnBig = (n: number, perChildBytes: number): SpawnResult | string => {
  const needed = perChildBytes * n * 1.6
  if (os.freemem() < needed) {
    return `Spawn of ${count(n)} children skipped: it needs ~${(needed / 2 ** 30).toFixed(0)} GiB of free memory, ` +
      `${(os.freemem() / 2 ** 30).toFixed(0)} GiB are free.`
  }
  progress(`spawn ${count(n)} idle GenServer children (child process, one sample per side)...`)
  const started = performance.now()
  const child = childProcess.spawnSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=16384", ...libraryFlags, path.join(benchDir, "big.ts"), String(n)],
    { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 2 ** 20 }
  )
  bigSeconds = (performance.now() - started) / 1000
  progress(`spawn ${count(n)} idle GenServer children: ${bigSeconds.toFixed(1)} s`)
  if (child.status !== 0) return `Spawn of ${count(n)} children failed (exit ${child.status ?? child.signal}).`
  const samples = JSON.parse(child.stdout) as Record<"raw" | "library", Record<"start" | "heap" | "stop", number>>
  return spawnResult("genserver", n, {
    raw: { start: single(samples.raw.start), heap: single(samples.raw.heap), stop: single(samples.raw.stop) },
    library: {
      start: single(samples.library.start),
      heap: single(samples.library.heap),
      stop: single(samples.library.stop)
    }
  })
}

/** What each row compares (RESULTS.md). */
const workloads: ReadonlyArray<string> = [
  "What each workload compares (one file per workload under bench/):",
  "",
  "- spawn.ts: `DynamicSupervisor.startChild` of idle `GenServer.childSpec` children with `hibernateAfter: 0` " +
  "(hibernated at once, as every idle server is after `hibernateAfter`, 1 second by default) (and idle plain-effect " +
  "children), one at a time, vs `FiberSet.run` of fibers that each await their own `Deferred`; heap per child " +
  "after `global.gc()`; stop = closing the scope (the dynamic supervisor stops all children at once). The " +
  "scaling row divides the stop time at N by the stop time at N/10 (linear = 10). The plain-effect rows " +
  "have no target (the issue's workload 1 is GenServer children): they show what a child costs without a " +
  "GenServer.",
  "- restart.ts: `Process.kill` of a GenServer (ref from the Registry) under a one_for_one `Supervisor` with " +
  "`Restart.unlimited`, timed until the new incarnation answers a `GenServer.call` by name; raw: a supervisor " +
  "fiber forks a Queue + Deferred server fiber, joins it with `catchAllCause` and forks the next; the client " +
  "interrupts the server fiber, awaits the next incarnation (a Deferred) and calls it.",
  "- call.ts / cast.ts: `GenServer.call` / `GenServer.cast` vs a raw server loop that takes from a `Queue` and " +
  "replies by completing each request's `Deferred` (servers.ts; same handler functions on both sides). The " +
  "handler answers at once (`Effect.succeed`): a GenServer that is idle when a call arrives answers it in the " +
  "caller's fiber. The rows \"a handler with an effect to run\" (no target) use `Effect.sync` instead: each call " +
  "then goes to the server's fiber and back, as every call did before.",
  "- cluster.ts (no target): calls to `@effect-otp/cluster` children on one runner (`TestRunner`, in this " +
  "process; raw: a bare `@effect/cluster` entity with the same call), across two runner processes (loopback, one " +
  "SQLite file), and the time from a runner's SIGKILL until all its children answer on the other (lock expiry 4 s).",
  "- tree.ts: `Supervisor.start` of N children (`ChildSpec.make({ start: Effect.never })`, GenServers) and a " +
  "10 × 10 × 10 tree of supervisors, then closing its scope; raw: the same number of fibers forked into " +
  "scopes (a scope and a fiber per supervisor), then closing them. No target (not in the issue's list).",
  "- partitionTask.ts (issue 19; no targets): `PartitionSupervisor.whereis` + `DynamicSupervisor.startChild` " +
  "over 4 partitions vs `startChild` on one plain DynamicSupervisor (the raw column); " +
  "`TaskSupervisor.asyncStream` vs `Effect.forEach` with the same concurrency (8), each element a task that " +
  "yields once.",
  "",
  "- crashStorm.ts (no ratio: raw Effect has no restarts): N `DynamicSupervisor` children under " +
  "`Restart.unlimited`, a tenth of whose incarnations crash at a random time within the storm; restarts per " +
  "second, heap before and after, and children still running once the supervisor has stopped (must be 0).",
  "",
  "Logs are off on both sides (`Logger.withMinimumLogLevel(None)`; the library's log calls still run)."
]

/** What the peer columns are (RESULTS.md and the console). */
const peerNotes = (): ReadonlyArray<string> => [
  `Peers (issue 16): ${peerColumns.join(", ")}, dev dependencies of the benchmarks only (bench/package.json), ` +
  "run by the same workloads (bench/peers/*.ts, written from their documentation) in the same alternating rounds " +
  "as raw Effect and the library; their cells are medians. Library ÷ best peer divides by the best figure among " +
  "the peers that ran the workload at the same size.",
  `Spawn: ${peerNames.xstate} runs at most ${count(spawnCaps.xstate)} children and ${peerNames.comedy} at most ${
    count(spawnCaps.comedy)
  } (XState's \`spawnChild\` and \`stopChild\` each copy the parent's children object: start and stop are ` +
  "quadratic; Comedy's stop is quadratic, each stopped child being removed from its parent's array with a copy): their heap " +
  "per child counts; their times are shown as measured (\"quadratic: … at N\") or scaled linearly (\"~\"), and do " +
  "not count. nact children need unique names (an unnamed nact actor gets a random 32-bit name, which collides " +
  "at these counts).",
  `Restart on the peers: the crash is a message whose handler throws (neither has an external kill). nact: the ` +
  "child's `onCrash` returns `ctx.reset` (re-initialized in place, same reference); XState: `invoke` with " +
  "`onError` re-entering its state (a new actor under the same `systemId`, found by `system.get`). Comedy " +
  "respawns crashed actors only in forked (child process) mode.",
  `Calls and casts on the peers: at most ${
    count(peerOperations)
  } operations per sample (the figures are per operation). nact: \`query\` (a timeout is ` +
  "required; each query sets a timer) and `dispatch`, each message handled in its own `setImmediate`; XState: " +
  "`send` of an event carrying a reply callback (XState has no request/reply from outside an actor); Comedy: " +
  "`sendAndReceive` and `send` (a reply can overtake earlier sends: the cast sample asks until all are counted)."
]

const withoutTarget = (row: Row): Row => ({ ...row, target: undefined })

const selected = (name: string) => only === undefined || only.includes(name)

const effectVersion = (): string =>
  JSON.parse(fs.readFileSync(path.join(benchDir, "..", "node_modules", "effect", "package.json"), "utf8")).version

const main = async () => {
  const started = performance.now()
  const { repetitions, warmup } = plan
  const rows: Array<Row> = []
  const add = (more: ReadonlyArray<Row>) => {
    for (const row of more) rows.push(row)
  }
  const extraNotes: Array<string> = []
  console.log(`effect-otp benchmarks (${quick ? "quick" : "full"}): ${machine()}; effect ${effectVersion()}`)
  console.log(`library: ${librarySource()}`)

  if (selected("spawn")) {
    const base = await spawnRows("genserver", plan.spawn / 10, repetitions, warmup, "linear")
    const main = await spawnRows("genserver", plan.spawn, repetitions, warmup, "all")
    add(main.rows)
    rows.push(scalingRow("genserver", { n: plan.spawn / 10, stop: base.stop }, { n: plan.spawn, stop: main.stop }))
    if (plan.spawnBig > 0) {
      if (big) {
        const result = spawnBig(plan.spawnBig, main.rows[1].library.median * 1024)
        if (typeof result === "string") extraNotes.push(result)
        else {
          add(result.rows)
          rows.push(
            scalingRow("genserver", { n: plan.spawn, stop: main.stop }, { n: plan.spawnBig, stop: result.stop })
          )
          extraNotes.push(
            `The ${count(plan.spawnBig)}-children rows are one sample each, with no warm-up, in a child process ` +
              `with a 16 GiB heap (each sample takes minutes).`
          )
        }
      } else {
        const perChild = main.rows[1].library.median
        extraNotes.push(
          `Spawn of ${count(plan.spawnBig)} children left out (\`--no-big\`): at ${
            perChild.toFixed(1)
          } KB per GenServer child it needs ~${(perChild * plan.spawnBig / 2 ** 20).toFixed(1)} GiB of live heap, ` +
            `and one sample per side takes minutes.`
        )
      }
    }
    if (plan.spawnEffect > 0) {
      add((await spawnRows("effect", plan.spawnEffect, repetitions, warmup)).rows.map(withoutTarget))
    }
  }
  if (selected("restart")) add(await restartRows(plan.kills, repetitions, warmup))
  if (selected("call")) {
    rows.push(await callRow("ref", 1, plan.calls, repetitions, warmup, 1.2, 0.8))
    if (plan.callsInfinity > 0) rows.push(await callRow("infinity", 1, plan.callsInfinity, repetitions, warmup, 1.2))
    if (plan.callsByName > 0) rows.push(await callRow("name", 1, plan.callsByName, repetitions, warmup, undefined))
    rows.push(await callRow("ref", plan.clients, plan.callsPerClient, repetitions, warmup, 1.2, 0.8))
    // the same calls through the server's fiber (no target: the handler answers at once)
    rows.push(
      await callRow(
        "fiber",
        1,
        plan.callsInfinity > 0 ? plan.callsInfinity : plan.calls,
        repetitions,
        warmup,
        undefined
      )
    )
    rows.push(await callRow("fiber", plan.clients, plan.callsPerClient, repetitions, warmup, undefined))
  }
  if (selected("cast")) rows.push(await castRow(plan.casts, repetitions, warmup))
  if (selected("cluster")) add(await clusterRows(quick, repetitions, warmup))
  if (selected("partition")) {
    add(await partitionTaskRows(quick ? 10_000 : 100_000, quick ? 10_000 : 100_000, repetitions, warmup))
  }
  if (selected("tree")) {
    const { tree, treeRepetitions, treeWarmup } = plan
    add(await treeRows("flat-effect", tree, 10, treeRepetitions, treeWarmup))
    add(await treeRows("flat-genserver", tree, 10, treeRepetitions, treeWarmup))
    add(await treeRows("nested", tree, 10, treeRepetitions, treeWarmup))
  }

  let storm = ""
  if (selected("storm")) {
    progress("crash storm...")
    storm = crashStormTable(await crashStorm(quick ? 5_000 : 100_000, quick ? 1 : 5))
  }

  const output = table(rows, peerColumns)
  const allNotes = [...notes(rows), ...peerNotes(), ...extraNotes]
  const missed = rows.flatMap((row) => [met(row), metPeers(row)]).filter((m) => m === false)
  const targets = rows.flatMap((row) => [met(row), metPeers(row)]).filter((m) => m !== undefined)
  const elapsed = (performance.now() - started) / 1000
  const seconds = bigSeconds > 0
    ? `${elapsed.toFixed(1)} s (${(elapsed - bigSeconds).toFixed(1)} s without the ${
      count(plan.spawnBig)
    }-children sample)`
    : `${elapsed.toFixed(1)} s`
  console.log(output)
  for (const note of allNotes) console.log(`- ${note}`)
  if (storm !== "") console.log(storm)
  console.log(`targets missed: ${missed.length} of ${targets.length}`)
  console.log(`done in ${seconds}`)
  if (!quick && only === undefined && !fromSource) {
    const file = path.join(benchDir, "RESULTS.md")
    fs.writeFileSync(
      file,
      [
        "# Benchmark results",
        "",
        "Written by `npm run bench` (full run). Each figure is the median of " + repetitions +
        " repetitions after " + warmup + " warm-up round with a tenth of the work (trees: " + plan.treeRepetitions +
        " after " + plan.treeWarmup + " full warm-up rounds), min–max in parentheses; library and raw samples " +
        "alternate (and the peers' samples: see the notes). Ratios are library ÷ raw Effect doing the " +
        "same work in the same run (for rates, higher is better; for everything else, lower is). The machine is " +
        "shared (2 cores, other jobs running): expect noise.",
        "",
        `Machine: ${machine()}; effect ${effectVersion()}; library: ${librarySource()}; run took ${seconds}.`,
        "",
        output,
        "",
        ...(storm === "" ? [] : [storm, ""]),
        ...workloads,
        "",
        ...allNotes.map((note) => `- ${note}`),
        "",
        `Targets missed: ${missed.length} of ${targets.length}.`,
        ""
      ].join("\n")
    )
    progress(`wrote ${path.relative(process.cwd(), file)}`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
