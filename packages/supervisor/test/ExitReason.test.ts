/**
 * How a process's exit is classified (DESIGN decision 1; SEMANTICS §1.1): the one table
 * that restart types, auto-shutdown and logging read.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Cause, Effect, Equal, Exit, FastCheck, Fiber, FiberId, Option } from "effect"
import { ChildSpec, ExitReason, Process, Supervisor } from "../src/index.js"
import * as internal from "../src/internal/process.js"
import { eventually, makeHarness, settle, startInScope } from "./utils/harness.js"

let counter = 0

/** Starts `body` as a temporary child of `supervisor` and returns its process. */
const spawn = <E>(supervisor: Supervisor.Supervisor, body: Effect.Effect<unknown, E>) =>
  Supervisor.startChild(supervisor, ChildSpec.make({ id: `p${++counter}`, restart: "temporary", start: body }))

const withSupervisor = <A, E>(f: (supervisor: Supervisor.Supervisor) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const { close, supervisor } = yield* startInScope<never>({})
    const result = yield* f(supervisor)
    yield* close
    return result
  })

describe("ExitReason values", () => {
  it("normal and shutdown (with or without a reason) are normal; killed and abnormal are not", () => {
    const cause = Cause.fail("boom")
    assert.isTrue(ExitReason.isNormal(ExitReason.normal))
    assert.isTrue(ExitReason.isNormal(ExitReason.shutdown))
    assert.isTrue(ExitReason.isNormal(ExitReason.shutdownWith("done")))
    assert.isFalse(ExitReason.isNormal(ExitReason.killed))
    assert.isFalse(ExitReason.isNormal(ExitReason.abnormal(cause)))
    assert.isFalse(ExitReason.isAbnormal(ExitReason.normal))
    assert.isFalse(ExitReason.isAbnormal(ExitReason.shutdown))
    assert.isTrue(ExitReason.isAbnormal(ExitReason.killed))
    assert.isTrue(ExitReason.isAbnormal(ExitReason.abnormal(cause)))
  })

  it("constructors carry their data; $match and $is dispatch on the tag", () => {
    deepStrictEqual({ ...ExitReason.shutdown }, { _tag: "Shutdown", reason: Option.none() } as ExitReason.ExitReason)
    const withReason = ExitReason.shutdownWith({ code: 7 })
    assert.strictEqual(withReason._tag, "Shutdown")
    if (withReason._tag === "Shutdown") deepStrictEqual(withReason.reason, Option.some({ code: 7 }))
    const cause = Cause.die("bad")
    const abnormal = ExitReason.abnormal(cause)
    assert.isTrue(ExitReason.$is("Abnormal")(abnormal))
    assert.isFalse(ExitReason.$is("Killed")(abnormal))
    const describe = (reason: ExitReason.ExitReason) =>
      ExitReason.$match(reason, {
        Normal: () => "normal",
        Shutdown: ({ reason }) => Option.match(reason, { onNone: () => "shutdown", onSome: (r) => `shutdown ${r}` }),
        Killed: () => "killed",
        Abnormal: ({ cause }) => `abnormal ${Cause.isDie(cause)}`
      })
    assert.deepStrictEqual(
      [ExitReason.normal, ExitReason.shutdown, ExitReason.shutdownWith("x"), ExitReason.killed, abnormal].map(describe),
      ["normal", "shutdown", "shutdown x", "killed", "abnormal true"]
    )
  })
})

describe("classification of a process's exit", () => {
  it.effect("success is Normal", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, Effect.void)
        deepStrictEqual(yield* process.await, ExitReason.normal)
        deepStrictEqual(yield* Process.await(process), ExitReason.normal)
        deepStrictEqual(process.poll, Option.some(ExitReason.normal))
      })
    ))

  it.effect("poll is None while the process runs", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, Effect.never)
        assert.isTrue(Option.isNone(process.poll))
        yield* Process.kill(process)
        assert.isTrue(Option.isSome(process.poll))
      })
    ))

  it.effect("ShutdownRequest without a reason is Shutdown", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, new ExitReason.ShutdownRequest({}))
        deepStrictEqual(yield* process.await, ExitReason.shutdown)
      })
    ))

  it.effect("ShutdownRequest with a reason is Shutdown with that reason", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, new ExitReason.ShutdownRequest({ reason: { done: true } }))
        deepStrictEqual(yield* process.await, ExitReason.shutdownWith({ done: true }))
      })
    ))

  it.effect("Process.kill is Killed, returned by kill and by await", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, Effect.never)
        deepStrictEqual(yield* Process.kill(process), ExitReason.killed)
        deepStrictEqual(yield* process.await, ExitReason.killed)
      })
    ))

  it.effect("Process.stop is Shutdown, with the reason given", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const plain = yield* spawn(supervisor, Effect.never)
        deepStrictEqual(yield* Process.stop(plain), ExitReason.shutdown)
        const withReason = yield* spawn(supervisor, Effect.never)
        deepStrictEqual(yield* Process.stop(withReason, "maintenance"), ExitReason.shutdownWith("maintenance"))
        deepStrictEqual(yield* withReason.await, ExitReason.shutdownWith("maintenance"))
      })
    ))

  it.effect("an interruption from outside the library is Killed", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        let fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined
        const process = yield* spawn(
          supervisor,
          Effect.zipRight(
            Effect.sync(() => {
              fiber = Option.getOrUndefined(Fiber.getCurrentFiber())
            }),
            Effect.never
          )
        )
        yield* eventually(Effect.sync(() => fiber !== undefined))
        yield* Fiber.interrupt(fiber!)
        deepStrictEqual(yield* process.await, ExitReason.killed)
      })
    ))

  it.effect("a process interrupting itself is Killed", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, Effect.interrupt)
        deepStrictEqual(yield* process.await, ExitReason.killed)
      })
    ))

  it.effect("a failure is Abnormal with its cause", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, Effect.fail("boom"))
        const reason = yield* process.await
        assert.strictEqual(reason._tag, "Abnormal")
        if (reason._tag !== "Abnormal") return
        deepStrictEqual(Cause.failureOption(reason.cause), Option.some("boom"))
      })
    ))

  it.effect("a defect is Abnormal with its cause", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const process = yield* spawn(supervisor, Effect.sync(() => JSON.parse("{")))
        const reason = yield* process.await
        assert.strictEqual(reason._tag, "Abnormal")
        if (reason._tag !== "Abnormal") return
        assert.isTrue(Cause.isDie(reason.cause))
        assert.instanceOf(Option.getOrThrow(Cause.dieOption(reason.cause)), SyntaxError)
      })
    ))

  it.effect("a ShutdownRequest thrown as a defect, or alongside another failure, is Abnormal", () =>
    withSupervisor((supervisor) =>
      Effect.gen(function*() {
        const died = yield* spawn(supervisor, Effect.die(new ExitReason.ShutdownRequest({})))
        assert.strictEqual((yield* died.await)._tag, "Abnormal")
        const both = yield* spawn(
          supervisor,
          Effect.failCause(Cause.parallel(Cause.fail(new ExitReason.ShutdownRequest({})), Cause.fail("other")))
        )
        assert.strictEqual((yield* both.await)._tag, "Abnormal")
      })
    ))
})

