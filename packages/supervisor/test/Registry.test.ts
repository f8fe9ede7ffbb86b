/**
 * Registry: names registered after init, clashes, whereis, names that stay reserved
 * while a supervisor restarts their process, and no entry left behind by a released
 * process.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Data, Effect, Exit, Fiber, Option, Request, Scope, TestClock } from "effect"
import {
  ChildSpec,
  ExitReason,
  GenServer,
  Process,
  Registry,
  Restart,
  Supervisor,
  SupervisorError
} from "../src/index.js"

class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
class Stop extends Data.TaggedClass("Stop")<{}> {}

const Counter = GenServer.make({
  requests: [GetCount],
  init: (initial: number) => Effect.succeed(initial),
  handlers: { GetCount: (_, count) => Effect.succeed([count, count]) },
  // a cast that makes the server stop normally (exit reason Shutdown)
  handleCast: (_: Stop, _count) => new ExitReason.ShutdownRequest({})
})
const CounterName = GenServer.name(Counter, "Counter")

const settle = Effect.gen(function*() {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
})

const holder = (name: Registry.Key) => Effect.map(Registry.whereis(name), Option.getOrThrow)

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${exit.value}`)
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

describe("Registry", () => {
  it.scoped("a named server is registered before its start returns; whereis gives None for other names", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Registry.names, [])
      const counter = yield* GenServer.start(Counter, 1, { name: "Counter" })
      deepStrictEqual(yield* Registry.whereis("Counter"), Option.some(counter))
      deepStrictEqual(yield* Registry.whereis(CounterName), Option.some(counter))
      assert.isTrue(yield* Registry.isRegistered("Counter"))
      deepStrictEqual(yield* Registry.whereis("Other"), Option.none())
      assert.deepStrictEqual(yield* Registry.names, ["Counter"])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a clash fails the start with AlreadyStarted holding the holder; a supervisor's start reports StartFailed", () =>
    Effect.gen(function*() {
      const first = yield* GenServer.start(Counter, 1, { name: CounterName })
      const clash = yield* Effect.exit(GenServer.start(Counter, 2, { name: CounterName }))
      const unsupervised = new SupervisorError.AlreadyStarted({
        id: "Counter",
        registryName: "Counter",
        process: first
      })
      deepStrictEqual(clash, Exit.fail(unsupervised))
      assert.strictEqual(failureOf(clash).message, `the name "Counter" is already held by ${first}`)
      // at a supervisor's start: OTP's {shutdown, {failed_to_start_child, Id, {already_started, Pid}}}
      const supervised = yield* Effect.exit(Supervisor.start({
        children: [GenServer.childSpec(Counter, 3, { id: "second", name: CounterName })]
      }))
      const error = failureOf(supervised)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag === "StartFailed") {
        assert.strictEqual(error.id, "second")
        const inner = new SupervisorError.AlreadyStarted({ id: "second", registryName: "Counter", process: first })
        deepStrictEqual(Cause.failureOption(error.cause), Option.some(inner))
        assert.strictEqual(
          error.message,
          `child "second" failed to start: child "second" could not take the name "Counter": it is held by ${first}`
        )
      }
      // the holder is untouched
      deepStrictEqual(yield* Registry.whereis(CounterName), Option.some(first))
      assert.strictEqual(yield* GenServer.call(CounterName, new GetCount()), 1)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("Supervisor.startChild of a child whose name is held fails with AlreadyStarted as is, naming the child", () =>
    Effect.gen(function*() {
      const first = yield* GenServer.start(Counter, 1, { name: CounterName })
      const supervisor = yield* Supervisor.start({ children: [] })
      const exit = yield* Effect.exit(
        Supervisor.startChild(supervisor, GenServer.childSpec(Counter, 2, { id: "second", name: CounterName }))
      )
      const expected = new SupervisorError.AlreadyStarted({ id: "second", registryName: "Counter", process: first })
      deepStrictEqual(exit, Exit.fail(expected))
      const error = failureOf(exit)
      assert.strictEqual(error.message, `child "second" could not take the name "Counter": it is held by ${first}`)
      if (error._tag === "AlreadyStarted") assert.strictEqual(error.process, first)
      // nothing is kept of the child: the same spec starts once the name is free
      assert.deepStrictEqual(yield* Supervisor.whichChildren(supervisor), [])
      yield* Process.stop(first)
      const second = yield* Supervisor.startChild(
        supervisor,
        GenServer.childSpec(Counter, 2, { id: "second", name: CounterName })
      )
      assert.strictEqual(yield* GenServer.call(second, new GetCount()), 2)
      // an id that runs is AlreadyStarted without a name
      const again = yield* Effect.exit(
        Supervisor.startChild(supervisor, GenServer.childSpec(Counter, 3, { id: "second" }))
      )
      deepStrictEqual(again, Exit.fail(new SupervisorError.AlreadyStarted({ id: "second", process: second })))
      // any other failure of a start is StartFailed
      const failing = yield* Effect.exit(Supervisor.startChild(
        supervisor,
        ChildSpec.make({ id: "failing", start: Process.withInit(Effect.fail("no database"), () => Effect.never) })
      ))
      assert.strictEqual(failureOf(failing)._tag, "StartFailed")
    }).pipe(Effect.provide(Registry.layer)))

  it.effect("an unsupervised server's name is removed when it ends, however it ends", () =>
    Effect.gen(function*() {
      // the scope closes
      yield* Effect.scoped(GenServer.start(Counter, 0, { name: CounterName }))
      assert.deepStrictEqual(yield* Registry.names, [])
      yield* Effect.scoped(Effect.gen(function*() {
        // it stops by itself
        const stopping = yield* GenServer.start(Counter, 0, { name: CounterName })
        yield* GenServer.cast(CounterName, new Stop())
        deepStrictEqual(yield* Process.await(stopping), ExitReason.shutdown)
        assert.deepStrictEqual(yield* Registry.names, [])
        // it is killed; the name is free for a new server at once
        const killed = yield* GenServer.start(Counter, 0, { name: CounterName })
        yield* Process.kill(killed)
        assert.deepStrictEqual(yield* Registry.names, [])
        const again = yield* GenServer.start(Counter, 5, { name: CounterName })
        assert.strictEqual(yield* GenServer.call(CounterName, new GetCount()), 5)
        deepStrictEqual(yield* Registry.whereis(CounterName), Option.some(again))
      }))
      assert.deepStrictEqual(yield* Registry.names, [])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a temporary named child that ends leaves no entry (it is not restarted)", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        children: [GenServer.childSpec(Counter, 0, { id: "temp", name: CounterName, restart: "temporary" })]
      })
      yield* Process.kill(yield* holder(CounterName))
      assert.deepStrictEqual(yield* Supervisor.whichChildren(supervisor), [])
      assert.deepStrictEqual(yield* Registry.names, [])
      deepStrictEqual(
        yield* Effect.exit(GenServer.call(CounterName, new GetCount())),
        Exit.fail(new Registry.NoProcess({ name: "Counter" }))
      )
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a transient named child that stops normally leaves no entry; one that crashes keeps its name", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        children: [GenServer.childSpec(Counter, 0, { id: "transient", name: CounterName, restart: "transient" })]
      })
      const first = yield* holder(CounterName)
      yield* Process.kill(first)
      yield* Supervisor.whichChildren(supervisor)
      const second = yield* holder(CounterName)
      assert.notStrictEqual(second.pid, first.pid)
      yield* GenServer.cast(CounterName, new Stop())
      deepStrictEqual(yield* Process.await(second), ExitReason.shutdown)
      const [info] = yield* Supervisor.whichChildren(supervisor)
      assert.strictEqual(info.status, "stopped")
      assert.deepStrictEqual(yield* Registry.names, [])
    }).pipe(Effect.provide(Registry.layer)))

  it.effect("terminateChild, restartChild and the supervisor's shutdown release and re-register names", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const supervisor = yield* Supervisor.start({
        children: [
          GenServer.childSpec(Counter, 1, { id: "a", name: "a" }),
          GenServer.childSpec(Counter, 2, { id: "b", name: "b" })
        ]
      }).pipe(Scope.extend(scope))
      yield* Supervisor.terminateChild(supervisor, "a")
      assert.deepStrictEqual(yield* Registry.names, ["b"])
      yield* Supervisor.restartChild(supervisor, "a")
      assert.deepStrictEqual([...(yield* Registry.names)].sort(), ["a", "b"])
      yield* Scope.close(scope, Exit.void)
      assert.deepStrictEqual(yield* Registry.names, [])
    }).pipe(Effect.provide(Registry.layer)))

  it.effect("when the supervisor gives up (intensity reached), no name remains", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const supervisor = yield* Supervisor.start({
        restartPolicy: Restart.intensity(1, "5 seconds"),
        children: [
          GenServer.childSpec(Counter, 1, { id: "a", name: "a" }),
          GenServer.childSpec(Counter, 2, { id: "b", name: "b" })
        ]
      }).pipe(Scope.extend(scope))
      yield* Process.kill(yield* holder("a"))
      yield* Supervisor.whichChildren(supervisor)
      yield* Process.kill(yield* holder("a"))
      assert.strictEqual((yield* Process.await(supervisor.process))._tag, "Shutdown")
      assert.deepStrictEqual(yield* Registry.names, [])
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a caller waiting for a reserved name gets NoProcess when the name is released", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        children: [
          GenServer.childSpec(Counter, 0, {
            id: "Counter",
            name: CounterName,
            backoff: Restart.backoff({ base: "1 second" })
          })
        ]
      })
      yield* Process.kill(yield* holder(CounterName))
      const calling = yield* Effect.fork(Effect.exit(GenServer.call(CounterName, new GetCount())))
      yield* settle
      assert.isTrue(Option.isNone(yield* Fiber.poll(calling)))
      yield* Supervisor.terminateChild(supervisor, "Counter") // cancels the pending restart
      deepStrictEqual(yield* Fiber.join(calling), Exit.fail(new Registry.NoProcess({ name: "Counter" })))
      assert.deepStrictEqual(yield* Registry.names, [])
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Registry.names, [])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("Registry.register names a plain process; the name follows its restarts", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        children: [ChildSpec.make({ id: "poller", start: Effect.zipRight(Registry.register("poller"), Effect.never) })]
      })
      const first = yield* holder("poller")
      const clash = yield* Effect.exit(Effect.provideService(Registry.register("poller"), Process.Self, first))
      assert.isTrue(Exit.isSuccess(clash), "registering the same process again is a no-op")
      yield* Process.kill(first)
      yield* Supervisor.whichChildren(supervisor)
      const second = yield* holder("poller")
      assert.notStrictEqual(second.pid, first.pid)
      assert.deepStrictEqual(yield* Registry.names, ["poller"])
    }).pipe(Effect.provide(Registry.layer)))
})
