/**
 * Workload 4, casts: N `GenServer.cast`s from one client, then one call (its reply, the
 * counter, proves every cast was handled); vs `Queue.offer` into the raw server loop of
 * servers.ts and a final Deferred round trip.
 */
import { GenServer } from "@effect-otp/supervisor"
import { Effect, Queue } from "effect"
import { compare, count, peerCells, type Row, run } from "./harness.js"
import { castPeerRuns, peerColumns } from "./peers.js"
import { bump, ping, rawCall, rawCast, type RawMessage, rawServer, Server, times } from "./servers.js"

interface Sample extends Record<"perCast", number> {}

const check = (n: number, counted: number) =>
  counted === n ? Effect.void : Effect.dieMessage(`expected ${n} casts handled, got ${counted}`)

const library = (n: number) =>
  Effect.gen(function*() {
    const ref = yield* GenServer.start(Server, 0)
    const t0 = performance.now()
    yield* times(n, GenServer.cast(ref, bump))
    const counted = yield* GenServer.call(ref, ping, { timeout: "infinity" })
    const t1 = performance.now()
    yield* check(n, counted)
    return { perCast: (t1 - t0) * 1000 / n }
  }).pipe(Effect.scoped, Effect.orDie)

/** One library sample (for profiling). */
export const librarySample = (n: number): Promise<Sample> => run(library(n))

const raw = (n: number) =>
  Effect.gen(function*() {
    const mailbox = yield* Queue.unbounded<RawMessage>()
    yield* Effect.forkScoped(rawServer(mailbox, 0))
    const t0 = performance.now()
    yield* times(n, rawCast(mailbox))
    const counted = yield* rawCall(mailbox, ping)
    const t1 = performance.now()
    yield* check(n, counted)
    return { perCast: (t1 - t0) * 1000 / n }
  }).pipe(Effect.scoped)

export const castRow = async (n: number, repetitions: number, warmup: number): Promise<Row> => {
  const label = `${count(n)} casts, then 1 call`
  const result = await compare(
    label,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(raw(Math.ceil(n / 10))),
      library: () => run(library(Math.ceil(n / 10)))
    },
    () => run(raw(n)),
    () => run(library(n)),
    castPeerRuns(n)
  )
  return {
    workload: label,
    metric: "time per cast (until all handled)",
    unit: "µs",
    library: result.library.perCast,
    raw: result.raw.perCast,
    // the targets: at most raw `Queue.offer`, and ahead of every peer
    target: { kind: "ratio", max: 1 },
    peers: peerCells(peerColumns, result.peers, "perCast"),
    peerTarget: 1
  }
}
