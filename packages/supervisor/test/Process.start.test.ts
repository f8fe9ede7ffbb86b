import { ExitReason, Process } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Fiber, FiberRef, Option, Scope } from "effect"

const where = FiberRef.unsafeMake("nowhere")

class Greeting extends Context.Tag("test/Greeting")<Greeting, string>() {}

const startedOf = <A>(started: Process.Started<A>) => {
  assert.strictEqual(started._tag, "Started")
  if (started._tag !== "Started") throw new Error("not started")
  return started
}

describe("Process.start", () => {
  it.effect("an init that needs no I/O is over when start returns: poll has the started process", () =>
    Effect.gen(function*() {
      const starting = yield* Process.start(
        Process.make({ init: Effect.succeed(42), run: () => Effect.never, value: (state) => state })
      )
      const outcome = Option.getOrThrow(starting.poll)
      assert.isTrue(Exit.isSuccess(outcome))
      const started = startedOf(yield* starting.await)
      assert.strictEqual(started.value, 42)
      assert.isTrue(Option.isNone(started.process.poll), "the process runs")
      yield* Process.stop(started.process)
    }))

  it.effect("an init that waits: poll is None until it ends, await gives the outcome", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<string>()
      const starting = yield* Process.start(
        Process.make({ init: Deferred.await(gate), run: () => Effect.never, value: (state) => state })
      )
      assert.isTrue(Option.isNone(starting.poll))
      const waiter = yield* Effect.fork(starting.await)
      yield* Deferred.succeed(gate, "ready")
      const started = startedOf(yield* Fiber.join(waiter))
      assert.strictEqual(started.value, "ready")
      assert.isTrue(Option.isSome(starting.poll))
      yield* Process.stop(started.process)
    }))

  it.effect("a wait made while the start runs, and run after it ended, gets the outcome", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<string>()
      const starting = yield* Process.start(
        Process.make({ init: Deferred.await(gate), run: () => Effect.never, value: (state) => state })
      )
      const wait = starting.await
      yield* Deferred.succeed(gate, "ready")
      yield* Effect.yieldNow()
      assert.isTrue(Option.isSome(starting.poll))
      const started = startedOf(yield* wait)
      assert.strictEqual(started.value, "ready")
      yield* Process.stop(started.process)
    }))

  it.effect("every waiter gets the outcome", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<string>()
      const starting = yield* Process.start(
        Process.make({ init: Deferred.await(gate), run: () => Effect.never, value: (state) => state })
      )
      const waiters = yield* Effect.forEach([1, 2, 3], () => Effect.fork(starting.await))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(gate, "ready")
      const outcomes = yield* Effect.forEach(waiters, Fiber.join)
      assert.deepStrictEqual(outcomes.map((started) => startedOf(started).value), ["ready", "ready", "ready"])
      yield* Process.stop(startedOf(outcomes[0]).process)
    }))

  it.effect("a failing init: the outcome is its failure, once the process has ended", () =>
    Effect.gen(function*() {
      const finalized: Array<string> = []
      const starting = yield* Process.start(
        Process.withInit(
          Effect.zipRight(
            Effect.addFinalizer(() => Effect.sync(() => finalized.push("init's resource"))),
            Effect.fail("no database")
          ),
          () => Effect.never
        )
      )
      const outcome = Option.getOrThrow(starting.poll)
      assert.deepStrictEqual(outcome, Exit.fail("no database"))
      assert.deepStrictEqual(finalized, ["init's resource"])
    }))

  it.effect("a declining init: the outcome is Ignored", () =>
    Effect.gen(function*() {
      const starting = yield* Process.start(Process.withInit(Process.ignore, () => Effect.never))
      assert.deepStrictEqual(yield* starting.await, { _tag: "Ignored" })
    }))

  it.effect("interrupting the wait stops the process being started", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const self = yield* Deferred.make<Process.ProcessRef>()
      const starting = yield* Process.start(
        Process.withInit(
          Effect.flatMap(Process.Self, (process) =>
            Effect.zipRight(Deferred.succeed(self, process), Deferred.await(gate))),
          () =>
            Effect.never
        )
      )
      const process = yield* Deferred.await(self)
      const waiter = yield* Effect.fork(starting.await)
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(waiter)
      assert.isTrue(ExitReason.$is("Killed")(Option.getOrThrow(process.poll)))
    }))

  it.effect("origin: the process gets the origin's context and fiber refs, not the caller's", () =>
    Effect.gen(function*() {
      const origin = yield* Effect.runtime<Greeting>().pipe(
        Effect.provideService(Greeting, "hello from the origin"),
        Effect.locally(where, "origin")
      )
      const seen = Effect.all([Greeting, FiberRef.get(where)])
      const spawn = Process.make({ init: seen, run: () => Effect.never, value: (state) => state })
      const fromOrigin = yield* Process.start(spawn, { origin }).pipe(
        Effect.flatMap((starting) => starting.await),
        Effect.provideService(Greeting, "hello from the caller"),
        Effect.locally(where, "caller")
      )
      const fromCaller = yield* Process.start(spawn).pipe(
        Effect.flatMap((starting) => starting.await),
        Effect.provideService(Greeting, "hello from the caller"),
        Effect.locally(where, "caller")
      )
      assert.deepStrictEqual(startedOf(fromOrigin).value, ["hello from the origin", "origin"])
      assert.deepStrictEqual(startedOf(fromCaller).value, ["hello from the caller", "caller"])
      yield* Process.stop(startedOf(fromOrigin).process)
      yield* Process.stop(startedOf(fromCaller).process)
    }))
})

describe("Process.runScoped", () => {
  it.effect("the process is stopped (Shutdown) when the scope closes; a declined start leaves nothing", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const started = yield* Scope.extend(Process.runScoped(Process.fromEffect(Effect.never)), scope)
      const { process } = startedOf(started)
      assert.isTrue(Option.isNone(process.poll))
      const declined = yield* Scope.extend(
        Process.runScoped(Process.withInit(Process.ignore, () => Effect.never)),
        scope
      )
      assert.deepStrictEqual(declined, { _tag: "Ignored" })
      yield* Scope.close(scope, Exit.void)
      assert.isTrue(ExitReason.$is("Shutdown")(Option.getOrThrow(process.poll)))
    }))
})
