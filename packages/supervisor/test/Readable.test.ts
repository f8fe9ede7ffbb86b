/**
 * What people read: error messages carry their cause, durations print with units, the
 * tree shows units.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Console, Data, Duration, Effect, Logger, Request, TestClock } from "effect"
import {
  ChildSpec,
  ExitReason,
  GenServer,
  Process,
  SupervisionTree,
  Supervisor,
  SupervisorError,
  SupervisorLogger
} from "../src/index.js"
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

describe("crash reports", () => {
  function connect(): never {
    throw new Error("connection refused")
  }

  /** Four crashes of `db` under the default policy (3 restarts in 5 s): the 4th gives up. */
  const fourCrashes = (logger: Logger.Logger<unknown, string>) =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const layer = Logger.replace(
        Logger.defaultLogger,
        Logger.map(logger, (text) => {
          for (const line of text.split("\n")) lines.push(line)
        })
      )
      yield* Effect.gen(function*() {
        const supervisor = yield* Supervisor.start({
          name: "app",
          children: [ChildSpec.make({ id: "db", start: Effect.sync(connect) })]
        })
        assert.deepStrictEqual(yield* Process.await(supervisor.process), ExitReason.shutdown)
      }).pipe(Effect.scoped, Effect.provide(layer))
      return lines
    })

  /** Each crash: its report line, then only this file's frames (none of Effect's or the library's). */
  const assertCrashes = (lines: ReadonlyArray<string>, report: RegExp) => {
    const crashes = lines.flatMap((line, i) => (line.includes("exited: died: connection refused") ? [i] : []))
    assert.strictEqual(crashes.length, 4, lines.join("\n"))
    for (const i of crashes) {
      assert.match(lines[i], report)
      const frames: Array<string> = []
      for (let j = i + 1; j < lines.length && /^ {4}at /.test(lines[j]); j++) frames.push(lines[j])
      assert.strictEqual(frames.length, 1, lines.join("\n"))
      // (Effect's default logger closes the quoted cause, then prints the annotations)
      assert.match(frames[0], /^ {4}at .*Readable\.test\.ts:\d+:\d+\)?("( [a-z]+=\S+)+)?$/)
    }
    // 4 crashes (2 lines each), 3 restarts, giving up
    assert.strictEqual(lines.length, 12, lines.join("\n"))
  }

  it.scoped("Effect's default logger: four crashes print four report lines and the user's frames", () =>
    Effect.gen(function*() {
      const lines = yield* fourCrashes(Logger.stringLogger)
      assertCrashes(
        lines,
        /level=ERROR .*message="db Process<\d+> exited: died: connection refused" cause="Error: connection refused$/
      )
    }))

  it.scoped("SupervisorLogger.compact: one line with the supervisor's path, the child and the reason", () =>
    Effect.gen(function*() {
      const lines = yield* fourCrashes(SupervisorLogger.compact({ colors: false }))
      assertCrashes(
        lines,
        /^\d\d:\d\d:\d\d\.\d{3} ERROR app: db Process<\d+> exited: died: connection refused child=db reason=Abnormal$/
      )
      assert.match(lines[2], /^\d\d:\d\d:\d\d\.\d{3} INFO app: restarted db as Process<\d+> \(restart 1\) child=db$/)
      assert.match(
        lines[11],
        /ERROR app: restart policy exhausted by db: giving up child=db reason=reached_max_restart_intensity$/
      )
    }))

  it.scoped("SupervisorLogger.compact with colours: ANSI codes around the level", () =>
    Effect.gen(function*() {
      const lines = yield* fourCrashes(SupervisorLogger.compact({ colors: true }))
      assert.include(lines[0], "\x1b[31mERROR\x1b[0m")
    }))

  it.scoped("SupervisorLogger.json: one object per line, the annotations as fields, the user's frames", () =>
    Effect.gen(function*() {
      const lines = yield* fourCrashes(SupervisorLogger.json)
      assert.strictEqual(lines.length, 8)
      const crash = JSON.parse(lines[0])
      assert.deepStrictEqual(Object.keys(crash), [
        "time",
        "level",
        "message",
        "supervisor",
        "child",
        "reason",
        "error",
        "stack"
      ])
      assert.strictEqual(crash.level, "ERROR")
      assert.match(crash.message, /^db Process<\d+> exited: died: connection refused$/)
      assert.deepInclude(crash, {
        supervisor: "app",
        child: "db",
        reason: "Abnormal",
        error: "Error: connection refused"
      })
      assert.strictEqual(crash.stack.length, 1)
      assert.match(crash.stack[0], /^at .*Readable\.test\.ts:\d+:\d+\)?$/)
    }))

  it.scoped("SupervisorLogger.logfmt: Effect's logfmt, the cause with the user's frames only", () =>
    Effect.gen(function*() {
      const lines = yield* fourCrashes(SupervisorLogger.logfmt)
      assert.strictEqual(lines.length, 8)
      assert.match(
        lines[0],
        /level=ERROR .*message="db Process<\d+> exited: died: connection refused" cause="Error: connection refused\\n {4}at .*Readable\.test\.ts:\d+:\d+\)?" /
      )
    }))

  it.effect("a cause the application logs itself: its error, then its frames", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const layer = Logger.replace(
        Logger.defaultLogger,
        Logger.map(SupervisorLogger.compact(), (text) => {
          for (const line of text.split("\n")) lines.push(line)
        })
      )
      yield* Effect.logWarning("retrying", Cause.fail(new Error("timeout"))).pipe(
        Effect.annotateLogs({ attempt: 2 }),
        Effect.provide(layer)
      )
      assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} WARN retrying attempt=2$/)
      assert.strictEqual(lines[1], "    Error: timeout")
      assert.match(lines[2], /^ {4}at .*Readable\.test\.ts:\d+:\d+\)?$/)
      assert.strictEqual(lines.length, 3)
    }))
})

