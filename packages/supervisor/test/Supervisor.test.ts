/**
 * Start-up and shutdown of a static supervisor (SEMANTICS §1.4, §1.8; DESIGN decisions 2, 4).
 */
import { assert, describe, expect, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Context, Duration, Effect, Either, Exit, Fiber, Option, Scope, TestClock } from "effect"
import { ChildSpec, ExitReason, Process, Restart, Supervisor, SupervisorError } from "../src/index.js"
import {
  children,
  forkClose,
  isDone,
  makeHarness,
  processOfChild,
  settle,
  StartError,
  startInScope
} from "./utils/harness.js"

describe("Supervisor start-up", () => {
  it.effect("starts children in order, one at a time, each after the previous one initialized", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const scope = yield* Scope.make()
      const starting = yield* Supervisor.start({
        children: [
          h.child("a", { initDelay: "1 second" }),
          h.child("b", { initDelay: "1 second" }),
          h.child("c", { initDelay: "1 second" })
        ]
      }).pipe(Scope.extend(scope), Effect.fork)
      yield* settle
      // b's init has not begun while a's is running
      assert.deepStrictEqual(yield* h.startAttempts("b"), 0)
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* h.log, ["start a"])
      assert.deepStrictEqual(yield* h.startAttempts("b"), 1)
      assert.deepStrictEqual(yield* h.startAttempts("c"), 0)
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* h.log, ["start a", "start b"])
      yield* TestClock.adjust("999 millis")
      assert.isFalse(yield* isDone(starting), "start returns only when every child is up")
      yield* TestClock.adjust("1 millis")
      const supervisor = yield* Fiber.join(starting)
      assert.deepStrictEqual((yield* h.events).map((e) => [e.kind, e.id, e.at]), [
        ["start", "a", 1000],
        ["start", "b", 2000],
        ["start", "c", 3000]
      ])
      assert.deepStrictEqual(yield* children(supervisor), [
        ["a", "running", (yield* h.processOf("a")).pid],
        ["b", "running", (yield* h.processOf("b")).pid],
        ["c", "running", (yield* h.processOf("c")).pid]
      ])
      yield* Scope.close(scope, Exit.void)
    }))

  it.effect("a failed start at boot stops the started children in reverse order and fails with StartFailed", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      yield* h.failNextStarts("c", 1)
      const result = yield* Supervisor.start({
        children: [h.child("a"), h.child("b"), h.child("c"), h.child("d")]
      }).pipe(Effect.scoped, Effect.either)
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "fail c", "stop b", "stop a"])
      assert.isTrue(Either.isLeft(result))
      const error = Either.getLeft(result).pipe(Option.getOrThrow)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag !== "StartFailed") return
      assert.strictEqual(error.id, "c")
      deepStrictEqual(Cause.failureOption(error.cause), Option.some(new StartError({ id: "c" })))
      assert.include(error.message, "c")
      // boot failures are not retried, and d was never tried
      assert.strictEqual(yield* h.startAttempts("c"), 1)
      assert.strictEqual(yield* h.startAttempts("d"), 0)
      // no child is left running
      for (const process of yield* h.allProcesses) assert.isTrue(Option.isSome(process.poll))
    }))

  it.effect("a child that dies in its start fails the boot with its defect as the cause", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const bad = ChildSpec.make({ id: "bad", start: Process.withInit(Effect.die("kaput"), () => Effect.never) })
      const error = yield* Supervisor.start({ children: [h.child("a"), bad] }).pipe(Effect.scoped, Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag !== "StartFailed") return
      assert.strictEqual(error.id, "bad")
      deepStrictEqual(Cause.dieOption(error.cause), Option.some("kaput"))
      assert.deepStrictEqual(yield* h.log, ["start a", "stop a"])
    }))

  it.effect("a failed boot takes no restart intensity: it fails even with an unlimited policy, once", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      yield* h.failNextStarts("a", 1)
      const error = yield* Supervisor.start({
        restartPolicy: Restart.unlimited,
        children: [h.child("a")]
      }).pipe(Effect.scoped, Effect.flip)
      assert.strictEqual(error._tag, "StartFailed")
      assert.strictEqual(yield* h.startAttempts("a"), 1)
    }))

  it.effect("duplicate ids fail with DuplicateChildId before anything starts", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const error = yield* Supervisor.start({ children: [h.child("a"), h.child("b"), h.child("a")] }).pipe(
        Effect.scoped,
        Effect.flip
      )
      assert.deepStrictEqual(error, new SupervisorError.DuplicateChildId({ id: "a" }))
      assert.include(error.message, "\"a\"")
      assert.deepStrictEqual(yield* h.log, [])
    }))

  const invalid: ReadonlyArray<readonly [string, Partial<ChildSpec.Options>, ReadonlyArray<string>]> = [
    ["restart", { restart: "sometimes" as ChildSpec.RestartType }, ["restart", "sometimes"]],
    ["type", { type: "boss" as ChildSpec.ChildType }, ["type", "boss"]],
    ["significant", { significant: "yes" as unknown as boolean }, ["significant", "yes"]],
    ["shutdown", { shutdown: -10 }, ["shutdown", "-10"]]
  ]
  for (const [field, options, words] of invalid) {
    it.effect(`an invalid ${field} fails with InvalidChildSpec naming the field and the value`, () =>
      Effect.gen(function*() {
        const h = yield* makeHarness
        const bad = ChildSpec.make({ id: "bad", start: Effect.never, ...options })
        const error = yield* Supervisor.start({ children: [h.child("a"), bad] }).pipe(Effect.scoped, Effect.flip)
        assert.strictEqual(error._tag, "InvalidChildSpec")
        if (error._tag !== "InvalidChildSpec") return
        assert.strictEqual(error.id, "bad")
        for (const word of words) assert.include(error.message, word)
        // validation comes before any start
        assert.deepStrictEqual(yield* h.log, [])
      }))
  }

  it.effect("an empty id fails with InvalidChildSpec naming the id", () =>
    Effect.gen(function*() {
      const error = yield* Supervisor.start({ children: [ChildSpec.make({ id: "", start: Effect.never })] }).pipe(
        Effect.scoped,
        Effect.flip
      )
      assert.strictEqual(error._tag, "InvalidChildSpec")
      assert.include(error.message, "id")
    }))

  it.effect("invalid options fail with InvalidOptions", () =>
    Effect.gen(function*() {
      const error = yield* Supervisor.start({ strategy: "one_for_some" as Supervisor.Strategy }).pipe(
        Effect.scoped,
        Effect.flip
      )
      assert.strictEqual(error._tag, "InvalidOptions")
      assert.include(error.message, "strategy")
      assert.include(error.message, "one_for_some")
    }))

  it.effect("a resetBackoffAfter that is not a non-negative duration fails with InvalidOptions (not a defect)", () =>
    Effect.gen(function*() {
      for (const bad of ["soon" as Duration.DurationInput, -5]) {
        const exit = yield* Effect.exit(Effect.scoped(Supervisor.start({ resetBackoffAfter: bad })))
        assert.isTrue(Exit.isFailure(exit) && Cause.isFailType(exit.cause), `${bad}: a typed failure`)
        const error = yield* Supervisor.start({ resetBackoffAfter: bad }).pipe(Effect.scoped, Effect.flip)
        assert.strictEqual(error._tag, "InvalidOptions")
        assert.include(error.message, "resetBackoffAfter: expected a non-negative duration")
      }
    }))

  it.effect("an init that declines (ignore) keeps a non-temporary child stopped and forgets a temporary one", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const declining = (id: string, restart: ChildSpec.RestartType) =>
        ChildSpec.make({ id, restart, start: Process.withInit(Process.ignore, () => Effect.never) })
      const supervisor = yield* Supervisor.start({
        children: [h.child("a"), declining("kept", "permanent"), declining("gone", "temporary"), h.child("b")]
      })
      assert.deepStrictEqual(yield* children(supervisor), [
        ["a", "running", (yield* h.processOf("a")).pid],
        ["kept", "stopped", undefined],
        ["b", "running", (yield* h.processOf("b")).pid]
      ])
    }).pipe(Effect.scoped))
})

