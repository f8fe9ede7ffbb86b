/**
 * `DynamicSupervisor.getChildSpec` (issue 14 §5): the spec a child was started with, by
 * its handle (typed) or its running process; a temporary child's spec without its start.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, GenServer, Supervisor } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Option } from "effect"

const Counter = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })

describe("DynamicSupervisor.getChildSpec", () => {
  it.scoped("by handle (typed with the child's value) and by process: the spec it was started with", () =>
    Effect.gen(function*() {
      const sessions = yield* DynamicSupervisor.start()
      const spec = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0), restart: "transient" })
      const child = yield* DynamicSupervisor.startChild(sessions, spec)
      const byHandle = yield* DynamicSupervisor.getChildSpec(sessions, child)
      // typed: the spec of a child whose value is a GenServer ref
      const typed: ChildSpec.ChildSpec<typeof child.value, unknown, unknown> = byHandle
      assert.strictEqual(typed, spec)
      const info = (yield* DynamicSupervisor.whichChildren(sessions))[0]
      const byProcess = yield* DynamicSupervisor.getChildSpec(sessions, Option.getOrThrow(info.process))
      assert.strictEqual(byProcess, spec)
      // data-last
      assert.strictEqual(yield* sessions.pipe(DynamicSupervisor.getChildSpec(child)), spec)
    }))

  it.scoped("NotFound once the child was terminated; SupervisorStopped once the supervisor stopped", () =>
    Effect.gen(function*() {
      const sessions = yield* DynamicSupervisor.start()
      const child = yield* DynamicSupervisor.startChild(sessions, ChildSpec.make({ id: "s", start: Effect.never }))
      yield* DynamicSupervisor.terminateChild(sessions, child)
      const error = yield* DynamicSupervisor.getChildSpec(sessions, child).pipe(Effect.flip)
      assert.deepStrictEqual(error._tag === "NotFound" && error.id, "s")
    }))

  it.scoped("a temporary child's spec keeps its fields but not its start, whose start fails", () =>
    Effect.gen(function*() {
      const sessions = yield* DynamicSupervisor.start()
      const spec = ChildSpec.make({ id: "once", start: Effect.never, restart: "temporary", shutdown: 100 })
      const child = yield* DynamicSupervisor.startChild(sessions, spec)
      const kept = yield* DynamicSupervisor.getChildSpec(sessions, child)
      assert.notStrictEqual(kept.start, spec.start)
      assert.deepStrictEqual(
        [kept.id, kept.restart, kept.shutdown, kept.type, kept.significant],
        [spec.id, spec.restart, spec.shutdown, spec.type, spec.significant]
      )
      // the kept spec cannot start anything: its start fails, naming why
      const other = yield* Supervisor.start({})
      // (its requirements are unknown to the type: this one needs none)
      const error = yield* Supervisor.startChild(other, kept as ChildSpec.ChildSpec<unknown, unknown, never>).pipe(
        Effect.flip
      )
      assert.strictEqual(error._tag, "StartFailed")
      if (error._tag !== "StartFailed") return
      assert.match(String(Cause.squash(error.cause)), /not kept once it runs/)
    }))
})
