/**
 * Dynamic supervisors reachable by name, and stoppable (issue 15 §2): a
 * `DynamicSupervisor.Name` registers the supervisor; every operation takes the supervisor
 * or its name (`startChild(RoomSupervisor, spec)`, as Elixir's
 * `DynamicSupervisor.start_child(ChatApp.RoomSupervisor, spec)`); the name follows its
 * restarts by its parent; `DynamicSupervisor.stop`; a `ChildKind` and its arguments give
 * a child spec for `startChild`. With the type-level checks of names and of
 * requirements, compiled by `tsc -b`.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import {
  ChildKind,
  ChildSpec,
  ExitReason,
  Process,
  Registry,
  Supervisor,
  SupervisorError
} from "@effect-otp/supervisor"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Context, Effect, Fiber, Option, Ref, Schema, TestClock } from "effect"
import type { Duration } from "effect"
import type { Scope } from "effect"

const Rooms = DynamicSupervisor.name<{ readonly prefix: string }>("ChatApp.RoomSupervisor")

const settle = Effect.gen(function*() {
  for (let i = 0; i < 100; i++) yield* Effect.yieldNow()
})

const holderOf = (name: Registry.Key) => Effect.map(Registry.whereis(name), Option.getOrThrow)

const eventually = (condition: Effect.Effect<boolean, never, Registry.Registry>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 2000; i++) {
      if (yield* condition) return
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage("condition never held")
  })

const room = (id: string) => ChildSpec.make({ id, start: Effect.never })

/** Starts the rooms' supervisor under a parent, as the chat application does. */
const app = Supervisor.start({
  children: [DynamicSupervisor.childSpec({ id: "rooms", name: Rooms, extraArguments: { prefix: "#" } })]
})

