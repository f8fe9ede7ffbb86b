/**
 * GenServer hibernation (OTP's `hibernate_after`): an idle server lets its fiber go and
 * keeps its state, identity, scope, context, fiber refs and place under its supervisor;
 * everything a server promises holds while it hibernates. Timing on TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import {
  Cause,
  Context,
  Data,
  Deferred,
  Duration,
  Effect,
  Exit,
  FastCheck as fc,
  Fiber,
  FiberRef,
  Option,
  Ref,
  Request,
  TestClock,
  TestContext
} from "effect"
import { ExitReason, GenServer, Process, Registry, Supervisor, SupervisorError } from "../src/index.js"
import type { ProcessImpl } from "../src/internal/process.js"

class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
class Slow extends Request.TaggedClass("Slow")<number, never, {}> {}
class Increment extends Data.TaggedClass("Increment")<{ readonly by: number }> {}

const Counter = GenServer.make({
  requests: [GetCount, Slow],
  init: (initial: number) => Effect.succeed(initial),
  handlers: {
    GetCount: (_, count) => Effect.succeed([count, count]),
    Slow: (_, count) => Effect.as(Effect.sleep("10 seconds"), [count, count] as const)
  },
  handleCast: (message: Increment, count) => Effect.succeed(count + message.by)
})
const CounterName = GenServer.name(Counter, "Counter")

/** Lets forked fibers run until they suspend. */
const settle = Effect.gen(function*() {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
})

const hibernating = (process: Process.ProcessRef): boolean => (process as unknown as ProcessImpl).isHibernating