describe("Supervisor shutdown", () => {
  it.effect("closing the scope stops the children in reverse start order", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("b"), h.child("c"), h.child("d")]
      })
      const started = yield* h.allProcesses
      yield* close
      assert.deepStrictEqual(yield* h.log, [
        "start a",
        "start b",
        "start c",
        "start d",
        "stop d",
        "stop c",
        "stop b",
        "stop a"
      ])
      // every child was stopped by its supervisor: Shutdown
      for (const process of started) deepStrictEqual(yield* process.await, ExitReason.shutdown)
      deepStrictEqual(yield* supervisor.process.await, ExitReason.shutdown)
      assert.deepStrictEqual(
        yield* Supervisor.whichChildren(supervisor).pipe(Effect.flip),
        new SupervisorError.SupervisorStopped()
      )
    }))

  it.effect("a child past its shutdown deadline counts as Killed and is listed as unstopped until it ends", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("slow", { shutdown: "1 second", stopDelay: "10 seconds" }), h.child("c")]
      })
      const slow = yield* h.processOf("slow")
      const closing = yield* forkClose(scope)
      yield* settle
      assert.deepStrictEqual(yield* h.takeLog, ["start a", "start slow", "start c", "stop c", "stopping slow"])
      yield* TestClock.adjust("999 millis")
      assert.isFalse(yield* isDone(closing), "the supervisor waits for the deadline")
      assert.deepStrictEqual(yield* h.log, [])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(closing)
      // the deadline passed: the supervisor moved on to a
      assert.deepStrictEqual(yield* h.takeLog, ["stop a"])
      assert.deepStrictEqual((yield* Supervisor.unstopped(supervisor)).map((p) => p.pid), [slow.pid])
      assert.isTrue(Option.isNone(slow.poll))
      yield* TestClock.adjust("9 seconds")
      yield* settle
      assert.deepStrictEqual(yield* h.takeLog, ["stop slow"])
      assert.deepStrictEqual(yield* Supervisor.unstopped(supervisor), [])
      // DESIGN decision 1 and 4: a missed shutdown deadline is `killed`
      deepStrictEqual(yield* slow.await, ExitReason.killed)
    }))

  it.effect("shutdown \"infinity\" waits for the child however long it takes", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("slow", { shutdown: "infinity", stopDelay: "10 seconds" }), h.child("c")]
      })
      const slow = yield* h.processOf("slow")
      const closing = yield* forkClose(scope)
      yield* TestClock.adjust("9999 millis")
      assert.isFalse(yield* isDone(closing))
      assert.deepStrictEqual(yield* h.log, ["start a", "start slow", "start c", "stop c", "stopping slow"])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(closing)
      assert.deepStrictEqual(yield* h.log, [
        "start a",
        "start slow",
        "start c",
        "stop c",
        "stopping slow",
        "stop slow",
        "stop a"
      ])
      deepStrictEqual(yield* slow.await, ExitReason.shutdown)
      assert.deepStrictEqual(yield* Supervisor.unstopped(supervisor), [])
    }))

  it.effect("a child that stops within its deadline is waited for and is not unstopped", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("b", { shutdown: "5 seconds", stopDelay: "2 seconds" })]
      })
      const closing = yield* forkClose(scope)
      yield* TestClock.adjust("1999 millis")
      assert.isFalse(yield* isDone(closing))
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(closing)
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "stopping b", "stop b", "stop a"])
      assert.deepStrictEqual(yield* Supervisor.unstopped(supervisor), [])
    }))

  it.effect("\"brutal_kill\" stops the child as Killed, in its turn, its finalizers still run", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close } = yield* startInScope({
        children: [h.child("a"), h.child("b", { shutdown: "brutal_kill" }), h.child("c")]
      })
      const a = yield* h.processOf("a")
      const b = yield* h.processOf("b")
      yield* close
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
      deepStrictEqual(yield* b.await, ExitReason.killed)
      deepStrictEqual(yield* a.await, ExitReason.shutdown)
    }))

  it.effect("a shutdown deadline of 0 asks then gives up at once on a slow child", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({
        children: [h.child("a"), h.child("slow", { shutdown: 0, stopDelay: "1 second" })]
      })
      const slow = yield* h.processOf("slow")
      const closing = yield* forkClose(scope)
      yield* TestClock.adjust(0)
      yield* Fiber.join(closing)
      assert.deepStrictEqual(yield* h.takeLog, ["start a", "start slow", "stopping slow", "stop a"])
      assert.deepStrictEqual((yield* Supervisor.unstopped(supervisor)).map((p) => p.pid), [slow.pid])
      yield* TestClock.adjust("1 second")
      deepStrictEqual(yield* slow.await, ExitReason.killed)
    }))

  it.effect("a restart does not start a new incarnation while the old one is within its deadline", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { scope, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a", { stopDelay: "2 seconds" }), h.child("b")]
      })
      yield* h.takeLog
      const killing = yield* Effect.fork(h.kill("b"))
      yield* settle
      assert.deepStrictEqual(yield* h.log, ["stop b", "stopping a"])
      yield* TestClock.adjust("1999 millis")
      assert.deepStrictEqual(yield* h.log, ["stop b", "stopping a"])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(killing)
      yield* settle
      assert.deepStrictEqual(yield* h.log, ["stop b", "stopping a", "stop a", "start a", "start b"])
      assert.deepStrictEqual((yield* children(supervisor)).map(([id, status]) => [id, status]), [
        ["a", "running"],
        ["b", "running"]
      ])
      const closing = yield* forkClose(scope)
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(closing)
    }))

  it.effect("Supervisor.layer starts the children when built and stops them in reverse order when released", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      class Sup extends Context.Tag("test/Sup")<Sup, Supervisor.Supervisor>() {}
      const count = yield* Effect.scoped(
        Effect.flatMap(Sup, Supervisor.countChildren).pipe(
          Effect.provide(Supervisor.layer(Sup, { children: [h.child("a"), h.child("b")] }))
        )
      )
      assert.deepStrictEqual(count, { specs: 2, active: 2, supervisors: 0, workers: 2 })
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "stop b", "stop a"])
    }))

  it.effect("the supervisor's process is its own: stopping it stops the children in reverse order", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), h.child("b")] })
      const a = yield* processOfChild(supervisor, "a")
      assert.strictEqual(a.pid, (yield* h.processOf("a")).pid)
      const reason = yield* Process.stop(supervisor.process, "bye")
      expect(reason).toEqual(ExitReason.shutdownWith("bye"))
      assert.deepStrictEqual(yield* h.log, ["start a", "start b", "stop b", "stop a"])
      yield* close
    }))
})
