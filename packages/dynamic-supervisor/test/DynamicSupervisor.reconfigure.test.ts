/**
 * `DynamicSupervisor.reconfigure` (issue 14 §6): maxChildren, restart policy and extra
 * arguments of a running dynamic supervisor, all or nothing.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, Process, Restart } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const idle = (id: string) => ChildSpec.make({ id, start: Effect.never })
const settle = Effect.repeatN(Effect.yieldNow(), 20)

describe("DynamicSupervisor.reconfigure", () => {
  it.scoped("a lowered maxChildren refuses new starts and leaves running children alone", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start({ maxChildren: 5 })
      const children = yield* Effect.forEach([1, 2, 3], (i) => DynamicSupervisor.startChild(supervisor, idle(`c${i}`)))
      yield* DynamicSupervisor.reconfigure(supervisor, { maxChildren: 2 })
      assert.strictEqual((yield* DynamicSupervisor.countChildren(supervisor)).active, 3)
      const refused = yield* DynamicSupervisor.startChild(supervisor, idle("c4")).pipe(Effect.flip)
      assert.strictEqual(refused._tag === "MaxChildren" && refused.maxChildren, 2)
      // a running child that crashes is still restarted
      yield* Process.kill(children[0].initial)
      yield* settle
      assert.strictEqual((yield* DynamicSupervisor.countChildren(supervisor)).active, 3)
      // below the limit again: starts are accepted
      yield* DynamicSupervisor.terminateChild(supervisor, children[1])
      yield* DynamicSupervisor.terminateChild(supervisor, children[2])
      yield* DynamicSupervisor.startChild(supervisor, idle("c5"))
      assert.strictEqual((yield* DynamicSupervisor.countChildren(supervisor)).specs, 2)
    }))

  it.scoped("extra arguments: children started from now on get the new ones", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start({ extraArguments: "v1" })
      const spec = (version: string) => idle(`worker-${version}`)
      const first = yield* DynamicSupervisor.startChild(supervisor, spec)
      yield* DynamicSupervisor.reconfigure(supervisor, { extraArguments: "v2" })
      assert.strictEqual(supervisor.extraArguments, "v2")
      const second = yield* DynamicSupervisor.startChild(supervisor, spec)
      assert.deepStrictEqual(
        [
          (yield* DynamicSupervisor.getChildSpec(supervisor, first)).id,
          (yield* DynamicSupervisor.getChildSpec(supervisor, second)).id
        ],
        ["worker-v1", "worker-v2"]
      )
    }))

  it.scoped("a new restart policy is used from the next crash", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start()
      const child = yield* DynamicSupervisor.startChild(supervisor, idle("c"))
      yield* DynamicSupervisor.reconfigure(supervisor, { restartPolicy: Restart.intensity(0, "5 seconds") })
      yield* Process.kill(child.initial)
      const error = yield* DynamicSupervisor.join(supervisor).pipe(Effect.flip)
      assert.strictEqual(error._tag, "GaveUp")
    }))

  it.scoped("an invalid change is refused whole with InvalidOptions and changes nothing", () =>
    Effect.gen(function*() {
      const supervisor = yield* DynamicSupervisor.start({ maxChildren: 1, extraArguments: 1 })
      const cases: ReadonlyArray<DynamicSupervisor.ReconfigureOptions<number>> = [
        { maxChildren: -1, extraArguments: 2 },
        { maxChildren: 5, restartPolicy: "often" as unknown as Restart.Policy },
        { maxChildren: 5, strategy: "one_for_all" } as DynamicSupervisor.ReconfigureOptions<number>
      ]
      const messages: Array<string> = []
      for (const options of cases) {
        const error = yield* DynamicSupervisor.reconfigure(supervisor, options).pipe(Effect.flip)
        assert.strictEqual(error._tag, "InvalidOptions")
        if (error._tag === "InvalidOptions") messages.push(error.message.split(":")[0])
      }
      assert.deepStrictEqual(messages, ["maxChildren", "restartPolicy", "strategy"])
      assert.strictEqual(supervisor.extraArguments, 1)
      yield* DynamicSupervisor.startChild(supervisor, idle("a"))
      const refused = yield* DynamicSupervisor.startChild(supervisor, idle("b")).pipe(Effect.flip)
      assert.strictEqual(refused._tag === "MaxChildren" && refused.maxChildren, 1)
    }))
})
