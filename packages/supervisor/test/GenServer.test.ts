/**
 * GenServer: typed calls, casts, init, terminate, exits, timeouts, mailbox back-pressure,
 * and the lesson's supervision examples with names that follow restarts.
 */
import { assert, describe, expect, expectTypeOf, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import {
  Cause,
  Data,
  Deferred,
  Duration,
  Effect,
  Either,
  Exit,
  Fiber,
  FiberId,
  Option,
  Ref,
  Request,
  Schema,
  TestClock
} from "effect"
import { ExitReason, GenServer, Process, Registry, Restart, Supervisor, SupervisorError } from "../src/index.js"

// -----------------------------------------------------------------------------
// Servers of the lesson
// -----------------------------------------------------------------------------

class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
class Increment extends Data.TaggedClass("Increment")<{ readonly by: number }> {}

const Counter = GenServer.make({
  requests: [GetCount],
  init: (initial: number) => Effect.succeed(initial),
  handlers: {
    GetCount: (_, count) => Effect.succeed([count, count])
  },
  handleCast: (message: Increment, count) => Effect.succeed(count + message.by)
})
const CounterName = GenServer.name(Counter, "Counter")
const getCount = GenServer.call(CounterName, new GetCount())
const increment = (by: number) => GenServer.cast(CounterName, new Increment({ by }))

class Get extends Request.TaggedClass("Get")<Option.Option<string>, never, { readonly key: string }> {}
class Put extends Request.TaggedClass("Put")<void, never, { readonly key: string; readonly value: string }> {}

const KVStore = GenServer.make({
  requests: [Get, Put],
  init: () => Effect.succeed(new Map<string, string>()),
  handlers: {
    Get: ({ key }, store) => Effect.succeed([Option.fromNullable(store.get(key)), store]),
    Put: ({ key, value }, store) => Effect.succeed([undefined, new Map(store).set(key, value)])
  }
})
const KVStoreName = GenServer.name<typeof KVStore>("KVStore")

/** Lets forked fibers run until they suspend. */
const settle = Effect.gen(function*() {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
})

const isDone = <A, E>(fiber: Fiber.Fiber<A, E>) => Effect.map(Fiber.poll(fiber), Option.isSome)

const pidOf = (name: Registry.Key) => Effect.map(Registry.whereis(name), (process) => Option.getOrThrow(process).pid)

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${exit.value}`)
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

const exitedOf = <A, E>(exit: Exit.Exit<A, E>): GenServer.ProcessExited => {
  const error = failureOf(exit)
  assert.instanceOf(error, GenServer.ProcessExited)
  return error as GenServer.ProcessExited
}

describe("GenServer, the lesson", () => {
  it.scoped("one_for_one: a killed Counter comes back with a fresh state; KVStore keeps its pid and data", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        strategy: "one_for_one",
        children: [
          GenServer.childSpec(Counter, 0, { id: "Counter", name: CounterName }),
          GenServer.childSpec(KVStore, undefined, { id: "KVStore", name: KVStoreName })
        ]
      })
      assert.strictEqual(yield* getCount, 0)
      yield* increment(10)
      assert.strictEqual(yield* getCount, 10)
      yield* GenServer.call(KVStoreName, new Put({ key: "language", value: "elixir" }))
      const kvPid = yield* pidOf(KVStoreName)

      const counter = Option.getOrThrow(yield* Registry.whereis("Counter"))
      deepStrictEqual(yield* Process.kill(counter), ExitReason.killed)
      assert.strictEqual(yield* getCount, 0)

      const restarted = Option.getOrThrow(yield* GenServer.whereis(CounterName))
      assert.notStrictEqual(restarted.pid, counter.pid)
      assert.strictEqual(yield* pidOf(KVStoreName), kvPid)
      deepStrictEqual(
        yield* GenServer.call(KVStoreName, new Get({ key: "language" })),
        Option.some("elixir")
      )
      const infos = yield* Supervisor.whichChildren(supervisor)
      assert.deepStrictEqual(infos.map((info) => [info.id, info.status, info.restarts]), [
        ["KVStore", "running", 0],
        ["Counter", "running", 1]
      ])
    }).pipe(Effect.provide(Registry.layer)))

  class WhoAmI extends Request.TaggedClass("WhoAmI")<string, never, {}> {}
  const Service = GenServer.make({
    requests: [WhoAmI],
    init: (label: string) => Effect.succeed(label),
    handlers: { WhoAmI: (_, label) => Effect.succeed([label, label]) }
  })
  const Database = GenServer.name(Service, "Database")
  const Cache = GenServer.name(Service, "Cache")
  const WebServer = GenServer.name(Service, "WebServer")
  const all = [Database, Cache, WebServer] as const
  const pids = Effect.forEach(all, pidOf)

  it.scoped("rest_for_one: a Database crash restarts all three in order, a Cache crash only Cache and WebServer", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        strategy: "rest_for_one",
        children: all.map((name) => GenServer.childSpec(Service, name.key, { id: name.key, name }))
      })
      const [db0, cache0, web0] = yield* pids

      yield* Process.kill(Option.getOrThrow(yield* Registry.whereis(Database)))
      yield* Supervisor.whichChildren(supervisor) // the supervisor has handled the exit
      const [db1, cache1, web1] = yield* pids
      assert.isTrue(db1 !== db0 && cache1 !== cache0 && web1 !== web0, "all three restarted")
      // restarted in start order: pids are allocated in order
      assert.isTrue(db1 < cache1 && cache1 < web1)
      assert.deepStrictEqual(yield* Effect.forEach(all, (name) => GenServer.call(name, new WhoAmI())), [
        "Database",
        "Cache",
        "WebServer"
      ])

      yield* Process.kill(Option.getOrThrow(yield* Registry.whereis(Cache)))
      yield* Supervisor.whichChildren(supervisor)
      const [db2, cache2, web2] = yield* pids
      assert.strictEqual(db2, db1)
      assert.isTrue(cache2 !== cache1 && web2 !== web1 && cache2 < web2)
      assert.strictEqual(yield* GenServer.call(WebServer, new WhoAmI()), "WebServer")
    }).pipe(Effect.provide(Registry.layer)))
})

// -----------------------------------------------------------------------------
// Calls, casts, errors
// -----------------------------------------------------------------------------

class Withdraw extends Request.TaggedClass("Withdraw")<number, "insufficient", { readonly amount: number }> {}
class Balance extends Request.TaggedClass("Balance")<number, never, {}> {}
class Close extends Request.TaggedClass("Close")<void, never, {}> {}
class Crash extends Request.TaggedClass("Crash")<void, never, { readonly after: Duration.DurationInput }> {}

const Account = GenServer.make({
  requests: [Withdraw, Balance, Close, Crash],
  init: (balance: number) => Effect.succeed(balance),
  handlers: {
    Withdraw: ({ amount }, balance) =>
      amount > balance ? Effect.fail("insufficient" as const) : Effect.succeed([balance - amount, balance - amount]),
    Balance: (_, balance) => Effect.succeed([balance, balance]),
    Close: () => new ExitReason.ShutdownRequest({ reason: "closed" }),
    Crash: ({ after }) => Effect.zipRight(Effect.sleep(after), Effect.dieMessage("boom"))
  }
})

describe("GenServer calls", () => {
  it.scoped("each request gets its own reply type; a typed handler error goes to that caller only", () =>
    Effect.gen(function*() {
      const account = yield* GenServer.start(Account, 100)
      assert.strictEqual(yield* GenServer.call(account, new Withdraw({ amount: 30 })), 70)
      const refused = yield* Effect.either(GenServer.call(account, new Withdraw({ amount: 500 })))
      deepStrictEqual(refused, Either.left("insufficient" as const))
      // the server went on, with its state unchanged
      assert.strictEqual(yield* GenServer.call(account, new Balance()), 70)
      assert.isTrue(Option.isNone(account.poll))
    }))

  it.scoped("Schema.TaggedRequest requests work as well", () =>
    Effect.gen(function*() {
      class Echo extends Schema.TaggedRequest<Echo>()("Echo", {
        failure: Schema.Literal("empty"),
        success: Schema.String,
        payload: { text: Schema.String }
      }) {}
      const Echoer = GenServer.make({
        requests: [Echo],
        init: () => Effect.succeed(0),
        handlers: {
          Echo: ({ text }, calls) => text === "" ? Effect.fail("empty" as const) : Effect.succeed([text, calls + 1])
        }
      })
      const echoer = yield* GenServer.start(Echoer, undefined)
      assert.strictEqual(yield* GenServer.call(echoer, new Echo({ text: "hi" })), "hi")
      deepStrictEqual(
        yield* Effect.either(GenServer.call(echoer, new Echo({ text: "" }))),
        Either.left("empty" as const)
      )
    }))

  it.scoped("a handler failing with ShutdownRequest stops the server: its caller and later callers get ProcessExited", () =>
    Effect.gen(function*() {
      const account = yield* GenServer.start(Account, 100)
      const error = exitedOf(yield* Effect.exit(GenServer.call(account, new Close())))
      deepStrictEqual(error.reason, ExitReason.shutdownWith("closed"))
      assert.strictEqual(error.process, account)
      deepStrictEqual(yield* Process.await(account), ExitReason.shutdownWith("closed"))
      const later = failureOf(yield* Effect.exit(GenServer.call(account, new Balance())))
      deepStrictEqual(
        later,
        new GenServer.ProcessExited({ process: account, reason: ExitReason.shutdownWith("closed") })
      )
    }))

  it.scoped("a handler that dies: the caller and the queued callers get ProcessExited with an Abnormal reason", () =>
    Effect.gen(function*() {
      const account = yield* GenServer.start(Account, 100)
      const crashing = yield* Effect.fork(Effect.exit(GenServer.call(account, new Crash({ after: "1 second" }))))
      yield* settle
      const queued = yield* Effect.fork(Effect.exit(GenServer.call(account, new Balance())))
      yield* settle
      yield* TestClock.adjust("999 millis")
      assert.isFalse(yield* isDone(crashing))
      assert.isFalse(yield* isDone(queued))
      yield* TestClock.adjust("1 millis")
      const errors = [exitedOf(yield* Fiber.join(crashing)), exitedOf(yield* Fiber.join(queued))]
      for (const error of errors) {
        assert.strictEqual(error.process, account)
        assert.strictEqual(error.reason._tag, "Abnormal")
        if (error.reason._tag === "Abnormal") assert.isTrue(Cause.isDie(error.reason.cause))
      }
      const reason = yield* Process.await(account)
      assert.strictEqual(reason._tag, "Abnormal")
      // a caller arriving later does not hang either
      deepStrictEqual(exitedOf(yield* Effect.exit(GenServer.call(account, new Balance()))).reason, reason)
    }))

  class Slow extends Request.TaggedClass("Slow")<string, never, {}> {}
  const Sleeper = GenServer.make({
    requests: [Slow, Balance],
    init: () => Effect.succeed(0),
    handlers: {
      Slow: (_, n) => Effect.as(Effect.sleep("10 seconds"), ["slept", n + 1] as const),
      Balance: (_, n) => Effect.succeed([n, n])
    }
  })

  it.scoped("a call times out after 5 seconds by default, not before; the late reply is dropped", () =>
    Effect.gen(function*() {
      const sleeper = yield* GenServer.start(Sleeper, undefined)
      const calling = yield* Effect.fork(Effect.exit(GenServer.call(sleeper, new Slow())))
      yield* settle
      yield* TestClock.adjust("4999 millis")
      assert.isFalse(yield* isDone(calling))
      yield* TestClock.adjust("1 millis")
      const error = failureOf(yield* Fiber.join(calling))
      assert.deepStrictEqual(error, new GenServer.CallTimeout({ timeout: Duration.seconds(5) }))
      // the server goes on: it finishes the request (reply dropped), then answers the next one
      const next = yield* Effect.fork(GenServer.call(sleeper, new Balance(), { timeout: "infinity" }))
      yield* settle
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(yield* Fiber.join(next), 1)
    }))

  it.scoped("timeouts of different lengths each fire at their own time", () =>
    Effect.gen(function*() {
      const sleeper = yield* GenServer.start(Sleeper, undefined)
      const busy = yield* Effect.fork(GenServer.call(sleeper, new Slow(), { timeout: "infinity" }))
      const long = yield* Effect.fork(Effect.exit(GenServer.call(sleeper, new Balance(), { timeout: "4 seconds" })))
      yield* settle
      yield* TestClock.adjust("1 second")
      const short = yield* Effect.fork(Effect.exit(GenServer.call(sleeper, new Balance(), { timeout: "2 seconds" })))
      yield* settle
      yield* TestClock.adjust("1999 millis")
      assert.isFalse(yield* isDone(short))
      yield* TestClock.adjust("1 millis") // t = 3 s
      assert.deepStrictEqual(
        failureOf(yield* Fiber.join(short)),
        new GenServer.CallTimeout({ timeout: Duration.seconds(2) })
      )
      assert.isFalse(yield* isDone(long))
      yield* TestClock.adjust("1 second") // t = 4 s
      assert.deepStrictEqual(
        failureOf(yield* Fiber.join(long)),
        new GenServer.CallTimeout({ timeout: Duration.seconds(4) })
      )
      yield* TestClock.adjust("6 seconds")
      assert.strictEqual(yield* Fiber.join(busy), "slept")
    }))

  it.scoped("calls on TestClock share one sleeping timer instead of leaving one sleep per call", () =>
    Effect.gen(function*() {
      // a handler with an effect to run: each call waits for the server's fiber, within its timeout
      const Effectful = GenServer.make({
        requests: [GetCount],
        init: (initial: number) => Effect.succeed(initial),
        handlers: { GetCount: (_, count) => Effect.sync(() => [count, count] as const) }
      })
      const counter = yield* GenServer.start(Effectful, 0, { hibernateAfter: Duration.infinity })
      for (let i = 0; i < 50; i++) yield* GenServer.call(counter, new GetCount())
      assert.strictEqual((yield* TestClock.sleeps()).length, 1)
    }))

  it.scoped("a call with its own timeout", () =>
    Effect.gen(function*() {
      const sleeper = yield* GenServer.start(Sleeper, undefined)
      const calling = yield* Effect.fork(Effect.exit(GenServer.call(sleeper, new Slow(), { timeout: "20 seconds" })))
      yield* settle
      yield* TestClock.adjust("10 seconds")
      deepStrictEqual(yield* Fiber.join(calling), Exit.succeed("slept"))
    }))

  it.scoped("casts are handled in order with calls from the same sender; a cast to an ended server is dropped", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 1)
      yield* GenServer.cast(counter, new Increment({ by: 2 }))
      yield* GenServer.cast(counter, new Increment({ by: 3 }))
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 6)
      yield* Process.stop(counter)
      yield* GenServer.cast(counter, new Increment({ by: 1 }))
      deepStrictEqual(counter.poll, Option.some(ExitReason.shutdown))
    }))
})

// -----------------------------------------------------------------------------
// Life cycle
// -----------------------------------------------------------------------------

class InitFailed extends Data.TaggedError("InitFailed")<{ readonly why: string }> {}

describe("GenServer life cycle", () => {
  const Picky = GenServer.make({
    requests: [GetCount],
    init: (start: number): Effect.Effect<number, InitFailed | Process.Ignore> =>
      start < 0
        ? Effect.fail(new InitFailed({ why: "negative" }))
        : start === 0
        ? Process.ignore
        : Effect.succeed(start),
    handlers: { GetCount: (_, count) => Effect.succeed([count, count]) }
  })

  it.scoped("a failing init fails the start with its error; Process.ignore declines", () =>
    Effect.gen(function*() {
      const failed = yield* Effect.exit(GenServer.start(Picky, -1))
      deepStrictEqual(failed, Exit.fail(new InitFailed({ why: "negative" })))
      const supervised = yield* Effect.exit(
        Supervisor.start({ children: [GenServer.childSpec(Picky, -1, { id: "picky" })] })
      )
      const error = failureOf(supervised)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag === "StartFailed") {
        deepStrictEqual(Cause.failureOption(error.cause), Option.some(new InitFailed({ why: "negative" })))
      }
      const supervisor = yield* Supervisor.start({ children: [GenServer.childSpec(Picky, 0, { id: "picky" })] })
      assert.deepStrictEqual(yield* Supervisor.countChildren(supervisor), {
        specs: 1,
        active: 0,
        supervisors: 0,
        workers: 1
      })
      const counter = yield* GenServer.start(Picky, 7)
      assert.strictEqual(yield* GenServer.call(counter, new GetCount()), 7)
    }))

  const Tracked = GenServer.make({
    requests: [GetCount, Crash],
    init: (log: Ref.Ref<Array<string>>) =>
      Effect.as(
        Effect.acquireRelease(
          Ref.update(log, (lines) => [...lines, "acquire"]),
          () => Ref.update(log, (lines) => [...lines, "release"])
        ),
        { log, count: 0 }
      ),
    handlers: {
      GetCount: (_, state) => Effect.succeed([state.count, state]),
      Crash: () => Effect.dieMessage("boom")
    },
    handleCast: (message: Increment, state) => Effect.succeed({ ...state, count: state.count + message.by }),
    terminate: (reason, state) =>
      Ref.update(state.log, (lines) => [...lines, `terminate ${reason._tag} ${state.count}`])
  })

  it.effect("terminate runs when the scope stops the server, with Shutdown and the last state, before init's resources are released", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<Array<string>>([])
      const server = yield* Effect.scoped(Effect.gen(function*() {
        const server = yield* GenServer.start(Tracked, log)
        yield* GenServer.cast(server, new Increment({ by: 4 }))
        assert.strictEqual(yield* GenServer.call(server, new GetCount()), 4)
        assert.deepStrictEqual(yield* Ref.get(log), ["acquire"])
        return server
      }))
      assert.deepStrictEqual(yield* Ref.get(log), ["acquire", "terminate Shutdown 4", "release"])
      deepStrictEqual(server.poll, Option.some(ExitReason.shutdown))
    }))

  it.scoped("terminate runs after a crash (Abnormal) and after Process.kill (Killed)", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<Array<string>>([])
      const crashing = yield* GenServer.start(Tracked, log)
      yield* GenServer.cast(crashing, new Increment({ by: 2 }))
      yield* Effect.exit(GenServer.call(crashing, new Crash({ after: 0 })))
      assert.deepStrictEqual(yield* Ref.get(log), ["acquire", "terminate Abnormal 2", "release"])
      const killed = yield* GenServer.start(Tracked, log)
      yield* Process.kill(killed)
      assert.deepStrictEqual((yield* Ref.get(log)).slice(3), ["acquire", "terminate Killed 0", "release"])
    }))

  class Block extends Request.TaggedClass("Block")<void, never, {}> {}
  class Note extends Data.TaggedClass("Note")<{ readonly text: string }> {}
  const Bounded = GenServer.make({
    requests: [Block, GetCount],
    init: (gate: Deferred.Deferred<void>) => Effect.succeed({ gate, notes: [] as ReadonlyArray<string> }),
    handlers: {
      Block: (_, state) => Effect.as(Deferred.await(state.gate), [undefined, state] as const),
      GetCount: (_, state) => Effect.succeed([state.notes.length, state])
    },
    handleCast: (note: Note, state) => Effect.succeed({ ...state, notes: [...state.notes, note.text] })
  })

  it.scoped("a bounded mailbox makes senders wait while it is full", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const server = yield* GenServer.start(Bounded, gate, { mailbox: { capacity: 1 } })
      const blocking = yield* Effect.fork(GenServer.call(server, new Block(), { timeout: "infinity" }))
      yield* settle // the server is busy with Block, its mailbox is empty
      yield* GenServer.cast(server, new Note({ text: "a" })) // fills the mailbox
      const second = yield* Effect.fork(GenServer.cast(server, new Note({ text: "b" })))
      const third = yield* Effect.fork(GenServer.cast(server, new Note({ text: "c" })))
      const interrupted = yield* Effect.fork(GenServer.cast(server, new Note({ text: "never" })))
      yield* settle
      assert.isFalse(yield* isDone(second))
      assert.isFalse(yield* isDone(third))
      yield* Fiber.interrupt(interrupted) // withdrawn: never delivered
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(blocking)
      yield* Fiber.join(second)
      yield* Fiber.join(third)
      assert.strictEqual(yield* GenServer.call(server, new GetCount()), 3)
    }))

  it.scoped("an invalid mailbox capacity fails the start with InvalidOptions (a typed error, not a defect)", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      for (const [capacity, shown] of [[0, "0"], [-1, "-1"], [1.5, "1.5"], [NaN, "NaN"]] as const) {
        deepStrictEqual(
          yield* Effect.flip(GenServer.start(Bounded, gate, { mailbox: { capacity } })),
          new SupervisorError.InvalidOptions({ message: `mailbox.capacity: expected a positive integer, got ${shown}` })
        )
      }
    }))

  it("only a mailbox adds InvalidOptions to the error types of start, spawn and childSpec", () => {
    const startError = <E>(_: Effect.Effect<unknown, E, unknown>) => expectTypeOf<E>()
    const spawnError = <E>(_: Process.Spawn<unknown, E, unknown>) => expectTypeOf<E>()
    type Both = SupervisorError.AlreadyStarted | SupervisorError.InvalidOptions
    const gate = Deferred.unsafeMake<void>(FiberId.none)
    const name = GenServer.name(Bounded, "bounded")
    const mailbox = { capacity: 1 }
    startError(GenServer.start(Bounded, gate)).toEqualTypeOf<never>()
    startError(GenServer.start(Bounded, gate, { mailbox })).toEqualTypeOf<SupervisorError.InvalidOptions>()
    startError(GenServer.start(Bounded, gate, { name })).toEqualTypeOf<SupervisorError.AlreadyStarted>()
    startError(GenServer.start(Bounded, gate, { name, mailbox })).toEqualTypeOf<Both>()
    spawnError(GenServer.spawn(Bounded, gate, {})).toEqualTypeOf<never>()
    spawnError(GenServer.spawn(Bounded, gate, { mailbox })).toEqualTypeOf<SupervisorError.InvalidOptions>()
    spawnError(GenServer.spawn(Bounded, gate, { name })).toEqualTypeOf<SupervisorError.AlreadyStarted>()
    spawnError(GenServer.spawn(Bounded, gate, { name, mailbox })).toEqualTypeOf<Both>()
    spawnError(GenServer.childSpec(Bounded, gate, { id: "b" }).start).toEqualTypeOf<never>()
    spawnError(GenServer.childSpec(Bounded, gate, { id: "b", mailbox }).start)
      .toEqualTypeOf<SupervisorError.InvalidOptions>()
    spawnError(GenServer.childSpec(Bounded, gate, { id: "b", name }).start)
      .toEqualTypeOf<SupervisorError.AlreadyStarted>()
    spawnError(GenServer.childSpec(Bounded, gate, { id: "b", name, mailbox }).start).toEqualTypeOf<Both>()
  })
})

// -----------------------------------------------------------------------------
// Names and restarts
// -----------------------------------------------------------------------------

describe("GenServer names", () => {
  it.scoped("a call by name made while its server is restarting (backoff) waits for the new incarnation", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        children: [
          GenServer.childSpec(Counter, 5, {
            id: "Counter",
            name: CounterName,
            backoff: Restart.backoff({ base: "1 second" })
          })
        ]
      })
      yield* increment(1)
      assert.strictEqual(yield* getCount, 6)
      yield* Process.kill(Option.getOrThrow(yield* Registry.whereis(CounterName)))
      const [info] = yield* Supervisor.whichChildren(supervisor)
      assert.strictEqual(info.status, "restarting")
      // the name is reserved, no process holds it
      deepStrictEqual(yield* Registry.whereis(CounterName), Option.none())
      assert.deepStrictEqual(yield* Registry.names, ["Counter"])
      const calling = yield* Effect.fork(getCount)
      yield* settle
      yield* TestClock.adjust("999 millis")
      assert.isFalse(yield* isDone(calling))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Fiber.join(calling), 5)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a call by name made while its server runs terminate waits for the next incarnation", () =>
    Effect.gen(function*() {
      const SlowStop = GenServer.make({
        requests: [GetCount],
        init: (initial: number) => Effect.succeed(initial),
        handlers: { GetCount: (_, count) => Effect.succeed([count, count]) },
        handleCast: (message: Increment, count) => Effect.succeed(count + message.by),
        // the first incarnation (count 1) takes a second to stop
        terminate: (_, count) => count > 0 ? Effect.sleep("1 second") : Effect.void
      })
      const name = GenServer.name(SlowStop, "SlowStop")
      yield* Supervisor.start({ children: [GenServer.childSpec(SlowStop, 0, { id: "SlowStop", name })] })
      yield* GenServer.cast(name, new Increment({ by: 1 }))
      const first = Option.getOrThrow(yield* GenServer.whereis(name))
      const killing = yield* Effect.fork(Process.kill(first))
      yield* settle // first is in its terminate
      const calling = yield* Effect.fork(GenServer.call(name, new GetCount()))
      yield* settle
      assert.isFalse(yield* isDone(calling))
      yield* TestClock.adjust("1 second")
      deepStrictEqual(yield* Fiber.join(killing), ExitReason.killed)
      assert.strictEqual(yield* Fiber.join(calling), 0)
      assert.notStrictEqual(Option.getOrThrow(yield* GenServer.whereis(name)).pid, first.pid)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a call by name waiting for a restart longer than its timeout fails with CallTimeout", () =>
    Effect.gen(function*() {
      yield* Supervisor.start({
        children: [
          GenServer.childSpec(Counter, 0, {
            id: "Counter",
            name: CounterName,
            backoff: Restart.backoff({ base: "10 seconds" })
          })
        ]
      })
      yield* Process.kill(Option.getOrThrow(yield* Registry.whereis(CounterName)))
      const calling = yield* Effect.fork(
        Effect.exit(GenServer.call(CounterName, new GetCount(), { timeout: "2 seconds" }))
      )
      yield* settle
      yield* TestClock.adjust("1999 millis")
      assert.isFalse(yield* isDone(calling))
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(
        failureOf(yield* Fiber.join(calling)),
        new GenServer.CallTimeout({ timeout: Duration.seconds(2) })
      )
    }).pipe(Effect.provide(Registry.layer)))

  it.effect("a call by an unknown name fails with NoProcess at once", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(getCount)
      deepStrictEqual(exit, Exit.fail(new Registry.NoProcess({ name: "Counter" })))
      yield* GenServer.cast(CounterName, new Increment({ by: 1 })) // dropped, does not fail
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a name held by a running server: the second start fails with AlreadyStarted without running init", () =>
    Effect.gen(function*() {
      const inits = yield* Ref.make(0)
      const Counted = GenServer.make({
        requests: [GetCount],
        init: (n: number) => Effect.as(Ref.update(inits, (i) => i + 1), n),
        handlers: { GetCount: (_, n) => Effect.succeed([n, n]) }
      })
      const name = GenServer.name(Counted, "Counted")
      const first = yield* GenServer.start(Counted, 1, { name })
      const exit = yield* Effect.exit(GenServer.start(Counted, 2, { name }))
      deepStrictEqual(
        exit,
        Exit.fail(new SupervisorError.AlreadyStarted({ id: "Counted", registryName: "Counted", process: first }))
      )
      assert.strictEqual(yield* Ref.get(inits), 1)
      assert.strictEqual(yield* GenServer.call(name, new GetCount()), 1)
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("whereis finds the running server by name, typed", () =>
    Effect.gen(function*() {
      const counter = yield* GenServer.start(Counter, 3, { name: CounterName })
      const found = yield* GenServer.whereis(CounterName)
      deepStrictEqual(found, Option.some(counter))
      assert.strictEqual(yield* GenServer.call(Option.getOrThrow(found), new GetCount()), 3)
      deepStrictEqual(yield* Registry.whereis("Counter"), Option.some(counter))
      deepStrictEqual(yield* Registry.whereis("Nobody"), Option.none())
    }).pipe(Effect.provide(Registry.layer)))
})

describe("GenServer types", () => {
  it("rejects handlers whose reply or error does not match the request", () => {
    GenServer.make({
      requests: [GetCount],
      init: () => Effect.succeed(0),
      handlers: {
        // @ts-expect-error: GetCount replies with a number
        GetCount: (_, count) => Effect.succeed(["zero", count])
      }
    })
    GenServer.make({
      requests: [GetCount],
      init: () => Effect.succeed(0),
      handlers: {
        // @ts-expect-error: GetCount cannot fail
        GetCount: (_, count) => Effect.as(Effect.fail("nope"), [count, count] as const)
      }
    })
    GenServer.make({
      requests: [GetCount],
      init: () => Effect.succeed(0),
      // @ts-expect-error: a handler per request is required
      handlers: {}
    })
    const counter = {} as GenServer.Ref<GetCount, Increment>
    // @ts-expect-error: Counter does not answer Get
    GenServer.call(counter, new Get({ key: "k" }))
    // @ts-expect-error: KVStore accepts no casts
    GenServer.cast(KVStoreName, new Increment({ by: 1 }))
    const reply: Effect.Effect<number, unknown, Registry.Registry> = getCount
    expect(reply).toBeDefined()
  })
})
