/**
 * Sources on the page: what the page receives for one (its children grouped by location,
 * each naming its location), checked input, and the order of what is watched.
 */
import { Observer, type ObserverSource } from "@effect-otp/observer"
import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, PubSub, Queue, Stream, SubscriptionRef } from "effect"
import { State, type WireTree } from "../src/internal/model.js"
import { checkRows, sourceTree } from "../src/internal/source.js"
import { diff, watchSource } from "../src/internal/watchSource.js"

const watched = (rows: ReadonlyArray<ObserverSource.Row>, ended: string | null = null) => ({
  name: "cluster",
  kind: "cluster",
  locationKind: "runner",
  label: null,
  rows,
  ended
})

/** The rows the page shows for a tree, as text: depth, id, `@ location`. */
const outline = (tree: WireTree, depth = 0): ReadonlyArray<string> => [
  `${"  ".repeat(depth)}${tree.path} (${tree.strategy}${tree.status === null ? "" : `, ${tree.status}`})`,
  ...tree.children.flatMap((child) =>
    child.tree !== null
      ? outline(child.tree, depth + 1)
      : [
        `${"  ".repeat(depth + 1)}${child.id} ${child.type} ${child.status}${
          child.location ? ` @ ${child.location}` : ""
        }`
      ]
  )
]

describe("a source's tree", () => {
  it("groups the children by location (sorted), in the source's order, each naming its location", () => {
    const tree = sourceTree(watched([
      { id: "room-1", kind: "room", status: "running", location: "10.0.0.2:34431" },
      { id: "room-2", kind: "room", status: "running", location: "10.0.0.1:34431" },
      { id: "room-3", kind: "room", status: "stopped", location: "10.0.0.2:34431", exit: "gave up: too many restarts" },
      { id: "orphan", kind: "room", status: "restarting" }
    ]))
    expect(outline(tree)).toEqual([
      "cluster (cluster, running)",
      "  orphan room restarting",
      "  cluster/10.0.0.1:34431 (runner)",
      "    room-2 room running @ 10.0.0.1:34431",
      "  cluster/10.0.0.2:34431 (runner)",
      "    room-1 room running @ 10.0.0.2:34431",
      "    room-3 room stopped @ 10.0.0.2:34431"
    ])
    // no process, budget or actions: the page leaves those cells empty
    expect(tree).toMatchObject({ pid: null, budget: null, origin: "source", reason: null })
    expect(tree.children[1]).toMatchObject({ id: "10.0.0.1:34431", type: "runner", status: null, restarts: null })
    expect(tree.children[1].tree).toMatchObject({ origin: "location", pid: null, budget: null, status: null })
    expect(tree.children[2].tree!.children[1]).toEqual({
      id: "room-3",
      type: "room",
      status: "stopped",
      pid: null,
      restarts: null,
      upMs: null,
      exit: "gave up: too many restarts",
      tree: null,
      location: "10.0.0.2:34431"
    })
  })

  it("a source whose snapshots ended is stopped, with the reason", () => {
    expect(sourceTree(watched([], "failed: database is locked"))).toMatchObject({
      status: "stopped",
      reason: "failed: database is locked",
      children: []
    })
  })

  it("checks each snapshot: the first wrong row and field", () => {
    expect(checkRows([{ id: "a", kind: "room", status: "running", location: "x", restarts: 2, exit: "killed" }]))
      .toBeUndefined()
    expect(checkRows({})).toBe("expected an array of rows, got {}")
    expect(checkRows([{ id: "a", kind: "room", status: "running" }, null])).toBe("row 1: expected a row, got null")
    expect(checkRows([{ id: 1, kind: "room", status: "running" }])).toBe("row 0: id: expected a string, got 1")
    expect(checkRows([{ id: "a", kind: "room", status: "up" }])).toBe(
      `row 0: status: expected "running", "restarting" or "stopped", got "up"`
    )
    expect(checkRows([{ id: "a", kind: "room", status: "running", location: 7 }])).toBe(
      "row 0: location: expected a string, got 7"
    )
    expect(checkRows([{ id: "a", kind: "room", status: "running", restarts: -1 }])).toBe(
      "row 0: restarts: expected a whole number, got -1"
    )
  })
})

describe("a source's patches", () => {
  const row = (id: string, location: string, status: ObserverSource.Row["status"] = "running"): ObserverSource.Row => ({
    id,
    kind: "room",
    status,
    location
  })
  const before = new Map([row("a", "r1"), row("b", "r1"), row("c", "r2")].map((r) => [r.id, r]))

  it("carry the rows added or changed and the ids removed", () => {
    expect(diff(before, [row("a", "r1"), row("b", "r2"), row("d", "r3")])).toEqual({
      changed: [row("b", "r2"), row("d", "r3")],
      removed: ["c"]
    })
    expect(diff(before, [row("a", "r1"), row("b", "r1", "stopped"), row("c", "r2")])).toEqual({
      changed: [row("b", "r1", "stopped")],
      removed: []
    })
    expect(diff(before, Array.from(before.values()))).toEqual({ changed: [], removed: [] })
  })

  it("are left to the snapshot when more than 200 rows change", () => {
    const many = Array.from({ length: 300 }, (_, i) => row(`x${i}`, "r1"))
    expect(diff(before, many)).toBeUndefined()
    expect(diff(new Map(many.map((r) => [r.id, r])), [])).toBeUndefined()
    expect(diff(new Map(many.map((r) => [r.id, r])), many.slice(100))).toEqual({
      changed: [],
      removed: many.slice(0, 100).map((r) => r.id)
    })
  })
})

