import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, ExitReason, Process, Restart, Supervisor, SupervisorError } from "@effect-otp/supervisor"
import { assert, describe, expect, it } from "@effect/vitest"
import {
  Chunk,
  Context,
  Deferred,
  Duration,
  Effect,
  Exit,
  FastCheck,
  Fiber,
  FiberRef,
  Option,
  Ref,
  Schedule,
  Scope,
  TestClock
} from "effect"

/** Lets the supervisor's loop run after something it reacts to. */
const settle = Effect.repeatN(Effect.yieldNow(), 20)

/** Waits (without moving the clock) until some fiber sleeps until `deadline`. */
const awaitSleepUntil = (deadline: number) =>
  Effect.yieldNow().pipe(
    Effect.zipRight(TestClock.sleeps()),
    Effect.repeat({ until: (sleeps) => Chunk.some(sleeps, (sleep) => sleep === deadline) }),
    Effect.asVoid
  )

const idle = (id: string, options: Partial<ChildSpec.Options> = {}) =>
  ChildSpec.make({ ...options, id, start: Effect.never })

const pidOf = (info: DynamicSupervisor.ChildInfo) => Option.getOrThrow(info.process).pid

describe("DynamicSupervisor", () => {
  it.scoped("the lesson's SessionSupervisor transcript", () =>
    Effect.gen(function*() {
      const sessions = yield* DynamicSupervisor.start()
      const startSession = (userId: string) =>
        DynamicSupervisor.startChild(sessions, ChildSpec.make({ id: `session-${userId}`, start: Effect.never }))
      const session1 = yield* startSession("user_1")
      const session2 = yield* startSession("user_2")
      expect(session1.initial.pid).not.toEqual(session2.initial.pid)
      expect(yield* DynamicSupervisor.countChildren(sessions)).toEqual({
        active: 2,
        specs: 2,
        supervisors: 0,
        workers: 2
      })
      yield* DynamicSupervisor.terminateChild(sessions, session1)
      expect(yield* DynamicSupervisor.countChildren(sessions)).toEqual({
        active: 1,
        specs: 1,
        supervisors: 0,
        workers: 1
      })
      expect(ExitReason.$is("Shutdown")(Option.getOrThrow(session1.initial.poll))).toBe(true)
    }))

  it.scoped("each child restarts alone, with the start it was given", () =>
    Effect.gen(function*() {
      const starts = yield* Ref.make<Array<string>>([])
      const sup = yield* DynamicSupervisor.start()
      const child = (name: string) =>
        ChildSpec.make({ id: name, start: Effect.zipRight(Ref.update(starts, (s) => [...s, name]), Effect.never) })
      const a = yield* DynamicSupervisor.startChild(sup, child("a"))
      const b = yield* DynamicSupervisor.startChild(sup, child("b"))
      yield* settle
      yield* Process.kill(a.initial)
      yield* settle
      expect(yield* Ref.get(starts)).toEqual(["a", "b", "a"])
      const infos = yield* DynamicSupervisor.whichChildren(sup)
      expect(infos.map((info) => info.status)).toEqual(["running", "running"])
      expect(pidOf(infos[0])).not.toEqual(a.initial.pid)
      expect(pidOf(infos[1])).toEqual(b.initial.pid)
      expect(infos.map((info) => info.restarts)).toEqual([1, 0])
    }))

  it.scoped("restart types: transient after a normal exit and temporary children are removed", () =>
    Effect.gen(function*() {
      const sup = yield* DynamicSupervisor.start()
      yield* DynamicSupervisor.startChild(sup, ChildSpec.make({ id: "t", restart: "transient", start: Effect.void }))
      const temp = yield* DynamicSupervisor.startChild(
        sup,
        ChildSpec.make({ id: "tmp", restart: "temporary", start: Effect.never })
      )
      const perm = yield* DynamicSupervisor.startChild(sup, ChildSpec.make({ id: "p", start: Effect.never }))
      yield* settle
      yield* Process.kill(temp.initial)
      yield* settle
      const infos = yield* DynamicSupervisor.whichChildren(sup)
      expect(infos.map((info) => info.child)).toEqual([perm])
      // a temporary child's start is not retained
      expect((temp as unknown as { spawn: unknown }).spawn).toBeUndefined()
    }))

  it.scoped("maxChildren counts children being restarted; MaxChildren error", () =>
    Effect.gen(function*() {
      const sup = yield* DynamicSupervisor.start({ maxChildren: 2 })
      const a = yield* DynamicSupervisor.startChild(
        sup,
        idle("a", { backoff: Schedule.spaced("1 second") })
      )
      yield* DynamicSupervisor.startChild(sup, idle("b"))
      yield* Process.kill(a.initial)
      yield* settle
      expect(yield* DynamicSupervisor.countChildren(sup)).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 })
      const full = yield* Effect.flip(DynamicSupervisor.startChild(sup, idle("c")))
      expect(full).toEqual(new SupervisorError.MaxChildren({ maxChildren: 2 }))
      // terminating the restarting child frees a slot
      yield* DynamicSupervisor.terminateChild(sup, a)
      yield* DynamicSupervisor.startChild(sup, idle("c"))
      yield* TestClock.adjust("2 seconds")
      expect(yield* DynamicSupervisor.countChildren(sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 })
    }))

  it.scoped("startChild errors: failing start, declined start, invalid spec; nothing is added", () =>
    Effect.gen(function*() {
      const sup = yield* DynamicSupervisor.start()
      const failed = yield* Effect.flip(
        DynamicSupervisor.startChild(
          sup,
          ChildSpec.make({ id: "x", start: Process.withInit(Effect.fail("boom"), () => Effect.never) })
        )
      )
      expect(failed._tag).toBe("StartFailed")
      if (failed._tag === "StartFailed") expect(failed.id).toBe("x")
      const ignored = yield* Effect.flip(
        DynamicSupervisor.startChild(
          sup,
          ChildSpec.make({ id: "y", start: Process.withInit(Process.ignore, () => Effect.never) })
        )
      )
      expect(ignored._tag).toBe("StartIgnored")
      const invalid = yield* Effect.flip(
        DynamicSupervisor.startChild(
          sup,
          ChildSpec.make({ id: "z", start: Effect.never, significant: true, restart: "temporary" })
        )
      )
      expect(invalid._tag).toBe("InvalidChildSpec")
      expect(yield* DynamicSupervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 })
    }))

  it.scoped("terminateChild: NotFound for unknown and already-ended children", () =>
    Effect.gen(function*() {
      const sup = yield* DynamicSupervisor.start()
      const child = yield* DynamicSupervisor.startChild(sup, idle("a", { restart: "temporary" }))
      yield* DynamicSupervisor.terminateChild(sup, child.initial)
      const again = yield* Effect.flip(DynamicSupervisor.terminateChild(sup, child))
      expect(again._tag).toBe("NotFound")
      const byProcess = yield* Effect.flip(DynamicSupervisor.terminateChild(sup, child.initial))
      expect(byProcess._tag).toBe("NotFound")
    }))

  it.scoped("extraArguments reach every start, also at restarts", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<string>>([])
      const sup = yield* DynamicSupervisor.start({ extraArguments: "room-registry" })
      const child = yield* DynamicSupervisor.startChild(sup, (extra: string) =>
        ChildSpec.make({
          id: "room",
          start: Effect.zipRight(Ref.update(seen, (s) => [...s, extra]), Effect.never)
        }))
      yield* settle
      yield* Process.kill(child.initial)
      yield* settle
      expect(yield* Ref.get(seen)).toEqual(["room-registry", "room-registry"])
    }))

  it.scoped("exhausting the restart policy stops all children and ends with shutdown", () =>
    Effect.gen(function*() {
      const stops = yield* Ref.make(0)
      const sup = yield* DynamicSupervisor.start({ restartPolicy: Restart.intensity(2, "5 seconds") })
      const crashing = yield* DynamicSupervisor.startChild(sup, idle("crashing"))
      for (let i = 0; i < 3; i++) {
        yield* DynamicSupervisor.startChild(
          sup,
          ChildSpec.make({
            id: `bystander-${i}`,
            start: Effect.acquireRelease(Effect.void, () => Ref.update(stops, (n) => n + 1)).pipe(
              Effect.zipRight(Effect.never)
            )
          })
        )
      }
      yield* settle
      let current = crashing.initial
      for (let i = 0; i < 3; i++) {
        yield* Process.kill(current)
        yield* settle
        const infos = yield* Effect.either(DynamicSupervisor.whichChildren(sup))
        if (infos._tag === "Right") current = Option.getOrThrow(infos.right[0].process)
      }
      const reason = yield* sup.process.await
      expect(reason).toEqual(ExitReason.shutdown)
      expect(yield* Ref.get(stops)).toBe(3)
      const afterwards = yield* Effect.flip(DynamicSupervisor.countChildren(sup))
      expect(afterwards._tag).toBe("SupervisorStopped")
    }))

  it.scoped("a failed restart is retried and counted; a declined restart drops the child", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const sup = yield* DynamicSupervisor.start({ restartPolicy: Restart.intensity(10, "5 seconds") })
      const child = yield* DynamicSupervisor.startChild(
        sup,
        ChildSpec.make({
          id: "flaky",
          start: Process.withInit(
            Effect.flatMap(
              Ref.getAndUpdate(attempts, (n) => n + 1),
              (n): Effect.Effect<void, string | Process.Ignore> =>
                n === 0 ? Effect.void : n < 3 ? Effect.fail("not yet") : Process.ignore
            ),
            () => Effect.never
          )
        })
      )
      yield* Process.kill(child.initial)
      yield* settle
      expect(yield* Ref.get(attempts)).toBe(4)
      expect(yield* DynamicSupervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 })
    }))

  it.effect(
    "stops all children at once: 10,000 children with a 1 s deadline stop in 1 s of clock",
    () =>
      Effect.gen(function*() {
        const release = yield* Deferred.make<void>()
        const scope = yield* Scope.make()
        const sup = yield* Scope.extend(DynamicSupervisor.start(), scope)
        const stubborn = ChildSpec.make({
          id: "stubborn",
          shutdown: "1 second",
          // a finalizer that outlives the deadline
          start: Effect.acquireRelease(Effect.void, () => Deferred.await(release)).pipe(Effect.zipRight(Effect.never))
        })
        for (let i = 0; i < 10_000; i++) yield* DynamicSupervisor.startChild(sup, stubborn)
        const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
        yield* awaitSleepUntil(1000)
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(closing)
        expect(yield* TestClock.currentTimeMillis).toBe(1000)
        expect((yield* DynamicSupervisor.unstopped(sup)).length).toBe(10_000)
        yield* Deferred.succeed(release, undefined)
        yield* settle
        expect((yield* DynamicSupervisor.unstopped(sup)).length).toBe(0)
      }),
    60_000
  )

  it.scoped("is a child of a Supervisor, as the lesson's ChatApp tree", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        strategy: "one_for_one",
        children: [
          idle("logger"),
          DynamicSupervisor.childSpec({ id: "rooms", maxChildren: 10 })
        ]
      })
      const children = yield* Supervisor.whichChildren(app)
      expect(children.map((child) => [child.id, child.type])).toEqual([["rooms", "supervisor"], ["logger", "worker"]])
      expect(yield* Supervisor.countChildren(app)).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 })
      const spec = yield* Supervisor.getChildSpec(app, "rooms")
      expect(spec.shutdown).toBe("infinity")
    }))

  it.effect("invalid options are typed errors", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(Effect.scoped(DynamicSupervisor.start({ maxChildren: -1 })))
      expect(bad.message).toBe("maxChildren: expected an integer >= 0 or Infinity, got -1")
      const badPolicy = yield* Effect.flip(
        Effect.scoped(DynamicSupervisor.start({ restartPolicy: Restart.intensity(1, Duration.zero) }))
      )
      expect(badPolicy.message).toBe("restartPolicy: the window must be longer than 0, got 0 ms")
    }))
})

