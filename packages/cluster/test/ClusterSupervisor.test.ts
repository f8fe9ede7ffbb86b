import { TestRunner } from "@effect/cluster"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Fiber, Layer, Schedule, Stream, TestClock } from "effect"
import { ChildStore, ClusterError, type ClusterEvent, ClusterSupervisor } from "../src/index.js"
import { counter, fragile, slow, slowpoke, starts, TooBig } from "./kinds.js"

const TestCluster = ClusterSupervisor.layer([counter, fragile, slow, slowpoke]).pipe(
  Layer.provideMerge(ChildStore.layerMemory),
  Layer.provideMerge(TestRunner.layer)
)

const setup = Effect.gen(function*() {
  starts.clear()
  // let the runner take its shards
  yield* TestClock.adjust(1)
})

/** Calls again while the child is between two incarnations (a restart runs in the child's runner). */
const settled = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.retry({
      while: (error) =>
        typeof error === "object" && error !== null && "_tag" in error && error._tag === "ChildRestarting",
      schedule: Schedule.recurs(50)
    })
  )

/** An error's tag and fields (deep equality on Error instances recurses into Effect's internals). */
const shape = (error: object) => ({ ...error })

const errorTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), Either.match({ onLeft: (error) => error._tag, onRight: () => "ok" }))

