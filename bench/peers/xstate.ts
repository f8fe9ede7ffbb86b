/**
 * The workloads on XState 5 (https://stately.ai/docs): actors run state machines; events
 * are processed synchronously by `actor.send`. Written from XState's documentation:
 * `spawnChild` (children of a parent machine), `invoke` with `onError` re-entering its
 * state (a supervised child restarted after an error), `systemId` + `system.get` (a
 * child found by name), `actor.stop()` (stops the parent and its children). XState has
 * no request/reply of its own between the outside and an actor: a call sends an event
 * carrying a reply callback, which an action of the server calls with its answer.
 */
import { type ActorRefFrom, assign, createActor, setup, spawnChild } from "xstate"
import { heapUsed, type RestartSample, restartSummary } from "../harness.js"

type ServerEvent =
  | { readonly type: "ping"; readonly reply: (count: number) => void }
  | { readonly type: "bump" }
  | { readonly type: "crash" }

/** The server: a counter; `ping` replies with it, `bump` adds one, `crash` throws. */
const server = setup({
  types: { context: {} as { count: number }, events: {} as ServerEvent }
}).createMachine({
  context: { count: 0 },
  on: {
    ping: { actions: ({ context, event }) => event.type === "ping" && event.reply(context.count) },
    bump: { actions: assign({ count: ({ context }) => context.count + 1 }) },
    crash: {
      actions: () => {
        throw new Error("crash")
      }
    }
  }
})

type Server = ActorRefFrom<typeof server>

const ping = (ref: Server): Promise<number> => new Promise((resolve) => ref.send({ type: "ping", reply: resolve }))

/** A parent that spawns a child (named by the event) on each `spawn` event. */
const parent = setup({
  types: { events: {} as { readonly type: "spawn"; readonly id: string } },
  actors: { server }
}).createMachine({
  on: { spawn: { actions: spawnChild("server", { id: ({ event }) => event.id }) } }
})

/** A parent that runs one child named "server" and restarts it whenever it fails. */
const supervisor = setup({ actors: { server } }).createMachine({
  initial: "running",
  states: {
    running: {
      invoke: { id: "server", systemId: "server", src: "server", onError: { target: "running", reenter: true } }
    }
  }
})

const childOf = (actor: ActorRefFrom<typeof parent>, id: string): Server => {
  const child = actor.getSnapshot().children[id]
  if (child === undefined) throw new Error(`xstate: no child ${id}`)
  return child as Server
}

/**
 * Spawn: `n` children of one parent machine (`spawnChild`), until the last one answers;
 * stop: `parent.stop()`.
 */
export const spawnSample = async (n: number) => {
  const actor = createActor(parent).start()
  const before = heapUsed()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) actor.send({ type: "spawn", id: `child-${i}` })
  await ping(childOf(actor, `child-${n - 1}`))
  const t1 = performance.now()
  const heap = (heapUsed() - before) / n
  const t2 = performance.now()
  actor.stop()
  const t3 = performance.now()
  return { start: t1 - t0, heap, stop: t3 - t2 }
}

/**
 * Restart: the invoked child crashes (an action that throws) `kills` times; each time
 * from the crash until the new incarnation, found by its `systemId`, answers.
 */
export const restartSample = async (kills: number): Promise<RestartSample> => {
  const actor = createActor(supervisor).start()
  const current = () => actor.system.get("server") as Server
  await ping(current())
  const latencies = new Float64Array(kills)
  const t0 = performance.now()
  for (let i = 0; i < kills; i++) {
    const started = performance.now()
    current().send({ type: "crash" })
    await ping(current())
    latencies[i] = (performance.now() - started) * 1000
  }
  const total = performance.now() - t0
  actor.stop()
  return restartSummary(latencies, total)
}

const serving = () => {
  const actor = createActor(supervisor).start()
  return { actor, child: actor.system.get("server") as Server }
}

/** Calls: `clients` concurrent clients, each `each` sequential calls; µs per call. */
export const callSample = async (clients: number, each: number) => {
  const { actor, child } = serving()
  const client = async () => {
    for (let i = 0; i < each; i++) await ping(child)
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: clients }, client))
  const perCall = (performance.now() - t0) * 1000 / (clients * each)
  actor.stop()
  return { perCall }
}

/** Casts: `n` events, then one call (whose answer proves all were handled); µs per cast. */
export const castSample = async (n: number) => {
  const { actor, child } = serving()
  const bump: ServerEvent = { type: "bump" }
  const t0 = performance.now()
  for (let i = 0; i < n; i++) child.send(bump)
  const counted = await ping(child)
  const perCast = (performance.now() - t0) * 1000 / n
  actor.stop()
  if (counted !== n) throw new Error(`xstate: expected ${n} casts handled, got ${counted}`)
  return { perCast }
}