describe("GenServer hibernation", () => {
  it.scoped("hibernateAfter 0: an idle server has no fiber; each message wakes it, with its state and pid", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 5, { hibernateAfter: 0 })
      assert.isTrue(hibernating(counter), "hibernates as soon as init is over")
      yield* GenServer.cast(counter, new Increment({ by: 2 }))
      assert.isFalse(hibernating(counter), "a cast wakes it")
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 7)
      yield* settle
      assert.isTrue(hibernating(counter))
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 7)
      deepStrictEqual(counter.poll, Option.none())
    }))

  it.scoped("a finite hibernateAfter: the server hibernates after that long idle, each message starts the wait again", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 0, { hibernateAfter: "1 second" })
      assert.isTrue(hibernating(counter), "init gave its state at once: no fiber until a message needs one")
      yield* GenServer.cast(counter, new Increment({ by: 0 }))
      yield* settle
      yield* TestClock.adjust("999 millis")
      assert.isFalse(hibernating(counter))
      yield* TestClock.adjust("1 millis")
      yield* settle
      assert.isTrue(hibernating(counter), "idle for 1 second")

      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 0)
      yield* TestClock.adjust("600 millis")
      yield* GenServer.cast(counter, new Increment({ by: 1 }))
      yield* settle
      yield* TestClock.adjust("600 millis")
      assert.isFalse(hibernating(counter), "idle for 600 ms since the cast")
      yield* TestClock.adjust("400 millis")
      yield* settle
      assert.isTrue(hibernating(counter), "idle for 1 second since the cast")
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 1)
    }))

  it.scoped("by default a server hibernates after 1 second idle", () =>
    Effect.gen(function*() {
      // an init with an effect to run: the server starts with its fiber
      const counter = yield* GenServer.start(
        GenServer.make({
          requests: [GetCount],
          init: (initial: number) => Effect.sync(() => initial),
          handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
        }),
        0
      )
      yield* TestClock.adjust("999 millis")
      assert.isFalse(hibernating(counter))
      yield* TestClock.adjust("1 millis")
      yield* settle
      assert.isTrue(hibernating(counter))
    }))

  it.scoped("Duration.infinity: a server never hibernates", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 0, { hibernateAfter: Duration.infinity })
      yield* TestClock.adjust("1 hour")
      assert.isFalse(hibernating(counter))
    }))

  it.scoped("a call to a hibernating server times out on its clock", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 3, { hibernateAfter: 0 })
      const call = yield* Effect.fork(GenServer.call(counter, new Slow(), { timeout: "1 second" }))
      yield* settle
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.await(call)
      assert.isTrue(
        Exit.isFailure(exit) &&
          Cause.failureOption(exit.cause).pipe(Option.exists((error) => error instanceof GenServer.CallTimeout))
      )
      // the handler finishes later; the server answers the next call
      yield* TestClock.adjust("9 seconds")
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 3)
    }))

  it.scoped("invalid hibernateAfter values fail the start with InvalidOptions naming the field and the value", () =>
    Effect.gen(function*() {
      for (const [value, shown] of [[-1, "-1"], ["soon", "\"soon\""], [Number.NaN, "NaN"]] as const) {
        const exit = yield* Effect.exit(
          GenServer.start(Counter, 0, { hibernateAfter: value as unknown as number })
        )
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? Option.getOrThrow(Cause.failureOption(exit.cause)) : undefined
        assert.instanceOf(error, SupervisorError.InvalidOptions)
        assert.strictEqual(
          (error as SupervisorError.InvalidOptions).message,
          `hibernateAfter: expected a non-negative duration, got ${shown}`
        )
      }
    }))

  it.scoped("Process.kill, Process.exit and Process.stop end a hibernating server with their reasons", () =>
    Effect.gen(function*() {
      const killed = yield* GenServer.start(Counter, 0, { hibernateAfter: 0 })
      deepStrictEqual(yield* Process.kill(killed), ExitReason.killed)
      const failure = ExitReason.abnormal(Cause.fail("evicted"))
      const exited = yield* GenServer.start(Counter, 0, { hibernateAfter: 0 })
      deepStrictEqual(yield* Process.exit(exited, failure), failure)
      const stopped = yield* GenServer.start(Counter, 0, { hibernateAfter: 0 })
      deepStrictEqual(yield* Process.stop(stopped, "maintenance"), ExitReason.shutdownWith("maintenance"))
      deepStrictEqual(yield* stopped.await, ExitReason.shutdownWith("maintenance"))
      // a call to an ended server fails at once
      const exit = yield* Effect.exit(GenServer.call(stopped, new GetCount()))
      assert.isTrue(Exit.isFailure(exit))
    }))

  it.scoped("under a supervisor: a killed hibernating child comes back under its name, per its restart type", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        strategy: "one_for_one",
        children: [
          GenServer.childSpec(Counter, 0, { id: "Counter", name: CounterName, hibernateAfter: 0 }),
          GenServer.childSpec(Counter, 0, { id: "Transient", restart: "transient", hibernateAfter: 0 })
        ]
      })
      yield* GenServer.cast(CounterName, new Increment({ by: 4 }))
      assert.strictEqual(yield* GenServer.call(CounterName, new GetCount()), 4)
      yield* settle
      const first = Option.getOrThrow(yield* Registry.whereis("Counter"))
      assert.isTrue(hibernating(first))
      deepStrictEqual(yield* Process.kill(first), ExitReason.killed)
      assert.strictEqual(yield* GenServer.call(CounterName, new GetCount()), 0, "a fresh incarnation")
      const second = Option.getOrThrow(yield* Registry.whereis("Counter"))
      assert.notStrictEqual(second.pid, first.pid)

      const transient = (yield* Supervisor.whichChildren(supervisor)).find((info) => info.id === "Transient")!
      const process = Option.getOrThrow(transient.process)
      assert.isTrue(hibernating(process))
      // a normal exit of a transient child is not restarted; an abnormal one is
      deepStrictEqual(yield* Process.exit(process, ExitReason.normal), ExitReason.normal)
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(infos.map((info) => [info.id, info.status, info.restarts]), [
        ["Transient", "stopped", 0],
        ["Counter", "running", 1]
      ])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("terminate runs with the last state when a hibernating server is shut down", () =>
    Effect.gen(function*() {
      const terminated = yield* Ref.make<Array<string>>([])
      const Recorder = GenServer.make({
        requests: [GetCount],
        init: (initial: number) => Effect.succeed(initial),
        handlers: { GetCount: (_, count) => Effect.succeed([count, count]) },
        handleCast: (message: Increment, count) => Effect.succeed(count + message.by),
        terminate: (reason, count) => Ref.update(terminated, (all) => [...all, `${reason._tag} ${count}`])
      })
      const supervisor = yield* Supervisor.start({
        children: [GenServer.childSpec(Recorder, 1, { id: "recorder", hibernateAfter: 0 })]
      })
      const [info] = yield* Supervisor.whichChildren(supervisor)
      const recorder = Option.getOrThrow(info.value) as GenServer.Ref<GetCount, Increment>
      yield* GenServer.cast(recorder, new Increment({ by: 1 }))
      assert.strictEqual(yield* GenServer.call(recorder, new GetCount()), 2)
      yield* settle
      assert.isTrue(hibernating(recorder))
      yield* Supervisor.terminateChild(supervisor, "recorder")
      deepStrictEqual(yield* Ref.get(terminated), ["Shutdown 2"])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a hibernating server that misses its shutdown deadline counts as killed at the deadline", () =>
    Effect.gen(function*() {
      const Stubborn = GenServer.make({
        requests: [GetCount],
        init: () => Effect.succeed(0),
        handlers: { GetCount: (_, count) => Effect.succeed([count, count]) },
        terminate: () => Effect.sleep("5 seconds")
      })
      const supervisor = yield* Supervisor.start({
        children: [
          GenServer.childSpec(Stubborn, undefined, { id: "stubborn", shutdown: "1 second", hibernateAfter: 0 })
        ]
      })
      const [info] = yield* Supervisor.whichChildren(supervisor)
      const process = Option.getOrThrow(info.process)
      assert.isTrue(hibernating(process))
      const terminating = yield* Effect.fork(Supervisor.terminateChild(supervisor, "stubborn"))
      yield* settle
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(terminating)
      assert.deepStrictEqual(Array.from(yield* Supervisor.unstopped(supervisor)), [process])
      yield* TestClock.adjust("4 seconds")
      deepStrictEqual(yield* process.await, ExitReason.killed)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("fiber refs and services a server started with, or set in init or a handler, are kept across hibernation", () =>
    Effect.gen(function*() {
      const Label = FiberRef.unsafeMake("none")
      class Greeting extends Context.Tag("Greeting")<Greeting, string>() {}
      class Read extends Request.TaggedClass("Read")<string, never, {}> {}
      class Relabel extends Request.TaggedClass("Relabel")<void, never, { readonly label: string }> {}
      const Reader = GenServer.make({
        requests: [Read, Relabel],
        init: () => Effect.as(FiberRef.set(Label, "set in init"), 0),
        handlers: {
          Read: (_, state) =>
            Effect.map(
              Effect.zip(Greeting, FiberRef.get(Label)),
              ([greeting, label]) => [`${greeting}, ${label}`, state]
            ),
          Relabel: ({ label }, state) => Effect.as(FiberRef.set(Label, label), [undefined, state])
        }
      })
      const reader = yield* GenServer.start(Reader, undefined, { hibernateAfter: 0 }).pipe(
        Effect.provideService(Greeting, "hello")
      )
      assert.isTrue(hibernating(reader))
      assert.strictEqual(yield* GenServer.call(reader, new Read()), "hello, set in init")
      yield* GenServer.call(reader, new Relabel({ label: "set in a handler" }))
      yield* settle
      assert.isTrue(hibernating(reader))
      assert.strictEqual(yield* GenServer.call(reader, new Read()), "hello, set in a handler")
    }))

  it.scoped("a start whose waiter is interrupted stops the hibernating server", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const Gated = GenServer.make({
        requests: [GetCount],
        init: () => Effect.as(Deferred.await(gate), 0),
        handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
      })
      const starting = yield* Process.start(GenServer.spawn(Gated, undefined, { hibernateAfter: 0 }))
      const waiter = yield* Effect.fork(starting.await)
      yield* settle
      yield* Fiber.interrupt(waiter)
      assert.isTrue(Option.isSome(starting.poll))
    }))

  it.effect(
    "property: whatever the interleaving of casts, calls, idle time and hibernateAfter, every message is handled once, in order",
    () =>
      Effect.gen(function*() {
        type Op = { readonly _tag: "cast"; readonly by: number } | { readonly _tag: "call" } | {
          readonly _tag: "idle"
          readonly millis: number
        } | { readonly _tag: "yield" }
        const op: fc.Arbitrary<Op> = fc.oneof(
          fc.integer({ min: 1, max: 9 }).map((by) => ({ _tag: "cast", by }) as const),
          fc.constant({ _tag: "call" } as const),
          fc.integer({ min: 0, max: 30 }).map((millis) => ({ _tag: "idle", millis }) as const),
          fc.constant({ _tag: "yield" } as const)
        )
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              fc.constantFrom(0, 1, 5, 20),
              fc.array(op, { maxLength: 40 }),
              (hibernateAfter, ops) =>
                Effect.runPromise(
                  Effect.scoped(Effect.gen(function*() {
                    const counter = yield* GenServer.start(Counter, 0, { hibernateAfter })
                    let expected = 0
                    for (const step of ops) {
                      switch (step._tag) {
                        case "cast":
                          expected += step.by
                          yield* GenServer.cast(counter, new Increment({ by: step.by }))
                          break
                        case "call":
                          assert.strictEqual(yield* GenServer.call(counter, new GetCount()), expected)
                          break
                        case "idle":
                          yield* TestClock.adjust(step.millis)
                          break
                        case "yield":
                          yield* Effect.yieldNow()
                      }
                    }
                    assert.strictEqual(yield* GenServer.call(counter, new GetCount()), expected)
                  })).pipe(Effect.provide(TestContext.TestContext))
                )
            ),
            { numRuns: 60 }
          )
        )
      }),
    60_000
  )
})
