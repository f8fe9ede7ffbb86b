/**
 * What people read: error messages carry their cause, durations print with units, the
 * tree shows units.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Duration, Effect, Request, TestClock } from "effect"
import { ChildSpec, GenServer, SupervisionTree, Supervisor, SupervisorError } from "../src/index.js"
import { formatDuration } from "../src/internal/duration.js"

class Get extends Request.TaggedClass("Get")<number, never, {}> {}

const Counter = GenServer.make({
  requests: [Get],
  init: (initial: number) => Effect.succeed(initial),
  handlers: { Get: (_, count) => Effect.succeed([count, count]) }
})

describe("readable messages", () => {
  it.scoped("forgetting Registry.layer: StartFailed says which service is missing on its first line", () =>
    Effect.gen(function*() {
      // the types say a named GenServer needs Registry; a JS caller (or a spec whose type lost
      // its requirements) finds out at run time
      const spec = GenServer.childSpec(Counter, 0, { id: "Counter", name: GenServer.name(Counter, "Counter") })
      const untyped = spec as unknown as ChildSpec.ChildSpec<unknown, unknown, never>
      const error = yield* Effect.flip(Supervisor.start({ children: [untyped] }))
      assert.strictEqual(error._tag, "StartFailed")
      const [first] = error.message.split("\n")
      // then where the tag is defined: "(defined at …/internal/registry.ts:…)"
      assert.isTrue(
        first.startsWith("child \"Counter\" failed to start: Service not found: @effect-otp/supervisor/Registry"),
        first
      )
    }))

  it("StartFailed, StartTimeout: the child, then the cause in words", () => {
    assert.strictEqual(
      new SupervisorError.StartFailed({ id: "db", cause: Cause.fail(new Error("connection refused")) }).message,
      "child \"db\" failed to start: connection refused"
    )
    assert.strictEqual(
      new SupervisorError.StartFailed({ id: "db", cause: Cause.die("no socket") }).message,
      "child \"db\" failed to start: no socket"
    )
    assert.strictEqual(
      new SupervisorError.StartTimeout({ id: "slow", timeout: Duration.millis(85.8) }).message,
      "child \"slow\" did not start within 85.8 ms"
    )
  })
})

describe("durations as people read them", () => {
  it("ms with one decimal below a second, s below a minute, then min and s, h and min", () => {
    const cases: ReadonlyArray<[Duration.DurationInput, string]> = [
      [Duration.zero, "0 ms"],
      [Duration.nanos(85_781_738n), "85.8 ms"],
      [Duration.millis(300), "300 ms"],
      [Duration.millis(999.96), "1 s"],
      [Duration.millis(1500), "1.5 s"],
      [Duration.seconds(59.99), "1 min"],
      [Duration.seconds(125), "2 min 5 s"],
      [Duration.hours(3).pipe(Duration.sum(Duration.minutes(10))), "3 h 10 min"],
      [Duration.infinity, "infinity"]
    ]
    assert.deepStrictEqual(cases.map(([input]) => formatDuration(input)), cases.map(([, text]) => text))
  })

  it.scoped("the tree shows uptimes with their unit", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        name: "app",
        children: [ChildSpec.make({ id: "cache", start: Effect.never })]
      })
      yield* TestClock.adjust("85 millis")
      const lines = SupervisionTree.render(yield* Supervisor.tree(supervisor)).split("\n")
      assert.match(lines[1], /^└─ cache <\d+> worker running, restarts 0, up 85 ms$/)
    }))
})