const where = FiberRef.unsafeMake("nowhere")

class Greeting extends Context.Tag("test/Greeting")<Greeting, string>() {}

describe("where a child starts from", () => {
  const reporting = (
    id: string,
    seen: Array<readonly [string, string, string]>,
    init: Effect.Effect<void> = Effect.void
  ) =>
    ChildSpec.make({
      id,
      start: Process.withInit(
        Effect.flatMap(Effect.all([Greeting, FiberRef.get(where)]), ([greeting, ref]) =>
          Effect.zipRight(init, Effect.sync(() => seen.push([id, greeting, ref])))),
        () =>
          Effect.never
      )
    })

  it.scoped("the caller's context, the supervisor's fiber refs: whether the start runs in the caller or in the loop", () =>
    Effect.gen(function*() {
      const seen: Array<readonly [string, string, string]> = []
      const sup = yield* DynamicSupervisor.start().pipe(Effect.locally(where, "supervisor"))
      const gate = yield* Deferred.make<void>()
      const start = (spec: ChildSpec.ChildSpec<Process.ProcessRef, never, Greeting>) =>
        DynamicSupervisor.startChild(sup, spec).pipe(
          Effect.provideService(Greeting, `hello from the caller of ${spec.id}`),
          Effect.locally(where, "caller")
        )
      // idle supervisor: the start runs in the caller's fiber
      yield* start(reporting("fast", seen))
      // an init that waits: the loop takes over; the next start queues behind it
      const slow = yield* Effect.fork(start(reporting("slow", seen, Deferred.await(gate))))
      yield* settle
      const queued = yield* Effect.fork(start(reporting("queued", seen)))
      yield* settle
      assert.strictEqual(seen.length, 1, "one start at a time")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(slow)
      yield* Fiber.join(queued)
      assert.deepStrictEqual(seen, [
        ["fast", "hello from the caller of fast", "supervisor"],
        ["slow", "hello from the caller of slow", "supervisor"],
        ["queued", "hello from the caller of queued", "supervisor"]
      ])
      assert.deepStrictEqual(
        (yield* DynamicSupervisor.whichChildren(sup)).map((info) => info.id),
        ["fast", "slow", "queued"]
      )
    }))

  it.scoped("a restart starts from the same context and fiber refs", () =>
    Effect.gen(function*() {
      const seen: Array<readonly [string, string, string]> = []
      const sup = yield* DynamicSupervisor.start().pipe(Effect.locally(where, "supervisor"))
      const child = yield* DynamicSupervisor.startChild(sup, reporting("a", seen)).pipe(
        Effect.provideService(Greeting, "hello"),
        Effect.locally(where, "caller")
      )
      yield* Process.kill(child.initial)
      yield* settle
      assert.deepStrictEqual(seen, [["a", "hello", "supervisor"], ["a", "hello", "supervisor"]])
    }))

  it.scoped("a child that crashes right after an init run in the caller's fiber is restarted by the loop", () =>
    Effect.gen(function*() {
      let incarnations = 0
      const sup = yield* DynamicSupervisor.start()
      yield* DynamicSupervisor.startChild(
        sup,
        ChildSpec.make({
          id: "flaky",
          start: Process.withInit(
            Effect.sync(() => ++incarnations),
            (n) => n === 1 ? Effect.dieMessage("boom") : Effect.never
          )
        })
      )
      yield* settle
      const [info] = yield* DynamicSupervisor.whichChildren(sup)
      assert.deepStrictEqual([incarnations, info.status, info.restarts], [2, "running", 1])
    }))
})