describe("classification of stops by a supervisor", () => {
  it.effect("terminateChild, a sibling's cascade and the supervisor's shutdown are Shutdown", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({
        strategy: "one_for_all",
        children: [h.child("a"), h.child("b"), h.child("c")]
      })
      const a = yield* h.processOf("a")
      const b = yield* h.processOf("b")
      yield* Supervisor.terminateChild(supervisor, "c")
      yield* h.kill("b")
      // a was stopped by the cascade
      deepStrictEqual(yield* a.await, ExitReason.shutdown)
      deepStrictEqual(yield* b.await, ExitReason.killed)
      const a2 = yield* h.processOf("a")
      const c2 = yield* h.processOf("c")
      yield* close
      deepStrictEqual(yield* a2.await, ExitReason.shutdown)
      deepStrictEqual(yield* c2.await, ExitReason.shutdown)
    }))

  it.effect("a child stopped by terminateChild is Shutdown, not Killed, so a transient child is not restarted", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("t", { restart: "transient" })] })
      const t = yield* h.processOf("t")
      yield* Supervisor.terminateChild(supervisor, "t")
      yield* settle
      deepStrictEqual(yield* t.await, ExitReason.shutdown)
      assert.deepStrictEqual(yield* h.log, ["start t", "stop t"])
      yield* close
    }))
})

describe("classification of causes made of interruptions (the fast path agrees with the rule)", () => {
  // the rule of DESIGN decision 1, spelled out on whole causes: interruptions only → Shutdown
  // if every interruptor is the shutdown interruptor, else Killed; anything else → abnormal
  const rule = (cause: Cause.Cause<unknown>): string => {
    if (!Cause.isInterruptedOnly(cause)) return "Abnormal"
    const ids = Array.from(Cause.interruptors(cause), (id) => Array.from(FiberId.toSet(id)))
      .flat()
    return ids.length > 0 && ids.every((id) => Equal.equals(id, internal.shutdownFiberId)) ? "Shutdown" : "Killed"
  }
  const leaf = FastCheck.oneof(
    FastCheck.constant(Cause.interrupt(internal.shutdownFiberId)),
    FastCheck.constant(Cause.interrupt(internal.killFiberId)),
    // the interruptor of `Process.exit`, with no reason recorded (not a process's exit): Killed
    FastCheck.constant(Cause.interrupt(internal.exitFiberId)),
    FastCheck.constant(Cause.interrupt(FiberId.make(1, 0))),
    FastCheck.constant(Cause.interrupt(FiberId.combine(internal.shutdownFiberId, FiberId.make(2, 0)))),
    FastCheck.constant(Cause.interrupt(FiberId.none)),
    FastCheck.constant(Cause.empty),
    FastCheck.constant(Cause.fail("boom")),
    FastCheck.constant(Cause.die("bug"))
  )
  const cause: FastCheck.Arbitrary<Cause.Cause<unknown>> = FastCheck.letrec<{ cause: Cause.Cause<unknown> }>((
    tie
  ) => ({
    cause: FastCheck.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      FastCheck.tuple(tie("cause"), tie("cause")).map(([l, r]) => Cause.sequential(l, r)),
      FastCheck.tuple(tie("cause"), tie("cause")).map(([l, r]) => Cause.parallel(l, r))
    )
  })).cause

  it("every cause of interruptions, failures and defects is classified by the rule", () => {
    FastCheck.assert(
      FastCheck.property(cause, (cause) => {
        assert.strictEqual(Process.exitReasonOf(Exit.failCause(cause))._tag, rule(cause), Cause.pretty(cause))
      }),
      { numRuns: 2000 }
    )
  })
})
