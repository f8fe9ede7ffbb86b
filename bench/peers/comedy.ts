/**
 * The workloads on Comedy 2 (https://github.com/untu/comedy), in-memory actors only.
 * Written from Comedy's documentation: an actor is a class whose methods are its topics;
 * `actor.createChild(Definition, { mode: "in-memory" })`, `ref.sendAndReceive(topic)`
 * (request/reply), `ref.send(topic)` (fire-and-forget), `ref.destroy()` (stops the
 * actor and its children), `system.destroy()`. Comedy respawns crashed actors only in
 * forked (child process) mode: no restart workload in memory.
 */
import comedy, { type Actor, type ActorRef } from "comedy"
import { heapUsed } from "../harness.js"

/** The server: a counter; `ping` replies with it, `bump` adds one. */
class Server {
  count = 0
  ping() {
    return this.count
  }
  bump() {
    this.count++
  }
}

/** A system that writes no log, and its root actor. */
const system = async () => {
  const actors = comedy.createSystem({})
  const log = actors.getLog()
  log.setLevel(log.levels().Silent)
  return { actors, root: await actors.rootActor() }
}

/** A parent actor (it only owns children); its own actor object, to create them from outside. */
const parentOf = async (root: Actor) => {
  let self: Actor | undefined
  const ref = await root.createChild({
    initialize: (actor: Actor) => {
      self = actor
    }
  }, { mode: "in-memory" })
  if (self === undefined) throw new Error("comedy: the parent was not initialized")
  return { ref, self }
}

const inMemory = { mode: "in-memory" }

/**
 * Spawn: `n` children of one parent, created one after the other (`createChild`), until
 * the last one answers; stop: `parent.destroy()`.
 */
export const spawnSample = async (n: number) => {
  const { actors, root } = await system()
  const parent = await parentOf(root)
  const before = heapUsed()
  const t0 = performance.now()
  let last: ActorRef | undefined
  for (let i = 0; i < n; i++) last = await parent.self.createChild(Server, inMemory)
  await last?.sendAndReceive("ping")
  const t1 = performance.now()
  const heap = (heapUsed() - before) / n
  const t2 = performance.now()
  await parent.ref.destroy()
  const t3 = performance.now()
  await actors.destroy()
  return { start: t1 - t0, heap, stop: t3 - t2 }
}

const serving = async () => {
  const { actors, root } = await system()
  const parent = await parentOf(root)
  return { actors, child: await parent.self.createChild(Server, inMemory) }
}

/** Calls: `clients` concurrent clients, each `each` sequential `sendAndReceive`s; µs per call. */
export const callSample = async (clients: number, each: number) => {
  const { actors, child } = await serving()
  const client = async () => {
    for (let i = 0; i < each; i++) await child.sendAndReceive("ping")
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: clients }, client))
  const perCall = (performance.now() - t0) * 1000 / (clients * each)
  await actors.destroy()
  return { perCall }
}

/**
 * Casts: `n` `send`s, then `sendAndReceive` until the counter shows all were handled (in
 * Comedy a reply can overtake earlier sends); µs per cast.
 */
export const castSample = async (n: number) => {
  const { actors, child } = await serving()
  const t0 = performance.now()
  const sent: Array<Promise<void>> = []
  for (let i = 0; i < n; i++) sent.push(child.send("bump"))
  await Promise.all(sent)
  // a reply may overtake casts still in flight: ask until all are counted
  let counted: unknown = await child.sendAndReceive("ping")
  for (let tries = 0; counted !== n && tries < 1000; tries++) counted = await child.sendAndReceive("ping")
  const perCast = (performance.now() - t0) * 1000 / n
  await actors.destroy()
  if (counted !== n) throw new Error(`comedy: expected ${n} casts handled, got ${String(counted)}`)
  return { perCast }
}