describe("many children coming and going", () => {
  it("whichChildren stays oldest first, counts hold, and every terminated child is NotFound, through rounds of starts and terminations", async () => {
    await FastCheck.assert(
      FastCheck.asyncProperty(
        // each round: children to start, then which of the living ones to terminate (two in three)
        FastCheck.array(
          FastCheck.record({
            starts: FastCheck.integer({ min: 0, max: 60 }),
            terminate: FastCheck.array(FastCheck.constantFrom(true, true, false), { maxLength: 120, size: "max" })
          }),
          { minLength: 1, maxLength: 6 }
        ),
        (rounds) =>
          Effect.runPromise(Effect.scoped(Effect.gen(function*() {
            const sup = yield* DynamicSupervisor.start()
            let living: Array<DynamicSupervisor.Child<unknown>> = []
            const gone: Array<DynamicSupervisor.Child<unknown>> = []
            let next = 0
            for (const round of rounds) {
              for (let i = 0; i < round.starts; i++) {
                living.push(yield* DynamicSupervisor.startChild(sup, idle(`c${next++}`)))
              }
              const kept: Array<DynamicSupervisor.Child<unknown>> = []
              for (const [i, child] of living.entries()) {
                if (round.terminate[i] === true) {
                  yield* DynamicSupervisor.terminateChild(sup, child)
                  gone.push(child)
                } else kept.push(child)
              }
              living = kept
              const infos = yield* DynamicSupervisor.whichChildren(sup)
              assert.deepStrictEqual(infos.map((info) => info.child), living)
              assert.strictEqual((yield* DynamicSupervisor.countChildren(sup)).active, living.length)
            }
            for (const child of gone) {
              assert.strictEqual((yield* Effect.flip(DynamicSupervisor.terminateChild(sup, child)))._tag, "NotFound")
            }
          }))).then(() => true)
      ),
      { numRuns: 40 }
    )
  })
})

