/**
 * A GenServer handler that stops its server (Elixir's `{:stop, reason, reply, state}`,
 * issue 14 §2): the caller gets the reply, then the server exits with the reason;
 * `normal` and `shutdown` are normal exits, others are crashes.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Data, Effect, Exit, Fiber, Option, Request, TestClock } from "effect"
import type { ChildSpec } from "../src/index.js"
import { ExitReason, GenServer, Process, Registry, Restart, Supervisor } from "../src/index.js"
import { exitOf, settle, startInScope } from "./utils/harness.js"

class Balance extends Request.TaggedClass("Balance")<number, never, {}> {}
/** Replies with the final balance, then stops with `reason`. */
class Close extends Request.TaggedClass("Close")<number, never, { readonly reason: ExitReason.ExitReason }> {}
/** Stops with `reason`, without a reply. */
class Abort extends Request.TaggedClass("Abort")<void, never, { readonly reason: ExitReason.ExitReason }> {}
/** Waits a second (TestClock), so that calls queue behind it. */
class Slow extends Request.TaggedClass("Slow")<void, never, {}> {}
class Drain extends Data.TaggedClass("Drain")<{ readonly reason: ExitReason.ExitReason }> {}

const makeAccount = (log: Array<string>) =>
  GenServer.make({
    requests: [Balance, Close, Abort, Slow],
    init: (balance: number) => Effect.succeed(balance),
    handlers: {
      Balance: (_, balance) => Effect.succeed([balance, balance]),
      Close: ({ reason }, balance) => GenServer.stop(reason, { reply: balance, state: -1 }),
      Abort: ({ reason }) => GenServer.stop(reason),
      Slow: (_, balance) => Effect.as(Effect.sleep("1 second"), [undefined, balance] as const)
    },
    handleCast: (drain: Drain) => GenServer.stop(drain.reason, { state: 0 }),
    terminate: (reason, balance) => Effect.sync(() => log.push(`terminate ${reason._tag} ${balance}`))
  })

class Boom extends Data.TaggedError("Boom")<{}> {}
const crash = ExitReason.abnormal(Cause.fail(new Boom()))

const exitedOf = <A, E>(exit: Exit.Exit<A, E>): GenServer.ProcessExited => {
  const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
  if (Option.isNone(failure) || !(failure.value instanceof GenServer.ProcessExited)) {
    throw new Error(`expected ProcessExited, got ${String(exit)}`)
  }
  return failure.value
}