describe("DynamicSupervisor names", () => {
  it.scoped("every operation takes the name; startChild by name gives the spec function the extra arguments", () =>
    Effect.gen(function*() {
      yield* app
      const a = yield* DynamicSupervisor.startChild(Rooms, room("a"))
      const b = yield* DynamicSupervisor.startChild(Rooms, (extra) => room(`${extra.prefix}b`))
      yield* DynamicSupervisor.startChild(room("c"))(Rooms)
      assert.deepStrictEqual((yield* DynamicSupervisor.whichChildren(Rooms)).map((info) => info.id), ["a", "#b", "c"])
      assert.deepStrictEqual(yield* DynamicSupervisor.countChildren(Rooms), {
        specs: 3,
        active: 3,
        supervisors: 0,
        workers: 3
      })
      yield* DynamicSupervisor.terminateChild(Rooms, b)
      yield* DynamicSupervisor.terminateChild(a.initial)(Rooms)
      assert.deepStrictEqual((yield* DynamicSupervisor.whichChildren(Rooms)).map((info) => info.id), ["c"])
      const tree = yield* DynamicSupervisor.tree(Rooms)
      // under a parent, its path is the parent's and its child id
      assert.strictEqual(tree.name, "supervisor/rooms")
      assert.strictEqual(tree.process.pid, (yield* holderOf(Rooms)).pid)
      assert.deepStrictEqual(yield* DynamicSupervisor.unstopped(Rooms), [])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("an unknown name is a typed NoProcess", () =>
    Effect.gen(function*() {
      const Nobody = DynamicSupervisor.name("Nobody")
      const expected = new Registry.NoProcess({ name: "Nobody" })
      deepStrictEqual(yield* Effect.flip(DynamicSupervisor.startChild(Nobody, room("a"))), expected)
      deepStrictEqual(yield* Effect.flip(DynamicSupervisor.countChildren(Nobody)), expected)
      deepStrictEqual(yield* Effect.flip(DynamicSupervisor.stop(Nobody)), expected)
      deepStrictEqual(yield* Effect.flip(DynamicSupervisor.join(Nobody)), expected)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a name held by a running supervisor fails the start with AlreadyStarted", () =>
    Effect.gen(function*() {
      const first = yield* DynamicSupervisor.start({ name: Rooms })
      const clash = yield* Effect.flip(DynamicSupervisor.start({ name: Rooms }))
      assert.instanceOf(clash, SupervisorError.AlreadyStarted)
      assert.strictEqual((clash as SupervisorError.AlreadyStarted).process.pid, first.process.pid)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("the name follows restarts: after its parent restarts it, startChild by name reaches the new incarnation", () =>
    Effect.gen(function*() {
      yield* app
      yield* DynamicSupervisor.startChild(Rooms, room("a"))
      const first = yield* holderOf(Rooms)
      yield* Process.kill(first)
      yield* eventually(Effect.map(Registry.whereis(Rooms), (found) => Option.isSome(found) && found.value !== first))
      // the new incarnation starts empty
      assert.deepStrictEqual(yield* DynamicSupervisor.countChildren(Rooms), {
        specs: 0,
        active: 0,
        supervisors: 0,
        workers: 0
      })
      const child = yield* DynamicSupervisor.startChild(Rooms, (extra) => room(`${extra.prefix}b`))
      const [info] = yield* DynamicSupervisor.whichChildren(Rooms)
      assert.strictEqual(info.id, "#b")
      assert.strictEqual(info.child, child)
      assert.notStrictEqual((yield* holderOf(Rooms)).pid, first.pid)
    }).pipe(Effect.provide(Registry.layer)))
})

describe("DynamicSupervisor.stop", () => {
  it.scoped("stops all children at once, each within its deadline, then the supervisor (shutdown)", () =>
    Effect.gen(function*() {
      const stopped = yield* Ref.make<ReadonlyArray<string>>([])
      const child = (id: string, stopTakes: Duration.DurationInput) =>
        ChildSpec.make({
          id,
          shutdown: "10 seconds",
          start: Effect.acquireRelease(
            Effect.void,
            () => Effect.zipRight(Effect.sleep(stopTakes), Ref.update(stopped, (list) => [...list, id]))
          ).pipe(Effect.zipRight(Effect.never))
        })
      const uploads = yield* DynamicSupervisor.start({ name: Rooms })
      yield* DynamicSupervisor.startChild(Rooms, child("slow", "2 seconds"))
      yield* DynamicSupervisor.startChild(Rooms, child("fast", "1 second"))
      const stopping = yield* Effect.fork(DynamicSupervisor.stop(Rooms))
      yield* settle
      yield* TestClock.adjust("1 second")
      // all at once: the fast one is done first though it started last
      assert.deepStrictEqual(yield* Ref.get(stopped), ["fast"])
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(stopping)
      assert.deepStrictEqual(yield* Ref.get(stopped), ["fast", "slow"])
      deepStrictEqual(yield* uploads.process.await, ExitReason.shutdown)
      assert.instanceOf(yield* Effect.flip(DynamicSupervisor.countChildren(uploads)), SupervisorError.SupervisorStopped)
      assert.deepStrictEqual(yield* Registry.names, [])
      // stopping a stopped supervisor does nothing
      yield* DynamicSupervisor.stop(uploads)
    }).pipe(Effect.provide(Registry.layer)))
})

describe("ChildKind with a dynamic supervisor", () => {
  it.scoped("a kind and its arguments give the child spec; the kind's defaults apply unless overridden", () =>
    Effect.gen(function*() {
      const started = yield* Ref.make<ReadonlyArray<string>>([])
      const Room = ChildKind.make(
        "room",
        Schema.Struct({ topic: Schema.String }),
        ({ topic }) => Effect.zipRight(Ref.update(started, (list) => [...list, topic]), Effect.never),
        { restart: "temporary", shutdown: 1000 }
      )
      const spec = ChildKind.childSpec(Room, { topic: "effect" }, { id: "room:effect" })
      assert.strictEqual(spec.restart, "temporary")
      assert.strictEqual(spec.type, "worker")
      assert.strictEqual(String(spec.shutdown), "Duration(1s)")
      assert.strictEqual(
        ChildKind.childSpec(Room, { topic: "x" }, { id: "x", restart: "transient" }).restart,
        "transient"
      )

      yield* app
      const child = yield* DynamicSupervisor.startChild(Rooms, spec)
      yield* DynamicSupervisor.startChild(
        Rooms,
        (extra) => ChildKind.childSpec(Room, { topic: `${extra.prefix}elixir` }, { id: "room:elixir" })
      )
      yield* settle
      assert.deepStrictEqual(yield* Ref.get(started), ["effect", "#elixir"])
      // temporary, from the kind: not restarted, forgotten
      yield* Process.kill(child.initial)
      yield* settle
      assert.deepStrictEqual((yield* DynamicSupervisor.whichChildren(Rooms)).map((info) => info.id), ["room:elixir"])
    }).pipe(Effect.provide(Registry.layer)))
})

class Db extends Context.Tag("Db")<Db, { readonly query: Effect.Effect<void> }>() {}
class Cache extends Context.Tag("Cache")<Cache, { readonly warm: Effect.Effect<void> }>() {}

const contextOf = <A, E, R>(_: Effect.Effect<A, E, R>) => expectTypeOf<R>()
const errorOf = <A, E, R>(_: Effect.Effect<A, E, R>) => expectTypeOf<E>()
const specOf = <A, E, R>(_: ChildSpec.ChildSpec<A, E, R>) => expectTypeOf<[E, R]>()

describe("DynamicSupervisor types", () => {
  it("a registered name needs the Registry and may fail with AlreadyStarted; a label does not", () => {
    contextOf(DynamicSupervisor.start({ name: Rooms })).toEqualTypeOf<Registry.Registry | Scope.Scope>()
    errorOf(DynamicSupervisor.start({ name: Rooms })).toEqualTypeOf<
      SupervisorError.InvalidOptions | SupervisorError.AlreadyStarted
    >()
    contextOf(DynamicSupervisor.start({ name: "rooms" })).toEqualTypeOf<Scope.Scope>()
    contextOf(DynamicSupervisor.start()).toEqualTypeOf<Scope.Scope>()
    specOf(DynamicSupervisor.childSpec({ id: "rooms", name: Rooms, extraArguments: { prefix: "#" } }))
      .toEqualTypeOf<
        [SupervisorError.InvalidOptions | SupervisorError.AlreadyStarted, Registry.Registry]
      >()
    // the name and the extra arguments must agree
    // @ts-expect-error extraArguments of another type than the name's
    DynamicSupervisor.start({ name: Rooms, extraArguments: 42 })
  })

  it("startChild needs what its spec needs, plus the Registry by name; the spec function gets the name's Extra", () => {
    const needsDb = ChildSpec.make({ id: "db", start: Effect.flatMap(Db, (db) => db.query) })
    const needsCache = ChildSpec.make({ id: "cache", start: Effect.flatMap(Cache, (cache) => cache.warm) })
    const supervisor = {} as DynamicSupervisor.DynamicSupervisor<{ readonly prefix: string }>
    contextOf(DynamicSupervisor.startChild(supervisor, needsDb)).toEqualTypeOf<Db>()
    contextOf(DynamicSupervisor.startChild(Rooms, needsCache)).toEqualTypeOf<Cache | Registry.Registry>()
    errorOf(DynamicSupervisor.startChild(Rooms, needsCache)).toEqualTypeOf<
      DynamicSupervisor.StartChildError<never> | SupervisorError.SupervisorStopped | Registry.NoProcess
    >()
    contextOf(DynamicSupervisor.startChild(Rooms, (extra) => extra.prefix === "#" ? needsDb : needsCache))
      .toEqualTypeOf<Db | Cache | Registry.Registry>()
    // @ts-expect-error the name's extra arguments have no `port`
    DynamicSupervisor.startChild(Rooms, (extra) => ChildSpec.make({ id: `${extra.port}`, start: Effect.never }))
    // @ts-expect-error a static supervisor's name is not a dynamic supervisor's
    DynamicSupervisor.countChildren(Supervisor.name("Rooms"))
    // @ts-expect-error Cache is still needed
    const _provided: Effect.Effect<unknown, unknown, Registry.Registry> = DynamicSupervisor.startChild(
      Rooms,
      needsCache
    ).pipe(Effect.provideService(Db, { query: Effect.void }))
  })
})