describe("concurrent starts", () => {
  it("one at a time: starts from many fibers, inits with and without waits, never two inits at once; maxChildren holds", async () => {
    await FastCheck.assert(
      FastCheck.asyncProperty(
        FastCheck.array(FastCheck.boolean(), { minLength: 1, maxLength: 12 }),
        FastCheck.integer({ min: 0, max: 12 }),
        FastCheck.infiniteStream(FastCheck.nat()),
        (waits, maxChildren, picks) =>
          Effect.runPromise(Effect.scoped(Effect.gen(function*() {
            let running = 0
            let most = 0
            const gates = yield* Effect.forEach(waits, () => Deferred.make<void>())
            const spec = (i: number) =>
              ChildSpec.make({
                id: `child-${i}`,
                start: Process.withInit(
                  Effect.acquireUseRelease(
                    Effect.sync(() => {
                      running++
                      most = Math.max(most, running)
                    }),
                    () => waits[i] ? Deferred.await(gates[i]) : Effect.void,
                    () => Effect.sync(() => running--)
                  ),
                  () => Effect.never
                )
              })
            const sup = yield* DynamicSupervisor.start({ maxChildren })
            const starts = yield* Effect.forEach(
              waits,
              (_, i) => Effect.fork(Effect.either(DynamicSupervisor.startChild(sup, spec(i))))
            )
            // open the gates in a random order, letting the supervisor run in between
            const closed = waits.map((_, i) => i)
            const iterator = picks[Symbol.iterator]()
            while (closed.length > 0) {
              const [i] = closed.splice(iterator.next().value % closed.length, 1)
              yield* Deferred.succeed(gates[i], undefined)
              yield* settle
            }
            const results = yield* Effect.forEach(starts, Fiber.join)
            const started = results.filter((result) => result._tag === "Right")
            const refused = results.filter((result) => result._tag === "Left")
            assert.isAtMost(most, 1, "never two inits at once")
            assert.strictEqual(started.length, Math.min(waits.length, maxChildren))
            for (const result of refused) assert.strictEqual(result.left._tag, "MaxChildren")
            const counts = yield* DynamicSupervisor.countChildren(sup)
            assert.strictEqual(counts.active, started.length)
          })))
      ),
      { numRuns: 200 }
    )
  })
})

describe("terminateChild", () => {
  it.scoped("a handle of a child that is gone: NotFound, naming the child's id", () =>
    Effect.gen(function*() {
      const sup = yield* DynamicSupervisor.start()
      const child = yield* DynamicSupervisor.startChild(sup, idle("session-7"))
      yield* DynamicSupervisor.terminateChild(sup, child)
      const error = yield* Effect.flip(DynamicSupervisor.terminateChild(sup, child))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error._tag === "NotFound" && error.id, "session-7")
    }))
})
