/**
 * The building blocks of a hibernating GenServer (issue 16, point 2), measured in raw
 * Effect and Node, to choose its design and its `hibernate_after` default:
 *
 *   node --expose-gc --import tsx bench/hibernate.ts [N]
 *
 * - idle: bytes per server parked on a fiber (today's design: a daemon fiber with its own
 *   context, parked on `Effect.async`) vs a hibernated server (a plain object: its state
 *   and an empty mailbox) vs the same plus one Node timer (a `hibernate_after` per server);
 * - message: µs per message to a server that is parked (resume its fiber: today), that
 *   hibernates after each message (fork a fiber per wake: `hibernate_after: 0`), and the
 *   cost of re-arming a per-server idle timer on each message.
 *
 * Nothing of the library is measured: the figures bound what a hibernating design can
 * reach before any of its bookkeeping.
 */
import { Context, Effect, Runtime } from "effect"
import { count, gc, heapUsed } from "./harness.js"

const N = Number(process.argv[2] ?? 100_000)

class Self extends Context.Tag("bench/hibernate/Self")<Self, Server>() {}

/** The smallest server: a counter and a one-slot mailbox (enough for a round trip). */
class Server {
  state = 0
  waker: ((effect: Effect.Effect<void>) => void) | undefined = undefined
  pending: (() => void) | undefined = undefined
  timer: ReturnType<typeof setTimeout> | undefined = undefined
}

const park = (server: Server) =>
  Effect.async<void>((resume) => {
    server.waker = resume
  })

/** Today's shape: a loop fiber per server, parked when its mailbox is empty. */
const loop = (server: Server): Effect.Effect<never> =>
  Effect.flatMap(park(server), () => {
    server.state++
    const reply = server.pending
    server.pending = undefined
    if (reply !== undefined) reply()
    return loop(server)
  })

const base = Effect.runSync(Effect.runtime<never>())

/** A runtime per server, with the server in its context (as a process's `Self`). */
const runtimeFor = (server: Server) =>
  Runtime.make({
    context: Context.add(base.context, Self, server),
    fiberRefs: base.fiberRefs,
    runtimeFlags: base.runtimeFlags
  })

const perChild = (make: (i: number) => unknown): { readonly bytes: number; readonly keep: Array<unknown> } => {
  const keep: Array<unknown> = []
  const before = heapUsed()
  for (let i = 0; i < N; i++) keep.push(make(i))
  const bytes = (heapUsed() - before) / N - 8 // the array slot
  return { bytes, keep }
}

const idle = () => {
  const parked = perChild(() => {
    const server = new Server()
    Runtime.runFork(runtimeFor(server))(loop(server))
    return server
  })
  const fibers = parked.bytes
  parked.keep.length = 0
  gc()
  const plain = perChild(() => new Server()).bytes
  const timed = perChild(() => {
    const server = new Server()
    server.timer = setTimeout(() => undefined, 3_600_000)
    return server
  })
  for (const server of timed.keep as Array<Server>) clearTimeout(server.timer)
  return { fibers, plain, timer: timed.bytes - plain }
}

const M = 200_000

/** µs per message: `send` posts one message and resolves when it is handled. */
const roundTrips = async (send: (done: () => void) => void): Promise<number> => {
  const one = () => new Promise<void>((resolve) => send(resolve))
  for (let i = 0; i < M / 10; i++) await one()
  const t0 = performance.now()
  for (let i = 0; i < M; i++) await one()
  return (performance.now() - t0) * 1000 / M
}

const messages = async () => {
  // today: resume the parked fiber
  const parkedServer = new Server()
  const fiber = Runtime.runFork(runtimeFor(parkedServer))(loop(parkedServer))
  await new Promise((resolve) => setImmediate(resolve))
  const parked = await roundTrips((done) => {
    parkedServer.pending = done
    const waker = parkedServer.waker!
    parkedServer.waker = undefined
    waker(Effect.void)
  })
  Effect.runFork(fiber.interruptAsFork(fiber.id()))

  // hibernate_after 0: each message forks a fiber that handles it and ends
  const hibernated = new Server()
  const runtime = runtimeFor(hibernated)
  const handle = Effect.flatMap(Self, (server) =>
    Effect.sync(() => {
      server.state++
      const reply = server.pending
      server.pending = undefined
      if (reply !== undefined) reply()
    }))
  const wake = Runtime.runFork(runtime)
  const forked = await roundTrips((done) => {
    hibernated.pending = done
    wake(handle)
  })

  // hibernate_after T: a per-server idle timer re-armed on every message (`refresh`)
  const timed = new Server()
  timed.timer = setTimeout(() => undefined, 3_600_000)
  const t0 = performance.now()
  for (let i = 0; i < M; i++) timed.timer.refresh()
  const refresh = (performance.now() - t0) * 1000 / M
  clearTimeout(timed.timer)
  return { parked, forked, refresh }
}

const memory = idle()
gc()
const time = await messages()
console.log(`per idle server (${count(N)} servers):`)
console.log(`  parked fiber (its own runtime and context, parked on Effect.async): ${memory.fibers.toFixed(0)} B`)
console.log(`  hibernated (a plain object with its state and mailbox):             ${memory.plain.toFixed(0)} B`)
console.log(`  one Node timer more (a per-server hibernate_after):                 ${memory.timer.toFixed(0)} B`)
console.log(`per message (${count(M)} round trips, one at a time):`)
console.log(`  resume the parked fiber (today):                                    ${time.parked.toFixed(2)} µs`)
console.log(`  fork a fiber per wake (hibernate_after: 0):                         ${time.forked.toFixed(2)} µs`)
console.log(`  re-arm a per-server idle timer (timeout.refresh()):                 ${time.refresh.toFixed(3)} µs`)
