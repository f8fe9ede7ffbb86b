/**
 * Supervisors reachable by name, and stoppable (issue 15 §2): a `Supervisor.Name`
 * registers the supervisor once its children have started; every operation takes the
 * supervisor or its name; the name follows the supervisor's restarts by its parent; an
 * unknown name is a typed `NoProcess`; `Supervisor.stop` stops the tree in reverse order,
 * each child within its deadline.
 */
import { assert, describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Effect, Exit, Fiber, Option, Schedule, TestClock } from "effect"
import { ChildSpec, ExitReason, Process, Registry, Supervisor, SupervisorError } from "../src/index.js"
import { children, eventually, exitOf, isDone, makeHarness, settle } from "./utils/harness.js"

const App = Supervisor.name("App")
const Sub = Supervisor.name("App.Sub")

const holderOf = (name: Registry.Key) => Effect.map(Registry.whereis(name), Option.getOrThrow)

describe("Supervisor names", () => {
  it.scoped("a named supervisor is registered once its children have started; every operation takes its name", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const supervisor = yield* Supervisor.start({ name: App, children: [h.child("a"), h.child("b")] })
      assert.strictEqual((yield* holderOf(App)).pid, supervisor.process.pid)
      // its key is its label in the tree
      assert.strictEqual((yield* Supervisor.tree(App)).name, "App")

      yield* Supervisor.startChild(App, h.child("c"))
      assert.deepStrictEqual((yield* Supervisor.whichChildren(App)).map((info) => info.id), ["c", "b", "a"])
      assert.deepStrictEqual(yield* Supervisor.countChildren(App), {
        specs: 3,
        active: 3,
        supervisors: 0,
        workers: 3
      })
      yield* Supervisor.terminateChild(App, "b")
      assert.strictEqual((yield* Supervisor.getChildSpec(App, "b")).id, "b")
      yield* Supervisor.restartChild(App, "b")
      yield* Supervisor.terminateChild("c")(App)
      yield* Supervisor.deleteChild(App, "c")
      assert.deepStrictEqual(yield* children(supervisor), [
        ["a", "running", (yield* h.processOf("a")).pid],
        ["b", "running", (yield* h.processOf("b")).pid]
      ])
      assert.deepStrictEqual(yield* Supervisor.unstopped(App), [])
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "start c", "stop b", "start b", "stop c"])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("an unknown name is a typed NoProcess, for every operation", () =>
    Effect.gen(function*() {
      const Nobody = Supervisor.name("Nobody")
      const expected = new Registry.NoProcess({ name: "Nobody" })
      deepStrictEqual(yield* Effect.flip(Supervisor.whichChildren(Nobody)), expected)
      deepStrictEqual(yield* Effect.flip(Supervisor.countChildren(Nobody)), expected)
      deepStrictEqual(
        yield* Effect.flip(Supervisor.startChild(Nobody, ChildSpec.make({ id: "x", start: Effect.never }))),
        expected
      )
      deepStrictEqual(yield* Effect.flip(Supervisor.stop(Nobody)), expected)
      deepStrictEqual(yield* Effect.flip(Supervisor.join(Nobody)), expected)
      deepStrictEqual(yield* Effect.flip(Supervisor.tree(Nobody)), expected)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a name held by a running process fails the start with AlreadyStarted, before any child starts", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const first = yield* Supervisor.start({ name: App, children: [h.child("a")] })
      const clash = yield* Effect.flip(Supervisor.start({ name: App, children: [h.child("b")] }))
      assert.instanceOf(clash, SupervisorError.AlreadyStarted)
      assert.strictEqual((clash as SupervisorError.AlreadyStarted).process.pid, first.process.pid)
      assert.deepStrictEqual(yield* h.log, ["start a"])
      assert.strictEqual((yield* holderOf(App)).pid, first.process.pid)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("the name follows restarts: after its parent restarts it, the name is the new incarnation's", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const root = yield* Supervisor.start({
        name: App,
        children: [Supervisor.childSpec({ id: "sub", name: Sub, children: [h.child("a")] })]
      })
      const first = yield* holderOf(Sub)
      yield* Supervisor.startChild(Sub, h.child("added"))
      yield* Process.kill(first)
      yield* eventually(Effect.map(Registry.whereis(Sub), (found) => Option.isSome(found) && found.value !== first))
      const second = yield* holderOf(Sub)
      assert.notStrictEqual(second.pid, first.pid)
      // the operation reaches the new incarnation: restarted from its own spec, without the child added at run time
      assert.deepStrictEqual((yield* Supervisor.whichChildren(Sub)).map((info) => info.id), ["a"])
      assert.strictEqual((yield* Supervisor.tree(Sub)).process.pid, second.pid)
      const [info] = yield* Supervisor.whichChildren(root)
      assert.strictEqual(info.restarts, 1)
      deepStrictEqual(info.process, Option.some(second))
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("an operation made while the parent restarts the supervisor waits for the new incarnation", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      // the parent restarts the supervisor after a 1 second backoff
      yield* Supervisor.start({
        children: [
          ChildSpec.make({
            id: "sub",
            type: "supervisor",
            start: Supervisor.spawn({ name: Sub, children: [h.child("a")] }),
            backoff: Schedule.spaced("1 second")
          })
        ]
      })
      const first = yield* holderOf(Sub)
      yield* Process.kill(first)
      yield* settle
      assert.deepStrictEqual(yield* Registry.whereis(Sub), Option.none())
      const counting = yield* Effect.fork(Supervisor.countChildren(Sub))
      yield* settle
      assert.isFalse(yield* isDone(counting))
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Fiber.join(counting), { specs: 1, active: 1, supervisors: 0, workers: 1 })
      assert.notStrictEqual((yield* holderOf(Sub)).pid, first.pid)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("the name is released when the supervisor will not come back", () =>
    Effect.gen(function*() {
      const root = yield* Supervisor.start({
        children: [Supervisor.childSpec({ id: "sub", name: Sub, restart: "temporary" })]
      })
      yield* Supervisor.terminateChild(root, "sub")
      deepStrictEqual(yield* Effect.flip(Supervisor.countChildren(Sub)), new Registry.NoProcess({ name: "App.Sub" }))
      assert.deepStrictEqual(yield* Registry.names, [])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a name that is not a supervisor's is a defect naming it", () =>
    Effect.gen(function*() {
      yield* Process.runScoped(Process.fromEffect(Effect.zipRight(Registry.register("App"), Effect.never)))
      yield* settle
      const exit = yield* Effect.exit(Supervisor.countChildren(App))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.include(String(Exit.isFailure(exit) && Cause.pretty(exit.cause)), "is not a supervisor")
    }).pipe(Effect.provide(Registry.layer)))
})

describe("Supervisor.stop", () => {
  it.scoped("stops the children in reverse start order, then the supervisor, which exits with shutdown", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const supervisor = yield* Supervisor.start({ children: [h.child("a"), h.child("b"), h.child("c")] })
      yield* Supervisor.stop(supervisor)
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.instanceOf(yield* Effect.flip(Supervisor.whichChildren(supervisor)), SupervisorError.SupervisorStopped)
      // stopping a stopped supervisor does nothing
      yield* Supervisor.stop(supervisor)
    }))

  it.scoped("by name: each child within its shutdown deadline; a child past it is killed and listed as unstopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const stubborn = ChildSpec.make({
        id: "stubborn",
        // ignores its stop for 10 seconds
        start: Effect.uninterruptible(Effect.sleep("10 seconds")),
        shutdown: "2 seconds"
      })
      const supervisor = yield* Supervisor.start({
        name: App,
        children: [h.child("a", { stopDelay: "1 second", shutdown: "5 seconds" }), stubborn]
      })
      const stopping = yield* Effect.fork(Supervisor.stop(App))
      yield* settle
      assert.isFalse(yield* isDone(stopping))
      yield* TestClock.adjust("2 seconds") // the stubborn child's deadline
      assert.deepStrictEqual(yield* h.log, ["start a", "stopping a"])
      yield* TestClock.adjust("1 second") // a's finalizer
      yield* Fiber.join(stopping)
      assert.deepStrictEqual(yield* h.log, ["start a", "stopping a", "stop a"])
      deepStrictEqual(yield* exitOf(supervisor.process), ExitReason.shutdown)
      assert.strictEqual((yield* Supervisor.unstopped(supervisor)).length, 1)
      // once stopped, its name is released
      assert.deepStrictEqual(yield* Registry.names, [])
      yield* TestClock.adjust("7 seconds")
      yield* settle
      assert.deepStrictEqual(yield* Supervisor.unstopped(supervisor), [])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a supervisor stopped under its parent is restarted by the parent; its name follows", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      yield* Supervisor.start({ children: [Supervisor.childSpec({ id: "sub", name: Sub, children: [h.child("a")] })] })
      const first = yield* holderOf(Sub)
      yield* Supervisor.stop(Sub)
      yield* eventually(Effect.map(Registry.whereis(Sub), (found) => Option.isSome(found) && found.value !== first))
      assert.deepStrictEqual(yield* h.log, ["start a", "stop a", "start a"])
      assert.deepStrictEqual((yield* Supervisor.countChildren(Sub)).active, 1)
    }).pipe(Effect.provide(Registry.layer)))
})
