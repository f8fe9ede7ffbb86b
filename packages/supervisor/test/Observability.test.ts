/**
 * Events, logs, metrics, spans, the live tree and the unstopped report.
 */
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import {
  Cause,
  Chunk,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  HashMap,
  Logger,
  LogLevel,
  Metric,
  Option,
  Scope,
  Stream,
  TestClock,
  Tracer
} from "effect"
import {
  ChildSpec,
  ExitReason,
  Process,
  Restart,
  SupervisionTree,
  Supervisor,
  SupervisorEvent,
  SupervisorMetrics
} from "../src/index.js"

const settle = Effect.repeatN(Effect.yieldNow(), 30)

const idle = (id: string, options: Partial<ChildSpec.Options> = {}) =>
  ChildSpec.make({ ...options, id, start: Effect.never })

const processOf = (supervisor: Supervisor.Supervisor, id: string) =>
  Effect.map(
    Supervisor.whichChildren(supervisor),
    (children) => Option.getOrThrow(children.find((child) => child.id === id)!.process)
  )

/** Collects `n` events of the stream, subscribed before `trigger` runs. */
const collect = <E, R>(
  events: Stream.Stream<SupervisorEvent.SupervisorEvent>,
  n: number,
  trigger: Effect.Effect<unknown, E, R>
) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(events, n)))
    yield* settle
    yield* trigger
    return Chunk.toReadonlyArray(yield* Fiber.join(fiber))
  })

const summary = (event: SupervisorEvent.SupervisorEvent): string =>
  SupervisorEvent.$match(event, {
    ChildStarted: ({ childId }) => `started ${childId}`,
    ChildExited: ({ childId, reason }) => `exited ${childId} ${reason._tag}`,
    ChildRestarted: ({ attempt, childId }) => `restarted ${childId} #${attempt}`,
    BackoffScheduled: ({ childId, delay }) => `backoff ${childId} ${Duration.format(delay)}`,
    RestartPolicyExhausted: ({ childId }) => `exhausted ${childId}`,
    ShutdownDeadlineMissed: ({ childId }) => `deadline missed ${childId}`,
    SupervisorStopped: ({ reason }) => `stopped ${reason._tag}`
  })

describe("events", () => {
  it.scoped("a one_for_all cascade, in exact order", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        name: "cascade",
        strategy: "one_for_all",
        children: [idle("a"), idle("b"), idle("c")]
      })
      const b = yield* processOf(supervisor, "b")
      const events = yield* collect(Supervisor.events(supervisor), 6, Process.kill(b))
      assert.deepStrictEqual(events.map(summary), [
        "exited b Killed",
        "exited c Shutdown",
        "exited a Shutdown",
        "restarted a #1",
        "restarted b #1",
        "restarted c #1"
      ])
      assert.isTrue(events.every((event) => event.supervisor === "cascade"))
    }))

  it.scoped("backoff, policy exhausted and supervisor stopped; a subtree stream sees a child supervisor's events", () =>
    Effect.gen(function*() {
      const parent = yield* Supervisor.start({
        name: "top",
        children: [
          Supervisor.childSpec({
            id: "sub",
            restart: "transient",
            restartPolicy: Restart.intensity(1, "5 seconds"),
            children: [idle("w", { backoff: Restart.backoff({ base: "1 second" }) })]
          })
        ]
      })
      const sub = Option.getOrThrow((yield* Supervisor.whichChildren(parent))[0].value) as Supervisor.Supervisor
      const fiber = yield* Effect.fork(
        Stream.runCollect(Stream.take(Supervisor.events(parent, { subtree: true }), 7))
      )
      yield* settle
      yield* Process.kill(yield* processOf(sub, "w"))
      yield* settle
      yield* TestClock.adjust("1 second")
      yield* settle
      yield* Process.kill(yield* processOf(sub, "w"))
      const events = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(events.map((event) => `${event.supervisor}: ${summary(event)}`), [
        "top/sub: exited w Killed",
        "top/sub: backoff w 1s",
        "top/sub: restarted w #1",
        "top/sub: exited w Killed",
        "top/sub: exhausted w",
        "top/sub: stopped Shutdown",
        "top: exited sub Shutdown"
      ])
    }))

  it.effect("a missed shutdown deadline is an event, and the child is listed as unstopped until it ends", () =>
    Effect.gen(function*() {
      const release = yield* Deferred.make<void>()
      const scope = yield* Scope.make()
      const supervisor = yield* Scope.extend(
        Supervisor.start({
          name: "slow",
          children: [
            ChildSpec.make({
              id: "stubborn",
              shutdown: "1 second",
              start: Effect.acquireRelease(Effect.void, () => Deferred.await(release)).pipe(
                Effect.zipRight(Effect.never)
              )
            })
          ]
        }),
        scope
      )
      const stubborn = yield* processOf(supervisor, "stubborn")
      const events = yield* Effect.fork(Stream.runCollect(Stream.take(Supervisor.events(supervisor), 3)))
      yield* settle
      const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* settle
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(closing)
      assert.deepStrictEqual(Chunk.toReadonlyArray(yield* Fiber.join(events)).map(summary), [
        "deadline missed stubborn",
        "exited stubborn Killed",
        "stopped Shutdown"
      ])
      assert.deepStrictEqual((yield* Supervisor.unstopped(supervisor)).map((p) => p.pid), [stubborn.pid])
      yield* Deferred.succeed(release, undefined)
      yield* settle
      assert.deepStrictEqual(yield* Supervisor.unstopped(supervisor), [])
      deepStrictEqual(stubborn.poll, Option.some(ExitReason.killed))
    }))
})

