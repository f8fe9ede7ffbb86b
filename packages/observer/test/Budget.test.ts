/**
 * The restart-intensity budget the page shows, derived from the events: one restart attempt
 * per exit that the supervisor answers with a restart, a backoff or giving up.
 */
import { ChildSpec, Process, Restart, Supervisor } from "@effect-otp/supervisor"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Option, Stream, TestClock } from "effect"
import { State } from "../src/internal/model.js"

const intensity = { maxRestarts: 3, withinMillis: 5000 }

/** A State fed by the supervisor's events, as the observer feeds it. */
const observe = (supervisor: Supervisor.Supervisor) =>
  Effect.gen(function*() {
    const state = new State(100)
    state.watch(supervisor, () => intensity)
    yield* Supervisor.events(supervisor, { subtree: true }).pipe(
      Stream.runForEach((event) => Effect.map(Clock.currentTimeMillis, (now) => state.record(event, now))),
      Effect.forkScoped
    )
    yield* Effect.yieldNow()
    return state
  })

/** Waits (without time passing) until the state has recorded `count` events. */
const recorded = (state: State, count: number) =>
  Effect.gen(function*() {
    while (state.recent.length < count) yield* Effect.yieldNow()
    return state.recent.slice(0, count).map((event) => `${event.tag} ${event.childId}`)
  })

const kill = (supervisor: Supervisor.Supervisor, id: string) =>
  Effect.flatMap(
    Supervisor.whichChildren(supervisor),
    (children) => Process.kill(Option.getOrThrow(children.find((child) => child.id === id)!.process))
  )

const used = (state: State) => Effect.map(Clock.currentTimeMillis, (now) => state.used("app", intensity, now))

describe("the restart-intensity budget", () => {
  it.scoped("counts one attempt per crash under one_for_all, however many children it restarts", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        name: "app",
        strategy: "one_for_all",
        children: ["a", "b", "c"].map((id) => ChildSpec.make({ id, start: Effect.never }))
      })
      const state = yield* observe(app)
      yield* kill(app, "b")
      expect(yield* recorded(state, 6)).toEqual([
        "ChildExited b",
        "ChildExited c",
        "ChildExited a",
        "ChildRestarted a",
        "ChildRestarted b",
        "ChildRestarted c"
      ])
      expect(yield* used(state)).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* kill(app, "a")
      yield* recorded(state, 12)
      expect(yield* used(state)).toBe(2)
      // a sliding window, inclusive at its edge (as Restart.intensity)
      yield* TestClock.adjust("4 seconds")
      expect(yield* used(state)).toBe(2)
      yield* TestClock.adjust("1 millis")
      expect(yield* used(state)).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* used(state)).toBe(0)
    }))

  it.scoped("does not count a child stopped on request, and counts a backoff once", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        name: "app",
        children: [
          ChildSpec.make({ id: "steady", start: Effect.never }),
          ChildSpec.make({ id: "slow", start: Effect.never, backoff: Restart.backoff({ base: "1 second" }) })
        ]
      })
      const state = yield* observe(app)
      yield* Supervisor.terminateChild(app, "steady")
      yield* recorded(state, 1)
      expect(yield* used(state)).toBe(0)
      yield* kill(app, "slow")
      expect(yield* recorded(state, 3)).toEqual(["ChildExited steady", "ChildExited slow", "BackoffScheduled slow"])
      expect(yield* used(state)).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* recorded(state, 4)).toContain("ChildRestarted slow")
      expect(yield* used(state)).toBe(1)
    }))

  it.scoped("counts the attempt that makes the supervisor give up", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        name: "app",
        restartPolicy: Restart.intensity(1, "5 seconds"),
        children: [ChildSpec.make({ id: "flaky", start: Effect.never })]
      })
      const state = yield* observe(app)
      yield* kill(app, "flaky")
      yield* recorded(state, 2)
      yield* kill(app, "flaky")
      expect(yield* recorded(state, 5)).toEqual([
        "ChildExited flaky",
        "ChildRestarted flaky",
        "ChildExited flaky",
        "RestartPolicyExhausted flaky",
        "SupervisorStopped null"
      ])
      expect(yield* used(state)).toBe(2)
      expect(yield* app.process.await).toMatchObject({ _tag: "Shutdown" })
    }))
})
