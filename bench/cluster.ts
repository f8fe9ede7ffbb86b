/**
 * Cluster children (`@effect-otp/cluster`): calls per second to children on one runner
 * (in this process, `TestRunner`: in-memory storage, messages serialized as between
 * runners) and across two runner processes (loopback sockets, one SQLite file; the calls
 * are made on one runner to children that live on the other), and the failover time: a
 * runner is killed (SIGKILL) and the time until each of its permanent children answers on
 * the survivor is measured, with the shard lock expiry shortened to 4 s (35 s by default).
 * The one-runner row's raw side is a bare `@effect/cluster` entity answering the same call.
 * No targets: figures to watch.
 */
import { ChildStore, ClusterSupervisor } from "@effect-otp/cluster"
import { eventuallyAsync } from "@effect-otp/test-utils/Eventually"
import { killAll, Runner } from "@effect-otp/test-utils/RunnerProcess"
import { Entity, TestRunner } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Effect, Layer, Schema } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { counter } from "../packages/cluster/test/kinds.js"
import { count, figures, progress, repeat, type Row, run } from "./harness.js"

const children = 10

/** The raw side: a bare `@effect/cluster` entity answering the same call, with no supervision. */
const Bare = Entity.make("BenchBare", [Rpc.make("Get", { success: Schema.Number })])

const bareRunner = (calls: number) =>
  Effect.gen(function*() {
    yield* Effect.sleep("100 millis") // the runner takes its shards
    const make = yield* Bare.client
    const ids = Array.from({ length: children }, (_, i) => `c${i}`)
    const start = performance.now()
    yield* Effect.forEach(
      Array.from({ length: calls }, (_, i) => ids[i % children]),
      (id) => make(id).Get(),
      { concurrency: children, discard: true }
    )
    return calls / ((performance.now() - start) / 1000)
  }).pipe(
    Effect.provide(
      Bare.toLayer(Effect.succeed({ Get: () => Effect.succeed(0) })).pipe(
        Layer.provideMerge(TestRunner.layer)
      )
    ),
    Effect.scoped
  )

const oneRunner = (calls: number) =>
  Effect.gen(function*() {
    yield* Effect.sleep("100 millis") // the runner takes its shards
    const ids = Array.from({ length: children }, (_, i) => `c${i}`)
    for (const id of ids) yield* ClusterSupervisor.startChild(counter, { id, args: { id, start: 0 } })
    const start = performance.now()
    yield* Effect.forEach(
      Array.from({ length: calls }, (_, i) => ids[i % children]),
      (id) => ClusterSupervisor.call(counter, id, { _tag: "Get" }),
      { concurrency: children, discard: true }
    )
    return calls / ((performance.now() - start) / 1000)
  }).pipe(
    Effect.provide(
      ClusterSupervisor.layer([counter]).pipe(
        Layer.provideMerge(ChildStore.layerMemory),
        Layer.provideMerge(TestRunner.layer)
      )
    ),
    Effect.scoped
  )

const twoRunners = async (calls: number, repetitions: number): Promise<{ rates: Array<number>; failover: number }> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-otp-bench-cluster-"))
  const base = 44000 + (process.pid % 500) * 2
  try {
    const [a, b] = [new Runner(path.join(dir, "cluster.db"), base), new Runner(path.join(dir, "cluster.db"), base + 1)]
    await Promise.all([a.ready(120_000), b.ready(120_000)])
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const ids = Array.from({ length: 4 * children }, (_, i) => `r${i}`)
    for (const id of ids) {
      await eventuallyAsync(
        async () => {
          const answer = await a.send({ op: "start", id, restart: "permanent" }, 40_000)
          return answer.ok === true || answer.error === "ChildAlreadyStarted" ? true : undefined
        },
        60_000,
        200,
        `start ${id}`
      )
    }
    const onB = b.lines.filter((line) => line.event === "ChildStarted").map((line) => line.id!)
    const remote = ids.filter((id) => onB.includes(id)).slice(0, children)
    if (remote.length === 0) throw new Error("no child landed on the second runner")
    const rates: Array<number> = []
    await a.send({ op: "bench", ids: remote, calls: Math.ceil(calls / 10), concurrency: children }, 120_000)
    for (let i = 0; i < repetitions; i++) {
      const answer = await a.send({ op: "bench", ids: remote, calls, concurrency: children }, 300_000)
      if (answer.ok !== true) throw new Error(`bench failed: ${answer.error}`)
      rates.push(calls / ((answer.value as number) / 1000))
    }
    const killedAt = performance.now()
    await b.kill("SIGKILL")
    const back = new Set<string>()
    await eventuallyAsync(
      async () => {
        for (const id of onB) {
          if (back.has(id)) continue
          const answer = await a.send({ op: "call", id, request: { _tag: "Get" } }, 10_000)
          if (answer.ok === true) back.add(id)
        }
        return back.size === onB.length ? true : undefined
      },
      90_000,
      100,
      "failover"
    )
    return { rates, failover: performance.now() - killedAt }
  } finally {
    await killAll()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export const clusterRows = async (quick: boolean, repetitions: number, warmup: number): Promise<Array<Row>> => {
  const calls = quick ? 2_000 : 20_000
  progress(`cluster: ${count(calls)} calls to ${children} children on one runner (TestRunner)`)
  const local = await repeat(repetitions, warmup, async () => ({
    library: await run(oneRunner(calls)),
    raw: await run(bareRunner(calls))
  }))
  progress(`cluster: ${count(calls)} calls across two runner processes, then a SIGKILL`)
  const remote = await twoRunners(calls, quick ? 2 : repetitions)
  return [
    {
      workload: "cluster call, one runner",
      metric: "calls/s",
      unit: "",
      library: local.library,
      raw: local.raw,
      note: "cluster call, one runner: raw = a bare @effect/cluster entity (no supervision) on the same TestRunner; " +
        "calls/s are higher-is-better, so library ÷ raw below 1 is the library's overhead"
    },
    { workload: "cluster call, across two runners", metric: "calls/s", unit: "", library: figures(remote.rates) },
    {
      workload: "cluster failover (lock expiry 4 s)",
      metric: "SIGKILL to answers",
      unit: "ms",
      library: figures([remote.failover]),
      note: "cluster rows: no raw counterpart; failover is one sample (all of the killed runner's children answer)"
    }
  ]
}
