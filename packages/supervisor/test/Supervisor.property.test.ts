/**
 * Properties, checked on random cases (fast-check, seeded, few runs, coarse TestClock
 * steps): the restart intensity is never exceeded, cascades and shutdown follow the
 * start order, and no fiber a supervisor started outlives its scope (DESIGN decision 7).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Fiber, Option, TestClock } from "effect"
import type { Process } from "../src/index.js"
import { Restart, Supervisor } from "../src/index.js"
import { forkClose, makeHarness, startInScope } from "./utils/harness.js"

type Step = { readonly _tag: "Kill"; readonly child: number } | { readonly _tag: "Wait"; readonly millis: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ _tag: fc.constant("Kill" as const), child: fc.integer({ min: 0, max: 2 }) }),
  // coarse steps that often land exactly on a window's edge
  fc.record({ _tag: fc.constant("Wait" as const), millis: fc.constantFrom(0, 500, 1000, 1001, 2000) })
)

const strategyArb = fc.constantFrom<Supervisor.Strategy>("one_for_one", "one_for_all", "rest_for_one")

describe("properties", () => {
  it.effect.prop(
    "(a) crashes and clock moves never yield more restarts than intensity(n, t) allows in any window",
    {
      maxRestarts: fc.integer({ min: 0, max: 3 }),
      periodMillis: fc.constantFrom(1000, 2000),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 12 })
    },
    ({ maxRestarts, periodMillis, steps }) =>
      Effect.gen(function*() {
        const h = yield* makeHarness
        const ids = ["c0", "c1", "c2"]
        const { close, supervisor } = yield* startInScope({
          strategy: "one_for_one",
          restartPolicy: Restart.intensity(maxRestarts, periodMillis),
          children: ids.map((id) => h.child(id))
        })
        // the model: OTP's rule, with the restart included, at most maxRestarts in the last period (inclusive)
        let stamps: Array<number> = []
        let alive = true
        for (const step of steps) {
          if (step._tag === "Wait") {
            yield* TestClock.adjust(step.millis)
            continue
          }
          const now = yield* TestClock.currentTimeMillis
          yield* h.kill(ids[step.child])
          const live = [...stamps.filter((stamp) => now - stamp <= periodMillis), now]
          if (live.length > maxRestarts) {
            alive = false
            break
          }
          stamps = live
        }
        const events = yield* h.events
        const restarts = events.filter((event) => event.kind === "start").slice(ids.length).map((event) => event.at)
        // every observed window holds at most maxRestarts restarts
        for (const at of restarts) {
          const inWindow = restarts.filter((other) => other <= at && at - other <= periodMillis).length
          assert.isAtMost(inWindow, maxRestarts, `restarts at ${restarts}`)
        }
        // and the supervisor restarted exactly when the rule allowed it, and gave up exactly when it did not
        assert.strictEqual(Option.isNone(supervisor.process.poll), alive, `steps ${JSON.stringify(steps)}`)
        if (alive) {
          assert.deepStrictEqual((yield* Supervisor.countChildren(supervisor)).active, 3)
        }
        yield* close
      }),
    { timeout: 30_000, fastCheck: { seed: 42, numRuns: 40 } }
  )

  it.effect.prop(
    "(b) cascades follow the strategy and the stop order is the reverse of the start order",
    {
      count: fc.integer({ min: 1, max: 6 }),
      strategy: strategyArb,
      kills: fc.array(fc.nat({ max: 5 }), { maxLength: 3 })
    },
    ({ count, kills, strategy }) =>
      Effect.gen(function*() {
        const h = yield* makeHarness
        const ids = Array.from({ length: count }, (_, i) => `c${i}`)
        const { close } = yield* startInScope({
          strategy,
          restartPolicy: Restart.unlimited,
          children: ids.map((id) => h.child(id))
        })
        assert.deepStrictEqual(yield* h.takeLog, ids.map((id) => `start ${id}`))
        for (const kill of kills) {
          const k = kill % count
          yield* h.kill(ids[k])
          const others = strategy === "one_for_one" ? [] : strategy === "one_for_all"
            ? ids.filter((_, i) => i !== k)
            : ids.slice(k + 1)
          const restarted = strategy === "one_for_one" ? [ids[k]] : strategy === "one_for_all" ? ids : ids.slice(k)
          assert.deepStrictEqual(yield* h.takeLog, [
            `stop ${ids[k]}`,
            ...others.slice().reverse().map((id) => `stop ${id}`),
            ...restarted.map((id) => `start ${id}`)
          ], `${strategy}: kill ${ids[k]}`)
        }
        yield* close
        assert.deepStrictEqual(yield* h.takeLog, ids.slice().reverse().map((id) => `stop ${id}`))
      }),
    { timeout: 30_000, fastCheck: { seed: 42, numRuns: 30 } }
  )

  type Worker = {
    readonly _tag: "Worker"
    readonly shutdown: "brutal_kill" | "infinity" | "1 second" | "100 millis"
    readonly stopDelay: 0 | 500
  }
  type Node = Worker | {
    readonly _tag: "Sub"
    readonly strategy: Supervisor.Strategy
    readonly workers: ReadonlyArray<Worker>
  }
  const workerArb: fc.Arbitrary<Worker> = fc.record({
    _tag: fc.constant("Worker" as const),
    shutdown: fc.constantFrom("brutal_kill" as const, "infinity" as const, "1 second" as const, "100 millis" as const),
    stopDelay: fc.constantFrom(0 as const, 500 as const)
  })
  const nodeArb: fc.Arbitrary<Node> = fc.oneof(
    workerArb,
    fc.record({
      _tag: fc.constant("Sub" as const),
      strategy: strategyArb,
      workers: fc.array(workerArb, { minLength: 1, maxLength: 3 })
    })
  )

  it.effect.prop(
    "(c) no fiber started by a supervisor outlives its scope: each has ended or is listed as unstopped, then ends",
    {
      strategy: strategyArb,
      nodes: fc.array(nodeArb, { minLength: 1, maxLength: 4 }),
      kills: fc.array(fc.nat({ max: 20 }), { maxLength: 2 })
    },
    ({ kills, nodes, strategy }) =>
      Effect.gen(function*() {
        const h = yield* makeHarness
        const { scope, supervisor } = yield* startInScope<never>({ strategy, restartPolicy: Restart.unlimited })
        const supervisors: Array<Supervisor.Supervisor> = [supervisor]
        const workerIds: Array<string> = []
        const spec = (id: string, worker: Worker) => {
          workerIds.push(id)
          return h.child(id, {
            shutdown: worker.shutdown,
            stopDelay: worker.stopDelay === 0 ? undefined : worker.stopDelay
          })
        }
        let total = 0
        for (const [i, node] of nodes.entries()) {
          if (node._tag === "Worker") {
            total += node.stopDelay
            yield* Supervisor.startChild(supervisor, spec(`w${i}`, node))
          } else {
            const sub = yield* Supervisor.startChild(
              supervisor,
              Supervisor.childSpec({ id: `s${i}`, strategy: node.strategy, restartPolicy: Restart.unlimited })
            )
            supervisors.push(sub)
            for (const [j, worker] of node.workers.entries()) {
              total += worker.stopDelay
              yield* Supervisor.startChild(sub, spec(`w${i}.${j}`, worker))
            }
          }
        }
        // a few crashes first (their restarts may wait for slow finalizers)
        for (const kill of kills) {
          yield* Effect.fork(h.kill(workerIds[kill % workerIds.length]))
          yield* TestClock.adjust(total)
        }
        const processes: Array<Process.ProcessRef> = [...yield* h.allProcesses, ...supervisors.map((s) => s.process)]
        const closing = yield* forkClose(scope)
        yield* TestClock.adjust(total + 1000)
        yield* Fiber.join(closing)
        const unstopped = new Set<number>()
        for (const s of supervisors) for (const p of yield* Supervisor.unstopped(s)) unstopped.add(p.pid)
        for (const process of yield* h.allProcesses) processes.push(process)
        for (const process of processes) {
          assert.isTrue(
            Option.isSome(process.poll) || unstopped.has(process.pid),
            `process ${process.pid} is still running and not reported`
          )
        }
        // the unstopped ones end by themselves, and are then no longer listed
        yield* TestClock.adjust(total + 1000)
        for (const process of processes) assert.isTrue(Option.isSome(process.poll), `process ${process.pid} leaked`)
        for (const s of supervisors) assert.deepStrictEqual(yield* Supervisor.unstopped(s), [])
      }),
    { timeout: 30_000, fastCheck: { seed: 42, numRuns: 30 } }
  )
})