describe("SupervisorLogger layers", () => {
  /** A console whose lines land in `lines` (loggers write through its `unsafe` side). */
  const captureConsole = (lines: Array<string>): Console.Console => {
    const write = (...args: ReadonlyArray<unknown>) => void lines.push(args.map(String).join(" "))
    const unsafe = { log: write, error: write, warn: write, info: write, debug: write, trace: write }
    return { [Console.TypeId]: Console.TypeId, unsafe } as unknown as Console.Console
  }

  it.effect("production: JSON lines on the console in place of the default logger", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      yield* Effect.log("ready").pipe(
        Effect.annotateLogs("supervisor", "app"),
        Effect.provide(SupervisorLogger.production),
        Effect.withConsole(captureConsole(lines))
      )
      assert.strictEqual(lines.length, 1)
      assert.deepInclude(JSON.parse(lines[0]), { level: "INFO", message: "ready", supervisor: "app" })
    }))

  it.effect("development: compact lines on the console, errors at error level", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      yield* Effect.logError("failed").pipe(
        Effect.annotateLogs("supervisor", "app"),
        Effect.provide(SupervisorLogger.development),
        Effect.withConsole(captureConsole(lines))
      )
      assert.strictEqual(lines.length, 1)
      // vitest's output is not a terminal: no colours
      assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} ERROR app: failed$/)
    }))
})

describe("what other loggers see of a crash", () => {
  class DbDown extends Data.TaggedError("DbDown")<{ readonly host: string }> {}

  it.scoped("the same failure: its class, tag and fields, its stack cut to the application's frames", () =>
    Effect.gen(function*() {
      const causes: Array<Cause.Cause<unknown>> = []
      const logger = Logger.make(({ cause }) => {
        if (!Cause.isEmpty(cause)) causes.push(cause)
      })
      yield* Effect.gen(function*() {
        const supervisor = yield* Supervisor.start({
          children: [
            ChildSpec.make({
              id: "db",
              restart: "temporary",
              start: Effect.suspend(() => Effect.fail(new DbDown({ host: "db.local" })))
            })
          ]
        })
        yield* TestClock.adjust(0)
        assert.strictEqual((yield* Supervisor.whichChildren(supervisor)).length, 0)
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      assert.strictEqual(causes.length, 1)
      const [failure] = Chunk.toReadonlyArray(Cause.failures(causes[0]))
      assert.instanceOf(failure, DbDown)
      assert.deepInclude(failure, { _tag: "DbDown", host: "db.local" })
      const frames = (failure as DbDown).stack!.split("\n").slice(1)
      assert.isAbove(frames.length, 0)
      for (const frame of frames) assert.match(frame, /^ {4}at .*Readable\.test\.ts:\d+:\d+\)?$/)
    }))
})