describe("ClusterSupervisor on TestRunner", () => {
  it.scoped("starts a child by id, kind and arguments; calls, casts, lists, counts and terminates it", () =>
    Effect.gen(function*() {
      yield* setup
      yield* ClusterSupervisor.startChild(counter, { id: "c1", args: { id: "c1", start: 5 } })
      assert.strictEqual(yield* ClusterSupervisor.call(counter, "c1", { _tag: "Add", by: 2 }), 7)
      assert.strictEqual(yield* ClusterSupervisor.call(counter, "c1", { _tag: "Get" }), 7)
      yield* ClusterSupervisor.cast(counter, "c1", { by: 3 })
      assert.strictEqual(yield* settled(ClusterSupervisor.call(counter, "c1", { _tag: "Get" })), 10)

      const children = yield* ClusterSupervisor.whichChildren
      assert.deepStrictEqual(children.map(({ id, kind, restart, status }) => ({ id, kind, restart, status })), [
        { id: "c1", kind: "counter", restart: "permanent", status: "running" }
      ])
      assert.isString(children[0].runner)
      assert.deepStrictEqual(yield* ClusterSupervisor.countChildren, { specs: 1, active: 1 })
      assert.include(ClusterSupervisor.render(children), "c1 (counter, permanent) running")

      // typed errors of the kind, and of the cluster
      const tooBig = yield* Effect.flip(ClusterSupervisor.call(counter, "c1", { _tag: "Add", by: 1000 }))
      assert.deepStrictEqual(shape(tooBig), shape(new TooBig({ limit: 100 })))
      const again = yield* Effect.flip(
        ClusterSupervisor.startChild(counter, { id: "c1", args: { id: "c1", start: 0 } })
      )
      assert.deepStrictEqual(shape(again), shape(new ClusterError.ChildAlreadyStarted({ id: "c1", kind: "counter" })))
      assert.strictEqual(yield* errorTag(ClusterSupervisor.call(fragile, "c1", { _tag: "Get" })), "UnknownKind")

      yield* ClusterSupervisor.terminateChild("c1")
      assert.deepStrictEqual(yield* ClusterSupervisor.whichChildren, [])
      assert.deepStrictEqual(
        shape(yield* Effect.flip(ClusterSupervisor.call(counter, "c1", { _tag: "Get" }))),
        shape(new ClusterError.ChildNotFound({ id: "c1" }))
      )
      assert.deepStrictEqual(
        shape(yield* Effect.flip(ClusterSupervisor.terminateChild("c1"))),
        shape(new ClusterError.ChildNotFound({ id: "c1" }))
      )
      assert.strictEqual(starts.get("c1"), 1)
    }).pipe(Effect.provide(TestCluster)))

  it.scoped("rejects bad input with a typed error naming the field", () =>
    Effect.gen(function*() {
      yield* setup
      const badArgs = yield* Effect.flip(
        ClusterSupervisor.startChild(counter, { id: "c1", args: { id: "c1", start: "five" as unknown as number } })
      )
      assert.strictEqual(badArgs._tag, "InvalidInput")
      assert.strictEqual(badArgs._tag === "InvalidInput" && badArgs.field, "args")
      const badRestart = yield* Effect.flip(
        ClusterSupervisor.startChild(counter, {
          id: "c1",
          args: { id: "c1", start: 1 },
          restart: "sometimes" as "permanent"
        })
      )
      assert.strictEqual(badRestart._tag === "InvalidInput" && badRestart.field, "spec")
      const badId = yield* Effect.flip(ClusterSupervisor.startChild(counter, { id: "", args: { id: "", start: 1 } }))
      assert.strictEqual(badId._tag === "InvalidInput" && badId.field, "id")
      const badTimeout = yield* Effect.flip(
        ClusterSupervisor.call(counter, "c1", { _tag: "Get" }, { timeout: "soon" as "1 second" })
      )
      assert.strictEqual(badTimeout._tag === "InvalidInput" && badTimeout.field, "timeout")
      assert.deepStrictEqual(yield* ClusterSupervisor.whichChildren, [])
    }).pipe(Effect.provide(TestCluster)))

  it.scoped("restart types: permanent and transient children come back after a crash, temporary ones do not", () =>
    Effect.gen(function*() {
      yield* setup
      for (const restart of ["permanent", "transient", "temporary"] as const) {
        yield* ClusterSupervisor.startChild(counter, { id: restart, args: { id: restart, start: 1 }, restart })
        yield* ClusterSupervisor.call(counter, restart, { _tag: "Add", by: 1 })
        assert.strictEqual(yield* errorTag(ClusterSupervisor.call(counter, restart, { _tag: "Crash" })), "CallFailed")
      }
      // a restart starts over from the arguments: in-memory state is lost
      assert.strictEqual(yield* settled(ClusterSupervisor.call(counter, "permanent", { _tag: "Get" })), 1)
      assert.strictEqual(yield* settled(ClusterSupervisor.call(counter, "transient", { _tag: "Get" })), 1)
      assert.strictEqual(
        yield* errorTag(settled(ClusterSupervisor.call(counter, "temporary", { _tag: "Get" }))),
        "ChildNotFound"
      )
      assert.deepStrictEqual(starts.get("permanent"), 2)
      assert.deepStrictEqual(starts.get("transient"), 2)
      assert.deepStrictEqual(starts.get("temporary"), 1)

      // a normal exit ends a transient child for good; a permanent one is restarted
      yield* ClusterSupervisor.call(counter, "transient", { _tag: "Stop" }).pipe(Effect.ignore)
      yield* ClusterSupervisor.call(counter, "permanent", { _tag: "Stop" }).pipe(Effect.ignore)
      assert.strictEqual(
        yield* errorTag(settled(ClusterSupervisor.call(counter, "transient", { _tag: "Get" }))),
        "ChildNotFound"
      )
      assert.strictEqual(yield* settled(ClusterSupervisor.call(counter, "permanent", { _tag: "Get" })), 1)
      const ids = (yield* ClusterSupervisor.whichChildren).map((child) => child.id)
      assert.deepStrictEqual(ids, ["permanent"])
    }).pipe(Effect.provide(TestCluster)))

  it.scoped("intensity: a poison message is answered with an error, then the child is given up", () =>
    Effect.gen(function*() {
      yield* setup
      const events = yield* ClusterSupervisor.events
      const collected = yield* events.pipe(
        Stream.takeUntil((event) => event._tag === "ChildGaveUp"),
        Stream.runCollect,
        Effect.fork
      )
      yield* Effect.yieldNow()
      yield* ClusterSupervisor.startChild(fragile, { id: "f", args: { id: "f", start: 0 } })
      // intensity(2, "1 minute"): two restarts are allowed, the third crash gives up
      for (let i = 0; i < 3; i++) {
        const error = yield* Effect.flip(settled(ClusterSupervisor.call(fragile, "f", { _tag: "Crash" })))
        assert.strictEqual(error._tag, "CallFailed")
      }
      const gaveUp = yield* Effect.flip(settled(ClusterSupervisor.call(fragile, "f", { _tag: "Get" })))
      assert.deepStrictEqual(shape(gaveUp), shape(new ClusterError.ChildGaveUp({ id: "f" })))
      assert.strictEqual(starts.get("f"), 3)
      assert.deepStrictEqual(
        (yield* ClusterSupervisor.whichChildren).map(({ id, status }) => ({ id, status })),
        [{ id: "f", status: "gave_up" }]
      )
      assert.deepStrictEqual(yield* ClusterSupervisor.countChildren, { specs: 1, active: 0 })
      const seen = Chunk.toReadonlyArray(yield* Fiber.join(collected)).map((event: ClusterEvent.ClusterEvent) =>
        event._tag === "ChildRestarted" ? `${event._tag} ${event.attempt}` : event._tag
      )
      assert.deepStrictEqual(seen, ["ChildStarted", "ChildRestarted 1", "ChildRestarted 2", "ChildGaveUp"])

      // a given-up child can be started again
      yield* ClusterSupervisor.startChild(fragile, { id: "f", args: { id: "f", start: 9 } })
      assert.strictEqual(yield* ClusterSupervisor.call(fragile, "f", { _tag: "Get" }), 9)
    }).pipe(Effect.provide(TestCluster)))

  it.scoped("backoff: a crashed child is restarted after its kind's backoff delay", () =>
    Effect.gen(function*() {
      yield* setup
      yield* ClusterSupervisor.startChild(slow, { id: "s", args: { id: "s", start: 3 } })
      assert.strictEqual(yield* errorTag(ClusterSupervisor.call(slow, "s", { _tag: "Crash" })), "CallFailed")
      assert.strictEqual(
        yield* errorTag(settled(ClusterSupervisor.call(slow, "s", { _tag: "Get" }))),
        "ChildRestarting"
      )
      yield* TestClock.adjust("999 millis")
      assert.strictEqual(
        yield* errorTag(settled(ClusterSupervisor.call(slow, "s", { _tag: "Get" }))),
        "ChildRestarting"
      )
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* settled(ClusterSupervisor.call(slow, "s", { _tag: "Get" })), 3)
      // the second restart waits 2 s
      assert.strictEqual(yield* errorTag(ClusterSupervisor.call(slow, "s", { _tag: "Crash" })), "CallFailed")
      yield* TestClock.adjust("1999 millis")
      assert.strictEqual(
        yield* errorTag(settled(ClusterSupervisor.call(slow, "s", { _tag: "Get" }))),
        "ChildRestarting"
      )
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* settled(ClusterSupervisor.call(slow, "s", { _tag: "Get" })), 3)
      assert.strictEqual(starts.get("s"), 3)
    }).pipe(Effect.provide(TestCluster)))

  it.scoped("shutdown deadlines: terminateChild waits for the child's shutdown (the kind's default here, 1 s), no longer", () =>
    Effect.gen(function*() {
      yield* setup
      yield* ClusterSupervisor.startChild(slowpoke, { id: "slow-stop", args: { id: "slow-stop" } })
      const terminating = yield* Effect.fork(ClusterSupervisor.terminateChild("slow-stop"))
      yield* TestClock.adjust("999 millis")
      assert.isNull(terminating.unsafePoll())
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(terminating)
      assert.deepStrictEqual(yield* ClusterSupervisor.whichChildren, [])

      // the overrunning terminate (listed as unstopped by its supervisor) ends in its own time
      yield* TestClock.adjust("10 seconds")
    }).pipe(Effect.provide(TestCluster)))
})