describe("logs", () => {
  const capture = Effect.gen(function*() {
    const lines: Array<string> = []
    const logger = Logger.make(({ annotations, cause, logLevel, message }) => {
      const text = Array.isArray(message) ? message.join(" ") : String(message)
      const tags = HashMap.toEntries(annotations).map(([key, value]) => `${key}=${value}`).sort().join(" ")
      const failures = Chunk.toReadonlyArray(Cause.failures(cause)).map(String)
      lines.push(`${logLevel.label} ${text} [${tags}]${failures.length > 0 ? ` cause=${failures.join(",")}` : ""}`)
    })
    return { lines, logger }
  })

  it.scoped("crashes at error level, restarts at info, annotated; transient normal exits are silent", () =>
    Effect.gen(function*() {
      const { lines, logger } = yield* capture
      yield* Effect.gen(function*() {
        const supervisor = yield* Supervisor.start({
          name: "logged",
          children: [
            idle("perm"),
            ChildSpec.make({ id: "done", restart: "transient", start: Effect.sleep("1 second") })
          ]
        })
        const perm = yield* processOf(supervisor, "perm")
        yield* Process.kill(perm)
        yield* settle
        yield* TestClock.adjust("1 second")
        yield* settle
        const restarted = yield* processOf(supervisor, "perm")
        assert.deepStrictEqual(lines, [
          `ERROR perm ${perm} exited: killed [child=perm reason=Killed supervisor=logged]`,
          `INFO restarted perm as ${restarted} (restart 1) [child=perm supervisor=logged]`
        ])
      }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
    }))

  it.scoped("failures JSON cannot print (a bigint, a cycle) are logged, and the supervisor goes on", () =>
    Effect.gen(function*() {
      const { lines, logger } = yield* capture
      yield* Effect.gen(function*() {
        const cycle: { self?: unknown } = {}
        cycle.self = cycle
        const supervisor = yield* Supervisor.start({
          name: "odd",
          children: [
            ChildSpec.make({ id: "big", restart: "temporary", start: Effect.fail(10n) }),
            ChildSpec.make({ id: "cyclic", restart: "temporary", start: Effect.fail(cycle) })
          ]
        })
        yield* settle
        assert.strictEqual(lines.length, 2)
        assert.match(lines[0], /^ERROR big Process<\d+> exited: failed: 10n /)
        assert.match(lines[1], /^ERROR cyclic Process<\d+> exited: failed: \[object Object\] /)
        assert.isTrue(Option.isNone(supervisor.process.poll), "the supervisor runs")
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    }))

  it.scoped("a failure is logged with its cause; a temporary child is not restarted", () =>
    Effect.gen(function*() {
      const { lines, logger } = yield* capture
      yield* Effect.gen(function*() {
        yield* Supervisor.start({
          name: "failing",
          children: [ChildSpec.make({ id: "f", restart: "temporary", start: Effect.fail("boom") })]
        })
        yield* settle
        assert.strictEqual(lines.length, 1)
        assert.match(
          lines[0],
          /^ERROR f Process<\d+> exited: failed: boom \[child=f reason=Abnormal supervisor=failing\] cause=boom$/
        )
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    }))
})

describe("metrics", () => {
  it.scoped("restarts per child, active children, restart latency", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.start({
        name: "metered",
        restartPolicy: Restart.intensity(10, "5 seconds"),
        children: [idle("a"), idle("b")]
      })
      for (let i = 0; i < 3; i++) {
        yield* Process.kill(yield* processOf(supervisor, "b"))
        yield* settle
      }
      const restartsOfB = yield* Metric.value(
        SupervisorMetrics.restarts.pipe(Metric.tagged("supervisor", "metered"), Metric.tagged("child", "b"))
      )
      assert.strictEqual(restartsOfB.count, 3)
      const restartsOfA = yield* Metric.value(
        SupervisorMetrics.restarts.pipe(Metric.tagged("supervisor", "metered"), Metric.tagged("child", "a"))
      )
      assert.strictEqual(restartsOfA.count, 0)
      const active = yield* Metric.value(SupervisorMetrics.activeChildren.pipe(Metric.tagged("supervisor", "metered")))
      assert.strictEqual(active.value, 2)
      const latency = yield* Metric.value(SupervisorMetrics.restartLatency.pipe(Metric.tagged("supervisor", "metered")))
      assert.strictEqual(latency.count, 3)
      assert.strictEqual(latency.sum, 0) // TestClock: restarts take no clock time
    }))
})

describe("spans", () => {
  it.scoped("child starts and restarts run in spans named after the supervisor and the child", () =>
    Effect.gen(function*() {
      const names: Array<string> = []
      const native = yield* Effect.tracer
      const recording = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          names.push(name)
          return native.span(name, parent, context, links, startTime, kind, options)
        },
        context: native.context
      })
      yield* Effect.gen(function*() {
        const supervisor = yield* Supervisor.start({
          name: "traced",
          children: [idle("a"), Supervisor.childSpec({ id: "sub", children: [idle("x")] })]
        })
        yield* Process.kill(yield* processOf(supervisor, "a"))
        yield* settle
      }).pipe(Effect.withTracer(recording))
      assert.deepStrictEqual(names, [
        "traced/a start",
        "traced/sub start",
        "traced/sub/x start",
        "traced/a restart"
      ])
    }))
})

