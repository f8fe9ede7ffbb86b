/**
 * The workloads on nact (https://nact.xyz): actors are plain objects holding a state and
 * a mailbox; each message is handled in its own `setImmediate`. Written from nact's
 * documentation: `spawn(parent, f, name, { initialState, onCrash })`, `dispatch`,
 * `query(ref, (sender) => message, timeout)` (a timeout is required), `stop`, and the
 * supervision policy `onCrash` returning `ctx.reset` (re-initialize the actor in place).
 */
import { dispatch, query, type Ref, spawn, spawnStateless, start, stop } from "nact"
import { heapUsed, type RestartSample, restartSummary } from "../harness.js"

type Message =
  | { readonly type: "ping"; readonly sender: Ref<number> }
  | { readonly type: "bump" }
  | { readonly type: "crash" }

/** The server: a counter; `ping` replies with it, `bump` adds one, `crash` throws. */
const server = (state: number, message: Message): number => {
  switch (message.type) {
    case "ping":
      dispatch(message.sender, state)
      return state
    case "bump":
      return state + 1
    case "crash":
      throw new Error("crash")
  }
}

const timeout = 60_000

const ping = (ref: Ref<Message>): Promise<number> =>
  query(ref, (sender: Ref<number>): Message => ({ type: "ping", sender }), timeout)

const supervisor = () => {
  const system = start()
  // a parent actor that does nothing but own its children
  const parent = spawnStateless(system, () => undefined, "supervisor")
  return { system, parent }
}

const afterImmediates = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Spawn: `n` children under one parent (each needs a unique name: an unnamed nact
 * actor gets a random 32-bit one, which collides at these counts), until the last one
 * answers a query; stop: `stop(parent)` and the `afterStop` callbacks it schedules.
 */
export const spawnSample = async (n: number) => {
  const { parent, system } = supervisor()
  const before = heapUsed()
  const t0 = performance.now()
  let last: Ref<Message> | undefined
  for (let i = 0; i < n; i++) last = spawn(parent, server, `child-${i}`, { initialState: 0 })
  if (last !== undefined) await ping(last)
  const t1 = performance.now()
  const heap = (heapUsed() - before) / n
  const t2 = performance.now()
  stop(parent)
  await afterImmediates()
  const t3 = performance.now()
  stop(system)
  return { start: t1 - t0, heap, stop: t3 - t2 }
}

/**
 * Restart: a named child whose policy is `ctx.reset` crashes (a message that throws)
 * `kills` times; each time from the crash until a query answers.
 */
export const restartSample = async (kills: number): Promise<RestartSample> => {
  const { parent, system } = supervisor()
  const child = spawn(parent, server, "server", {
    initialState: 0,
    onCrash: (_message, _error, ctx) => ctx.reset
  })
  await ping(child)
  const latencies = new Float64Array(kills)
  const t0 = performance.now()
  for (let i = 0; i < kills; i++) {
    const started = performance.now()
    dispatch(child, { type: "crash" })
    await ping(child)
    latencies[i] = (performance.now() - started) * 1000
  }
  const total = performance.now() - t0
  stop(system)
  return restartSummary(latencies, total)
}

/** Calls: `clients` concurrent clients, each `each` sequential queries; µs per call. */
export const callSample = async (clients: number, each: number) => {
  const { parent, system } = supervisor()
  const child = spawn(parent, server, "server", { initialState: 0 })
  const client = async () => {
    for (let i = 0; i < each; i++) await ping(child)
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: clients }, client))
  const perCall = (performance.now() - t0) * 1000 / (clients * each)
  stop(system)
  return { perCall }
}

/** Casts: `n` dispatches, then one query (whose answer proves all were handled); µs per cast. */
export const castSample = async (n: number) => {
  const { parent, system } = supervisor()
  const child = spawn(parent, server, "server", { initialState: 0 })
  const bump: Message = { type: "bump" }
  const t0 = performance.now()
  for (let i = 0; i < n; i++) dispatch(child, bump)
  const counted = await ping(child)
  const perCast = (performance.now() - t0) * 1000 / n
  stop(system)
  if (counted !== n) throw new Error(`nact: expected ${n} casts handled, got ${counted}`)
  return { perCast }
}
