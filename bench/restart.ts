/**
 * Workload 2, restart latency: kill a supervised GenServer (`Process.kill` on the ref the
 * Registry holds) and time until the new incarnation answers a call by name, `kills`
 * times in a row under a supervisor that never gives up (`Restart.unlimited`).
 *
 * Raw Effect: a supervisor fiber forks a server fiber (the Queue + Deferred loop of
 * servers.ts), joins it with `catchAllCause` and forks the next one, publishing each
 * incarnation through a Deferred; the client interrupts the current server fiber, awaits
 * the next incarnation and calls it.
 */
import { GenServer, Process, Registry, Restart, Supervisor } from "@effect-otp/supervisor"
import { Deferred, Effect, Fiber, Option, Queue, Stream } from "effect"
import { compare, count, peerCells, type RestartSample, restartSummary, type Row, run } from "./harness.js"
import { peerColumns, restartPeerRuns, restartPeerTexts } from "./peers.js"
import { ping, rawCall, type RawMailbox, type RawMessage, rawServer, Server, ServerName } from "./servers.js"

type Sample = RestartSample

const library = (kills: number, subscribed = false) =>
  Effect.gen(function*() {
    const supervisor = yield* Supervisor.start({
      strategy: "one_for_one",
      restartPolicy: Restart.unlimited,
      children: [GenServer.childSpec(Server, 0, { id: "server", name: ServerName })]
    })
    if (subscribed) {
      yield* Effect.forkScoped(Stream.runDrain(Supervisor.events(supervisor)))
      yield* Effect.yieldNow()
    }
    const latencies = new Float64Array(kills)
    const t0 = performance.now()
    for (let i = 0; i < kills; i++) {
      const ref = Option.getOrThrow(yield* GenServer.whereis(ServerName))
      const start = performance.now()
      yield* Process.kill(ref)
      yield* GenServer.call(ServerName, ping)
      latencies[i] = (performance.now() - start) * 1000
    }
    return restartSummary(latencies, performance.now() - t0)
  }).pipe(Effect.scoped, Effect.provide(Registry.layer), Effect.orDie)

/** One library sample (for profiling). */
export const librarySample = (kills: number): Promise<Sample> => run(library(kills))

interface Incarnation {
  readonly mailbox: RawMailbox
  readonly fiber: Fiber.RuntimeFiber<never>
  /** Completed by the supervisor with the incarnation that replaces this one. */
  readonly next: Deferred.Deferred<Incarnation>
}

const raw = (kills: number) =>
  Effect.gen(function*() {
    const first = yield* Deferred.make<Incarnation>()
    const supervisor = Effect.gen(function*() {
      let publish = first
      for (let i = 0; i <= kills; i++) {
        const mailbox = yield* Queue.unbounded<RawMessage>()
        const fiber = yield* Effect.fork(rawServer(mailbox, 0))
        const next = yield* Deferred.make<Incarnation>()
        yield* Deferred.succeed(publish, { mailbox, fiber, next })
        publish = next
        yield* Fiber.join(fiber).pipe(Effect.catchAllCause(() => Effect.void))
      }
    })
    yield* Effect.forkScoped(supervisor)
    let current = yield* Deferred.await(first)
    const latencies = new Float64Array(kills)
    const t0 = performance.now()
    for (let i = 0; i < kills; i++) {
      const start = performance.now()
      yield* Fiber.interrupt(current.fiber)
      current = yield* Deferred.await(current.next)
      yield* rawCall(current.mailbox, ping)
      latencies[i] = (performance.now() - start) * 1000
    }
    return restartSummary(latencies, performance.now() - t0)
  }).pipe(Effect.scoped)

/** One raw sample (for profiling). */
export const rawSample = (kills: number): Promise<Sample> => run(raw(kills))

export const restartRows = async (kills: number, repetitions: number, warmup: number): Promise<Array<Row>> => {
  const label = `restart a killed GenServer, ${count(kills)} times`
  const result = await compare(
    label,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(raw(Math.ceil(kills / 5))),
      library: () => run(library(Math.ceil(kills / 5)))
    },
    () => run(raw(kills)),
    () => run(library(kills)),
    restartPeerRuns(kills, Math.ceil(kills / 5))
  )
  const window = count(Math.min(1000, Math.floor(kills / 2)))
  const row = (metric: string, key: keyof Sample, unit: string, max?: number, peerMax?: number): Row => ({
    workload: label,
    metric,
    unit,
    library: result.library[key],
    raw: result.raw[key],
    target: max === undefined ? undefined : { kind: "ratio", max },
    peers: peerCells(peerColumns, result.peers, key, restartPeerTexts),
    peerTarget: peerMax
  })
  // the events cost nothing but a check when nobody subscribes: restarts with a subscriber
  // (library column) beside restarts without one (raw column), both through the library
  const events = await compare(
    `${label}, events`,
    repetitions,
    {
      rounds: warmup,
      raw: () => run(library(Math.ceil(kills / 5))),
      library: () => run(library(Math.ceil(kills / 5), true))
    },
    () => run(library(kills)),
    () => run(library(kills, true))
  )
  return [
    row("kill → answered, p50", "p50", "µs", 1.5, 1),
    row("kill → answered, p99", "p99", "µs"),
    row("kill → answered, max", "max", "µs"),
    row("restarts per second", "rate", "/s"),
    row(`p50 of the first ${window}`, "first", "µs"),
    row(`p50 of the last ${window}`, "last", "µs"),
    {
      ...row(`p50 last ${window} ÷ p50 first ${window}`, "growth", "×"),
      target: { kind: "value", max: 1.2, label: "library" }
    },
    {
      workload: label,
      metric: "p50 with an event subscriber (raw column: the library with none)",
      unit: "µs",
      library: events.library.p50,
      raw: events.raw.p50,
      target: undefined
    }
  ]
}
