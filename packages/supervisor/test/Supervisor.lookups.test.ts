/**
 * Typed results and lookups (issue 14 §5): `restartChild` typed by the spec a child was
 * started from, `whichChild` (OTP 28's `which_child`), `getChildSpec` by process.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { ChildSpec, GenServer, Process, Supervisor } from "../src/index.js"
import { makeHarness, startInScope } from "./utils/harness.js"

const Counter = GenServer.make({ init: (initial: number) => Effect.succeed(initial) })
type CounterRef = GenServer.Ref<GenServer.RequestOf<typeof Counter>, GenServer.CastOf<typeof Counter>>

describe("restartChild", () => {
  it.effect("named by its spec, returns the spec's value type; by id, unknown", () =>
    Effect.gen(function*() {
      const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
      const { close, supervisor } = yield* startInScope({ children: [counter] })
      yield* Supervisor.terminateChild(supervisor, "counter")
      // typed: a GenServer ref of Counter, usable as one without a cast
      const ref: CounterRef = yield* Supervisor.restartChild(supervisor, counter)
      const info = yield* Supervisor.whichChild(supervisor, "counter")
      assert.strictEqual(Option.getOrThrow(info.value), ref)
      yield* Supervisor.terminateChild(supervisor, "counter")
      const byId: unknown = yield* Supervisor.restartChild(supervisor, "counter")
      assert.isTrue(GenServer.isRef(byId))
      // data-last as well
      yield* Supervisor.terminateChild(supervisor, "counter")
      const piped = yield* supervisor.pipe(Supervisor.restartChild(counter))
      assert.isTrue(GenServer.isRef(piped))
      yield* close
    }))

  it.effect("a spec whose id is there but whose start is another is NotFound; the child is not started", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* Supervisor.terminateChild(supervisor, "a")
      const other = ChildSpec.make({ id: "a", start: GenServer.spawn(Counter, 1) })
      const error = yield* Supervisor.restartChild(supervisor, other).pipe(Effect.flip)
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(yield* h.startAttempts("a"), 1)
      // an override of the spec keeps its start, so it names the child
      const spec = yield* Supervisor.getChildSpec(supervisor, "a")
      yield* Supervisor.restartChild(supervisor, ChildSpec.override(spec, { restart: "transient" }))
      assert.strictEqual(yield* h.startAttempts("a"), 2)
      yield* close
    }))

  it.effect("named by its spec while it runs: Running", () =>
    Effect.gen(function*() {
      const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
      const { close, supervisor } = yield* startInScope({ children: [counter] })
      const error = yield* Supervisor.restartChild(supervisor, counter).pipe(Effect.flip)
      assert.strictEqual(error._tag, "Running")
      yield* close
    }))
})

describe("whichChild", () => {
  it.effect("by id, by process, by spec: what whichChildren says of that child", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const counter = ChildSpec.make({ id: "counter", start: GenServer.spawn(Counter, 0) })
      const { close, supervisor } = yield* startInScope({ children: [h.child("a"), counter] })
      const all = yield* Supervisor.whichChildren(supervisor)
      const a = yield* Supervisor.whichChild(supervisor, "a")
      assert.deepStrictEqual(a, all.find((info) => info.id === "a"))
      const process = yield* h.processOf("a")
      assert.deepStrictEqual(yield* Supervisor.whichChild(supervisor, process), a)
      const typed = yield* Supervisor.whichChild(supervisor, counter)
      // typed: the value is a GenServer ref of Counter
      const ref: Option.Option<CounterRef> = typed.value
      assert.isTrue(Option.isSome(ref) && GenServer.isRef(ref.value))
      assert.strictEqual(typed.status, "running")
      yield* close
    }))

  it.effect("NotFound: an unknown id, a process that is not a child, a spec of another start", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      const byId = yield* Supervisor.whichChild(supervisor, "b").pipe(Effect.flip)
      assert.deepStrictEqual(byId._tag === "NotFound" && byId.id, "b")
      const stranger = yield* Process.start(Process.fromEffect(Effect.never))
      const started = yield* stranger.await
      if (started._tag !== "Started") return assert.fail("not started")
      const byProcess = yield* Supervisor.whichChild(supervisor, started.process).pipe(Effect.flip)
      assert.strictEqual(byProcess._tag, "NotFound")
      yield* Process.kill(started.process)
      const bySpec = yield* Supervisor.whichChild(supervisor, ChildSpec.make({ id: "a", start: Effect.never })).pipe(
        Effect.flip
      )
      assert.deepStrictEqual(bySpec._tag === "NotFound" && bySpec.id, "a")
      yield* close
    }))

  it.effect("a stopped child: status stopped, no process, no value", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const { close, supervisor } = yield* startInScope({ children: [h.child("a")] })
      yield* Supervisor.terminateChild(supervisor, "a")
      const info = yield* Supervisor.whichChild(supervisor, "a")
      assert.deepStrictEqual(
        [info.status, Option.isNone(info.process), Option.isNone(info.value), info.restarts],
        ["stopped", true, true, 0]
      )
      yield* close
      const stopped = yield* Supervisor.whichChild(supervisor, "a").pipe(Effect.flip)
      assert.strictEqual(stopped._tag, "SupervisorStopped")
    }))
})

describe("getChildSpec", () => {
  it.effect("by the child's running process", () =>
    Effect.gen(function*() {
      const h = yield* makeHarness
      const spec = h.child("a", { restart: "transient" })
      const { close, supervisor } = yield* startInScope({ children: [spec] })
      const got = yield* Supervisor.getChildSpec(supervisor, yield* h.processOf("a"))
      assert.strictEqual(got, spec)
      yield* close
    }))
})
