/**
 * The cluster as a source of the observer's page: the children with the runner holding
 * them, read from the child store at once, when this runner's children change, and every
 * `every`; equal snapshots not repeated.
 */
import { TestRunner } from "@effect/cluster"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Logger, Option, Queue, Stream, TestClock } from "effect"
import { ChildStore, ClusterError, ClusterObserver, ClusterSupervisor } from "../src/index.js"
import { counter, fragile, starts } from "./kinds.js"

const TestCluster = ClusterSupervisor.layer([counter, fragile]).pipe(
  Layer.provideMerge(ChildStore.layerMemory),
  Layer.provideMerge(TestRunner.layer)
)

/** Runs a stream into a queue, for the test to take its elements one by one. */
const collect = <A>(stream: Stream.Stream<A>) =>
  Effect.gen(function*() {
    const queue = yield* Queue.unbounded<A>()
    yield* Effect.forkScoped(Stream.runForEach(stream, (a) => Queue.offer(queue, a)))
    // let the stream subscribe
    for (let i = 0; i < 10; i++) yield* Effect.yieldNow()
    return queue
  })

/** Takes the next element, failing the test if none comes without time passing. */
const next = <A>(queue: Queue.Queue<A>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 200; i++) {
      const taken = yield* Queue.poll(queue)
      if (Option.isSome(taken)) return taken.value
      yield* Effect.yieldNow()
    }
    return assert.fail("no element")
  })

/** A child running on 10.0.0.1:1, as a store holds it. */
const room: ChildStore.StoredChild = {
  id: "r1",
  kind: "room",
  args: null,
  spec: { id: "r1" },
  restart: "permanent",
  status: "running",
  runner: "10.0.0.1:1"
}