describe("watching a source", () => {
  it.scoped("follows its snapshots, records its events under their location, and shows it in watch order", () =>
    Effect.gen(function*() {
      const state = new State(100)
      const frames = yield* PubSub.unbounded<string>()
      const dirty = yield* Queue.unbounded<void>()
      const app = yield* Supervisor.start({ name: "app", children: [ChildSpec.make({ id: "a", start: Effect.never })] })
      state.watch(app, () => ({ maxRestarts: 3, withinMillis: 5000 }))
      const rows = yield* SubscriptionRef.make<ReadonlyArray<ObserverSource.Row>>([
        { id: "w1", kind: "worker", status: "running", location: "gpu-1" }
      ])
      const events = yield* Queue.unbounded<ObserverSource.Event>()
      yield* watchSource(state, frames, dirty, {
        name: "pool",
        snapshots: rows.changes,
        events: Stream.fromQueue(events)
      }, "eu")
      const snapshot = () =>
        Effect.gen(function*() {
          for (let i = 0; i < 10; i++) yield* Effect.yieldNow()
          return (yield* state.snapshot(0)).map((tree) => outline(tree))
        })
      expect(yield* snapshot()).toEqual([
        ["app (one_for_one, running)", "  a worker running"],
        ["pool (source, running)", "  pool/gpu-1 (location)", "    w1 worker running @ gpu-1"]
      ])
      expect((yield* state.snapshot(0))[1].label).toBe("eu")

      // the worker moves: a patch for the pages at once, the snapshot at the observer's pace
      const subscription = yield* PubSub.subscribe(frames)
      yield* SubscriptionRef.set(rows, [{ id: "w1", kind: "worker", status: "running", location: "gpu-2" }])
      expect((yield* snapshot())[1]).toEqual([
        "pool (source, running)",
        "  pool/gpu-2 (location)",
        "    w1 worker running @ gpu-2"
      ])
      expect((yield* Queue.takeAll(subscription)).pipe(Chunk.toReadonlyArray)).toEqual([
        `event: patch\ndata: ${
          JSON.stringify({
            source: "pool",
            locationKind: "location",
            changed: [{ id: "w1", kind: "worker", status: "running", location: "gpu-2" }],
            removed: []
          })
        }\n\n`
      ])

      yield* Queue.offer(events, { tag: "Moved", text: "w1 moved to gpu-2", childId: "w1", location: "gpu-2" })
      yield* Queue.offer(events, { tag: "Note", text: "pool resized" })
      yield* snapshot()
      expect(state.recent.map(({ tag, supervisor, childId, pid, text }) => ({ tag, supervisor, childId, pid, text })))
        .toEqual([
          { tag: "Moved", supervisor: "pool/gpu-2", childId: "w1", pid: null, text: "w1 moved to gpu-2" },
          { tag: "Note", supervisor: "pool", childId: null, pid: null, text: "pool resized" }
        ])
    }))

  it.scoped("a snapshot that is not rows stops the source, saying which row and field", () =>
    Effect.gen(function*() {
      const state = new State(100)
      const frames = yield* PubSub.unbounded<string>()
      const dirty = yield* Queue.unbounded<void>()
      yield* watchSource(state, frames, dirty, {
        name: "pool",
        snapshots: Stream.make(
          [{ id: "w1", kind: "worker", status: "running" }] as ReadonlyArray<ObserverSource.Row>,
          [{ id: "w1", kind: "worker", status: "busy" }] as unknown as ReadonlyArray<ObserverSource.Row>
        )
      }, null)
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      const [tree] = yield* state.snapshot(0)
      expect(tree).toMatchObject({
        path: "pool",
        status: "stopped",
        reason: `failed: invalid snapshot: row 0: status: expected "running", "restarting" or "stopped", got "busy"`
      })
      // the last good snapshot stays
      expect(tree.children.map((child) => child.id)).toEqual(["w1"])
    }))

  it.scoped("Observer.watch checks a source, naming the field", () =>
    Effect.gen(function*() {
      const noName = yield* Effect.flip(
        Observer.watch({ name: "", snapshots: Stream.make([]) } as ObserverSource.Source)
      )
      expect(noName.message).toBe(`watch: the source's name: expected a non-empty string, got ""`)
      const noStream = yield* Effect.flip(
        Observer.watch({ name: "pool", snapshots: [[]] } as unknown as ObserverSource.Source)
      )
      expect(noStream.message).toBe("watch: the source's snapshots: expected a Stream, got [[]]")
      const badKind = yield* Effect.flip(
        Observer.watch({ name: "pool", snapshots: Stream.make([]), kind: 1 } as unknown as ObserverSource.Source)
      )
      expect(badKind.message).toBe("watch: the source's kind: expected a string, got 1")
      yield* Observer.watch({ name: "pool", snapshots: Stream.make([]) })
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))
})
