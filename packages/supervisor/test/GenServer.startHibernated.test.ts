/**
 * A GenServer that may hibernate (a finite `hibernateAfter`), has no `terminate`, and
 * whose `init` gives its state at once (`Effect.succeed`) starts with no fiber, and,
 * until a message needs one, stops with none. What the start promises
 * holds all the same: `init` runs once per start, names are fail-fast and follow
 * restarts, exit reasons are those of the stop, finalizers added later run.
 */
import { assert, describe, it } from "@effect/vitest"
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Duration, Effect, Exit, FastCheck as fc, Option, Ref, Request } from "effect"
import { ExitReason, GenServer, Process, Registry, Supervisor, SupervisorError } from "../src/index.js"
import type { ProcessImpl } from "../src/internal/process.js"

class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
class Acquire extends Request.TaggedClass("Acquire")<void, never, {}> {}

const hibernating = (process: Process.ProcessRef): boolean => (process as unknown as ProcessImpl).isHibernating

/** A counter whose `init` function counts its calls in `inits`, and gives its state at once or not. */
const counting = (inits: { count: number }, instant: boolean) =>
  GenServer.make({
    requests: [GetCount],
    init: (initial: number) => {
      inits.count++
      return instant ? Effect.succeed(initial) : Effect.sync(() => initial)
    },
    handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
  })

describe("GenServer started hibernated", () => {
  it.scoped("an init that gives its state at once: no fiber from the start, init ran once, a message wakes it", () =>
    Effect.gen(function*() {
      const inits = { count: 0 }
      const counter = yield* GenServer.start(counting(inits, true), 3, { hibernateAfter: 0 })
      assert.isTrue(hibernating(counter))
      assert.strictEqual(inits.count, 1)
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 3)
      assert.strictEqual(inits.count, 1, "waking does not run init again")
    }))

  it.scoped("an init function that throws fails the start with that defect, whatever hibernateAfter", () =>
    Effect.gen(function*() {
      const Throwing = GenServer.make({
        requests: [GetCount],
        init: (_: void): Effect.Effect<number> => {
          throw new Error("no config")
        },
        handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
      })
      for (const hibernateAfter of [0, Duration.seconds(1)]) {
        const exit = yield* Effect.exit(GenServer.start(Throwing, undefined, { hibernateAfter }))
        assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
        if (Exit.isFailure(exit)) {
          const defect = Cause.dieOption(exit.cause).pipe(Option.getOrThrow)
          assert.strictEqual((defect as Error).message, "no config")
        }
      }
    }))

  it.scoped("a name: registered at the start, held names fail fast without running init, released at the stop", () =>
    Effect.gen(function*() {
      const inits = { count: 0 }
      const Counter = counting(inits, true)
      const name = GenServer.name(Counter, "counter")
      const first = yield* GenServer.start(Counter, 1, { name, hibernateAfter: 0 })
      assert.isTrue(hibernating(first))
      assert.strictEqual(yield* GenServer.call(name, new GetCount()), 1)
      const clash = yield* Effect.flip(GenServer.start(Counter, 2, { name, hibernateAfter: 0 }))
      assert.instanceOf(clash, SupervisorError.AlreadyStarted)
      assert.strictEqual(inits.count, 1, "init did not run for the clash")
      deepStrictEqual(yield* Process.stop(first), ExitReason.shutdown)
      deepStrictEqual(yield* Registry.whereis("counter"), Option.none())
      const second = yield* GenServer.start(Counter, 2, { name, hibernateAfter: 0 })
      assert.strictEqual(yield* GenServer.call(name, new GetCount()), 2)
      assert.notStrictEqual(second.pid, first.pid)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a finalizer a handler adds after the server woke runs when it stops", () =>
    Effect.gen(function*() {
      const released = yield* Ref.make(0)
      const Holder = GenServer.make({
        requests: [Acquire],
        init: () => Effect.succeed(undefined),
        handlers: {
          Acquire: (_, state) =>
            Effect.as(Effect.addFinalizer(() => Ref.update(released, (n) => n + 1)), [undefined, state] as const)
        }
      })
      const holder = yield* GenServer.start(Holder, undefined, { hibernateAfter: 0 })
      yield* GenServer.call(holder, new Acquire())
      yield* GenServer.call(holder, new Acquire())
      assert.strictEqual(yield* Ref.get(released), 0)
      deepStrictEqual(yield* Process.stop(holder), ExitReason.shutdown)
      assert.strictEqual(yield* Ref.get(released), 2)
    }))

  it.scoped("children that never woke stop with the supervisor: each ends with Shutdown, the supervisor with them", () =>
    Effect.gen(function*() {
      const inits = { count: 0 }
      const Counter = counting(inits, true)
      const children = Array.from(
        { length: 50 },
        (_, i) => GenServer.childSpec(Counter, i, { id: `counter-${i}`, hibernateAfter: 0 })
      )
      const supervisor = yield* Supervisor.start({ children })
      const processes = (yield* Supervisor.whichChildren(supervisor)).map((info) => Option.getOrThrow(info.process))
      assert.isTrue(processes.every(hibernating))
      yield* Supervisor.stop(supervisor)
      deepStrictEqual(yield* Supervisor.join(supervisor), ExitReason.shutdown)
      for (const process of processes) deepStrictEqual(process.poll, Option.some(ExitReason.shutdown))
    }))

  it.scoped("a supervised child killed before it ever woke is restarted under its name, init running once per start", () =>
    Effect.gen(function*() {
      const inits = { count: 0 }
      const Counter = counting(inits, true)
      const name = GenServer.name(Counter, "restarted")
      yield* Supervisor.start({
        children: [GenServer.childSpec(Counter, 7, { id: "restarted", name, hibernateAfter: 0 })]
      })
      for (let i = 1; i <= 3; i++) {
        const process = Option.getOrThrow(yield* Registry.whereis("restarted"))
        assert.isTrue(hibernating(process))
        deepStrictEqual(yield* Process.kill(process), ExitReason.killed)
        assert.strictEqual(yield* GenServer.call(name, new GetCount()), 7)
        assert.strictEqual(inits.count, i + 1)
      }
    }).pipe(Effect.provide(Registry.layer)))

  it.effect("property: init runs once per start and the server answers with its state, started hibernated or not", () =>
    Effect.gen(function*() {
      const cases = fc.sample(
        fc.record({
          instant: fc.boolean(),
          hibernateAfter: fc.constantFrom<Duration.DurationInput>(0, "1 second", Duration.infinity),
          initial: fc.integer(),
          supervised: fc.boolean()
        }),
        { numRuns: 40, seed: 16 }
      )
      for (const { hibernateAfter, initial, instant, supervised } of cases) {
        yield* Effect.scoped(Effect.gen(function*() {
          const inits = { count: 0 }
          const Counter = counting(inits, instant)
          const spec = GenServer.childSpec(Counter, initial, { id: "counter", hibernateAfter })
          const ref = supervised
            ? yield* Supervisor.startChild(yield* Supervisor.start({ children: [] }), spec)
            : yield* GenServer.start(Counter, initial, { hibernateAfter })
          assert.strictEqual(inits.count, 1)
          assert.strictEqual(yield* GenServer.call(ref, new GetCount()), initial)
          deepStrictEqual(yield* Process.stop(ref), ExitReason.shutdown)
          assert.strictEqual(inits.count, 1)
        }))
      }
    }).pipe(Effect.provide(Registry.layer)))
})