describe("ClusterObserver", () => {
  it("rows: a child with its runner; a child given up is stopped, with the reason", () => {
    assert.deepStrictEqual(
      ClusterObserver.rows([
        { id: "a", kind: "room", restart: "permanent", status: "running", runner: "10.0.0.1:1" },
        { id: "b", kind: "room", restart: "transient", status: "gave_up", runner: "10.0.0.2:1" },
        { id: "c", kind: "room", restart: "permanent", status: "running", runner: undefined }
      ]),
      [
        { id: "a", kind: "room", status: "running", location: "10.0.0.1:1" },
        { id: "b", kind: "room", status: "stopped", location: "10.0.0.2:1", exit: "gave up: too many restarts" },
        { id: "c", kind: "room", status: "running" }
      ]
    )
  })

  it.scoped("source: the children with their runner, at once, on this runner's changes, and every `every`", () =>
    Effect.gen(function*() {
      starts.clear()
      yield* TestClock.adjust(1)
      const store = yield* ChildStore.ChildStore
      const source = yield* ClusterObserver.source({ name: "rooms", every: "2 seconds" })
      assert.deepStrictEqual([source.name, source.kind, source.locationKind], ["rooms", "cluster", "runner"])
      const snapshots = yield* collect(source.snapshots)
      const events = yield* collect(source.events)
      assert.deepStrictEqual(yield* next(snapshots), [])

      // a change of this runner: read again at once (no time passes)
      yield* ClusterSupervisor.startChild(counter, { id: "c1", args: { id: "c1", start: 0 } })
      const started = yield* next(snapshots)
      assert.strictEqual(started.length, 1)
      const runner = started[0].location!
      assert.match(runner, /^.+:\d+$/)
      assert.deepStrictEqual(started, [{ id: "c1", kind: "counter", status: "running", location: runner }])
      const event = yield* next(events)
      assert.deepStrictEqual(event, {
        tag: "ChildStarted",
        text: `c1 (counter) started on ${runner}`,
        childId: "c1",
        location: runner
      })

      // another runner took the child over (its runner writes the store): seen at the next read
      const stored = Option.getOrThrow(yield* store.get("c1"))
      yield* store.put({ ...stored, runner: "10.0.0.9:34431" })
      yield* TestClock.adjust("1999 millis")
      assert.isTrue(Option.isNone(yield* Queue.poll(snapshots)))
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(yield* next(snapshots), [
        { id: "c1", kind: "counter", status: "running", location: "10.0.0.9:34431" }
      ])
      // nothing changed: nothing sent
      yield* TestClock.adjust("10 seconds")
      for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
      assert.strictEqual(yield* Queue.size(snapshots), 0)

      // given up: stopped, with the reason
      yield* store.put({ ...stored, status: "gave_up" })
      yield* TestClock.adjust("2 seconds")
      assert.deepStrictEqual(yield* next(snapshots), [
        { id: "c1", kind: "counter", status: "stopped", location: runner, exit: "gave up: too many restarts" }
      ])
    }).pipe(Effect.provide(TestCluster)))

  it.scoped("source: without the runner's events (on a process that only reads the store), by time only", () =>
    Effect.gen(function*() {
      const store = yield* ChildStore.ChildStore
      const source = yield* ClusterObserver.source()
      assert.strictEqual(source.name, "cluster")
      const snapshots = yield* collect(source.snapshots)
      assert.deepStrictEqual(yield* next(snapshots), [])
      yield* store.put(room)
      yield* TestClock.adjust("499 millis")
      assert.isTrue(Option.isNone(yield* Queue.poll(snapshots)))
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(yield* next(snapshots), [
        { id: "r1", kind: "room", status: "running", location: "10.0.0.1:1" }
      ])
      // the events of no runner: the stream never emits
      const events = yield* Effect.fork(Stream.runHead(source.events))
      yield* TestClock.adjust("1 minute")
      assert.isTrue(Option.isNone(yield* Fiber.poll(events)))
      yield* Fiber.interrupt(events)
    }).pipe(Effect.provide(ChildStore.layerMemory)))

  it.scoped("source: a store that cannot be read is told once, until it can again; no snapshot meanwhile", () => {
    let broken = false
    const logs: Array<string> = []
    const Store = Layer.succeed(
      ChildStore.ChildStore,
      ChildStore.ChildStore.of({
        get: () => Effect.succeedNone,
        put: () => Effect.void,
        remove: () => Effect.void,
        list: Effect.suspend(() =>
          broken
            ? Effect.fail(new ClusterError.Unavailable({ id: "*", cause: "child store: database is locked" }))
            : Effect.succeed([room])
        )
      })
    )
    const Logs = Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ logLevel, message }) => {
        logs.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
      })
    )
    return Effect.gen(function*() {
      const source = yield* ClusterObserver.source()
      const snapshots = yield* collect(source.snapshots)
      assert.deepStrictEqual(yield* next(snapshots), [{
        id: "r1",
        kind: "room",
        status: "running",
        location: "10.0.0.1:1"
      }])
      broken = true
      yield* TestClock.adjust("500 millis")
      yield* TestClock.adjust("500 millis")
      assert.deepStrictEqual(logs, [
        "WARN cluster observer: cannot read the child store: child store: database is locked"
      ])
      broken = false
      yield* TestClock.adjust("500 millis")
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      assert.deepStrictEqual(logs.slice(1), ["INFO cluster observer: the child store can be read again"])
      // the same children as before the failure: nothing new for the page
      assert.strictEqual(yield* Queue.size(snapshots), 0)
    }).pipe(Effect.provide(Store), Effect.provide(Logs))
  })

  it.effect("source: checks its options", () =>
    Effect.gen(function*() {
      const name = yield* Effect.flip(ClusterObserver.source({ name: " " }))
      assert.deepStrictEqual(
        [name._tag, name.field, name.issue],
        ["InvalidInput", "name", `expected a non-empty string, got " "`]
      )
      const every = yield* Effect.flip(ClusterObserver.source({ every: "soon" as "1 second" }))
      assert.deepStrictEqual([every.field, every.issue], ["every", "expected a duration above zero, got soon"])
      const zero = yield* Effect.flip(ClusterObserver.source({ every: 0 }))
      assert.strictEqual(zero.field, "every")
    }).pipe(Effect.provide(ChildStore.layerMemory)))
})