describe("tree", () => {
  it.scoped("Supervisor.tree and SupervisionTree.render", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        name: "app",
        children: [
          idle("cache"),
          Supervisor.childSpec({
            id: "db",
            strategy: "rest_for_one",
            children: [idle("pool"), idle("repo", { backoff: Restart.backoff({ base: "10 seconds" }) })]
          })
        ]
      })
      yield* TestClock.adjust("5 seconds")
      const db = Option.getOrThrow((yield* Supervisor.whichChildren(app))[0].value) as Supervisor.Supervisor
      yield* Process.kill(yield* processOf(db, "repo"))
      yield* settle
      const tree = yield* Supervisor.tree(app)
      const pid = (process: Option.Option<Process.ProcessRef>) => Option.getOrThrow(process).pid
      const [cache, dbNode] = tree.children
      const dbTree = Option.getOrThrow(dbNode.tree)
      assert.strictEqual(
        SupervisionTree.render(tree),
        [
          `app <${app.process.pid}> one_for_one`,
          `├─ cache <${pid(cache.process)}> worker running, restarts 0, up 5 s`,
          `└─ db <${pid(dbNode.process)}> supervisor running, restarts 0, up 5 s`,
          `   ├─ pool <${pid(dbTree.children[0].process)}> worker running, restarts 0, up 5 s`,
          `   └─ repo worker restarting, restarts 0`
        ].join("\n")
      )
      assert.strictEqual(dbTree.name, "app/db")
      assert.strictEqual(dbTree.strategy, "rest_for_one")
    }))
})
