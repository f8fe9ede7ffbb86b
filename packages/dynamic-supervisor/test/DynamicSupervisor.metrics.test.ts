/**
 * Restart metrics do not grow with the number of distinct children ever seen (issue 14
 * §3): a dynamic supervisor counts restarts per supervisor, not per child id.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, Process, Restart, SupervisorMetrics } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Metric } from "effect"

/** How many metric keys (a metric with one set of labels) Effect's registry holds. */
const metricKeys = Effect.sync(() => Metric.unsafeSnapshot().length)

/** Starts a child with a new id, kills it (it is restarted once), then terminates it. */
const churn = (supervisor: DynamicSupervisor.DynamicSupervisor, i: number) =>
  Effect.gen(function*() {
    const child = yield* DynamicSupervisor.startChild(supervisor, ChildSpec.make({ id: `c${i}`, start: Effect.never }))
    yield* Process.kill(child.initial)
    // handled after the exit (the supervisor's messages are handled in order): the restarted one is terminated
    yield* DynamicSupervisor.terminateChild(supervisor, child)
  })

describe("metrics of a dynamic supervisor", () => {
  it.scoped(
    "churning 10,000 children, each restarted once, leaves the number of metric keys unchanged",
    () =>
      Effect.gen(function*() {
        const supervisor = yield* DynamicSupervisor.start({
          name: "churned",
          restartPolicy: Restart.intensity(20_000, "5 seconds")
        })
        // the supervisor's own keys exist once it restarted a child
        yield* churn(supervisor, -1)
        const before = yield* metricKeys
        for (let i = 0; i < 10_000; i++) yield* churn(supervisor, i)
        assert.strictEqual(yield* metricKeys, before)
        // the restarts were counted, on the supervisor's key
        const restarts = yield* Metric.value(SupervisorMetrics.restarts.pipe(Metric.tagged("supervisor", "churned")))
        assert.strictEqual(restarts.count, 10_001)
        assert.deepStrictEqual(yield* DynamicSupervisor.countChildren(supervisor), {
          specs: 0,
          active: 0,
          supervisors: 0,
          workers: 0
        })
      }),
    60_000
  )
})
