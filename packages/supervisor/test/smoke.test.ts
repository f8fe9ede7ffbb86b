import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { ChildSpec, Process, Supervisor } from "../src/index.js"

describe("smoke", () => {
  it.scoped("starts, restarts and stops", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<Array<string>>([])
      const child = (id: string) =>
        ChildSpec.make({
          id,
          start: Effect.acquireRelease(
            Ref.update(log, (l) => [...l, `start ${id}`]),
            () => Ref.update(log, (l) => [...l, `stop ${id}`])
          ).pipe(Effect.zipRight(Effect.never))
        })
      const sup = yield* Supervisor.start({ strategy: "rest_for_one", children: [child("a"), child("b"), child("c")] })
      const children = yield* Supervisor.whichChildren(sup)
      expect(children.map((c) => c.id)).toEqual(["c", "b", "a"])
      const b = children[1].process
      if (b._tag === "Some") yield* Process.kill(b.value)
      yield* Effect.yieldNow()
      yield* TestClock.adjust(0)
      const counts = yield* Supervisor.countChildren(sup)
      expect(counts).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 })
      expect(yield* Ref.get(log)).toEqual(["start a", "start b", "start c", "stop b", "stop c", "start b", "start c"])
      const fiber = yield* Effect.fork(Effect.void)
      yield* Fiber.join(fiber)
    }))
})
