/**
 * Workload 3, calls: N sequential `GenServer.call`s from one client (by ref, with the
 * default 5 s timeout; by ref with no timeout; by name), and C concurrent clients × M
 * calls each; vs the raw Queue + Deferred server loop of servers.ts.
 */
import { GenServer, Registry } from "@effect-otp/supervisor"
import { Effect, Queue } from "effect"
import { compare, count, peerCells, type Row, run } from "./harness.js"
import { callPeerRuns, peerColumns } from "./peers.js"
import { FiberServer, ping, rawCall, type RawMessage, rawServer, Server, ServerName, times } from "./servers.js"

interface Sample extends Record<"perCall", number> {}

export type CallMode = "ref" | "infinity" | "name" | "fiber"

/** `clients` fibers, each making `each` calls; returns µs per call (wall clock ÷ all calls). */
const clientsRun = <E, R>(clients: number, each: number, call: Effect.Effect<unknown, E, R>) =>
  Effect.gen(function*() {
    const t0 = performance.now()
    if (clients === 1) yield* times(each, call)
    else {
      yield* Effect.forEach(Array.from({ length: clients }), () => times(each, call), {
        concurrency: "unbounded",
        discard: true
      })
    }
    return { perCall: (performance.now() - t0) * 1000 / (clients * each) }
  })

const library = (mode: CallMode, clients: number, each: number) =>
  Effect.gen(function*() {
    if (mode === "name") {
      yield* GenServer.start(Server, 0, { name: ServerName })
      return yield* clientsRun(clients, each, GenServer.call(ServerName, ping))
    }
    const ref = yield* GenServer.start(mode === "fiber" ? FiberServer : Server, 0)
    return yield* clientsRun(
      clients,
      each,
      mode === "infinity" ? GenServer.call(ref, ping, { timeout: "infinity" }) : GenServer.call(ref, ping)
    )
  }).pipe(Effect.scoped, Effect.provide(Registry.layer), Effect.orDie)

/** One library sample (for profiling). */
export const librarySample = (mode: CallMode, clients: number, each: number): Promise<Sample> =>
  run(library(mode, clients, each))

const raw = (clients: number, each: number) =>
  Effect.gen(function*() {
    const mailbox = yield* Queue.unbounded<RawMessage>()
    yield* Effect.forkScoped(rawServer(mailbox, 0))
    return yield* clientsRun(clients, each, rawCall(mailbox, ping))
  }).pipe(Effect.scoped)

const modeLabel = {
  ref: "by ref (default 5 s timeout)",
  infinity: "by ref, timeout: \"infinity\"",
  name: "by name (default timeout)",
  fiber: "by ref, a handler with an effect to run (answered from the server's fiber)"
}

export const callRow = async (
  mode: CallMode,
  clients: number,
  each: number,
  repetitions: number,
  warmup: number,
  target: number | undefined,
  peerTarget?: number
): Promise<Row> => {
  const label = clients === 1
    ? `${count(each)} sequential calls, 1 client`
    : `${count(clients)} clients × ${count(each)} calls`
  const result = await compare(
    `${label} ${mode}`,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(raw(clients, Math.ceil(each / 10))),
      library: () => run(library(mode, clients, Math.ceil(each / 10)))
    },
    () => run(raw(clients, each)),
    () => run(library(mode, clients, each)),
    // the peers are run on the by-ref rows with the default timeout (the workload)
    peerTarget === undefined ? [] : callPeerRuns(clients, each)
  )
  return {
    workload: label,
    metric: `time per call, ${modeLabel[mode]}`,
    unit: "µs",
    library: result.library.perCall,
    raw: result.raw.perCall,
    target: target === undefined ? undefined : { kind: "ratio", max: target },
    peers: peerTarget === undefined ? undefined : peerCells(peerColumns, result.peers, "perCall"),
    peerTarget
  }
}