describe("GenServer.stop", () => {
  it.scoped("reply and stop: the caller gets the reply, then the server exits with the reason; terminate gets it", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      const account = yield* GenServer.start(makeAccount(log), 100)
      assert.strictEqual(yield* GenServer.call(account, new Close({ reason: ExitReason.normal })), 100)
      deepStrictEqual(yield* exitOf(account), ExitReason.normal)
      // the last state is the one the stop gave
      assert.deepStrictEqual(log, ["terminate Normal -1"])
      // later calls get ProcessExited with the reason
      deepStrictEqual(exitedOf(yield* Effect.exit(GenServer.call(account, new Balance()))).reason, ExitReason.normal)
    }))

  it.scoped("every reason: normal, shutdown, {shutdown, term}, a crash; queued callers get ProcessExited with it", () =>
    Effect.gen(function*() {
      for (const reason of [ExitReason.normal, ExitReason.shutdown, ExitReason.shutdownWith("drained"), crash]) {
        const log: Array<string> = []
        const account = yield* GenServer.start(makeAccount(log), 7)
        const slow = yield* Effect.fork(GenServer.call(account, new Slow()))
        yield* settle
        const closing = yield* Effect.fork(GenServer.call(account, new Close({ reason })))
        const queued = yield* Effect.fork(Effect.exit(GenServer.call(account, new Balance())))
        yield* settle
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(slow)
        assert.strictEqual(yield* Fiber.join(closing), 7)
        const exited = exitedOf(yield* Fiber.join(queued))
        assert.strictEqual(exited.reason, reason)
        assert.strictEqual(yield* exitOf(account), reason)
        assert.deepStrictEqual(log, [`terminate ${reason._tag} -1`])
      }
    }))

  it.scoped("stop without a reply: the caller gets ProcessExited with the reason", () =>
    Effect.gen(function*() {
      const account = yield* GenServer.start(makeAccount([]), 1)
      const exit = yield* Effect.exit(GenServer.call(account, new Abort({ reason: ExitReason.shutdownWith("bye") })))
      deepStrictEqual(exitedOf(exit).reason, ExitReason.shutdownWith("bye"))
      deepStrictEqual(yield* exitOf(account), ExitReason.shutdownWith("bye"))
    }))

  it.scoped("handleCast stops with the reason and its last state", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      const account = yield* GenServer.start(makeAccount(log), 5)
      yield* GenServer.cast(account, new Drain({ reason: ExitReason.shutdownWith("drained") }))
      deepStrictEqual(yield* exitOf(account), ExitReason.shutdownWith("drained"))
      assert.deepStrictEqual(log, ["terminate Shutdown 0"])
    }))

  it.effect("under a supervisor: normal and shutdown exits leave a transient child stopped, a crash restarts it", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      const Account = makeAccount(log)
      const spec = (id: string, restart: ChildSpec.RestartType) => GenServer.childSpec(Account, 10, { id, restart })
      const { close, supervisor } = yield* startInScope({
        restartPolicy: Restart.intensity(10, "5 seconds"),
        children: [
          spec("normal", "transient"),
          spec("shutdown", "transient"),
          spec("tagged", "transient"),
          spec("crash", "transient"),
          spec("permanent", "permanent")
        ]
      })
      const refOf = (id: string) =>
        Effect.map(Supervisor.whichChildren(supervisor), (children) => {
          const child = children.find((child) => child.id === id)!
          return Option.getOrThrow(child.value) as unknown as GenServer.Ref<Balance | Close | Abort | Slow>
        })
      const cases: ReadonlyArray<readonly [string, ExitReason.ExitReason]> = [
        ["normal", ExitReason.normal],
        ["shutdown", ExitReason.shutdown],
        ["tagged", ExitReason.shutdownWith("drained")],
        ["crash", crash],
        ["permanent", ExitReason.normal]
      ]
      const before = new Map<string, Process.ProcessRef>()
      for (const [id, reason] of cases) {
        const ref = yield* refOf(id)
        before.set(id, ref)
        assert.strictEqual(yield* GenServer.call(ref, new Close({ reason })), 10)
        assert.strictEqual(yield* exitOf(ref), reason)
        yield* settle
      }
      const statuses = (yield* Supervisor.whichChildren(supervisor)).map((child) => [child.id, child.status])
      assert.deepStrictEqual(statuses.reverse(), [
        ["normal", "stopped"],
        ["shutdown", "stopped"],
        ["tagged", "stopped"],
        ["crash", "running"],
        ["permanent", "running"]
      ])
      // the restarted ones are new incarnations
      assert.notStrictEqual(yield* refOf("crash"), before.get("crash"))
      assert.notStrictEqual(yield* refOf("permanent"), before.get("permanent"))
      assert.deepStrictEqual(log, [
        "terminate Normal -1",
        "terminate Shutdown -1",
        "terminate Shutdown -1",
        "terminate Abnormal -1",
        "terminate Normal -1"
      ])
      yield* close
    }).pipe(Effect.provide(Registry.layer)))

  it("types: the reply must be the request's reply type; isStop recognises a stop", () => {
    const Typed = GenServer.make({
      requests: [Balance],
      init: () => Effect.succeed(0),
      handlers: {
        // @ts-expect-error: Balance replies with a number
        Balance: () => GenServer.stop(ExitReason.normal, { reply: "not a number" })
      }
    })
    assert.isTrue(GenServer.isGenServer(Typed))
    const stop = Effect.runSync(Effect.flip(GenServer.stop(ExitReason.normal, { reply: 1 })))
    assert.isTrue(GenServer.isStop(stop))
    assert.isFalse(GenServer.isStop(new Boom()))
    deepStrictEqual(stop.reply, Option.some(1))
    deepStrictEqual(stop.state, Option.none())
  })
})
