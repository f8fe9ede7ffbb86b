import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Config, ConfigError, ConfigProvider, Context, Effect, Inspectable, Option, Ref, Schema } from "effect"
import { ChildKind, ExitReason, Process, Supervisor } from "../src/index.js"
import * as Restart from "../src/Restart.js"

class Greeting extends Context.Tag("test/Greeting")<Greeting, string>() {}

/** Kinds whose starts record what they were given in `log`. */
const makeKinds = (log: Ref.Ref<ReadonlyArray<string>>) => {
  const record = (line: string) => Ref.update(log, (lines) => [...lines, line])
  const echo = ChildKind.make(
    "echo",
    Schema.Struct({ text: Schema.String, times: Schema.optionalWith(Schema.Number, { exact: true }) }),
    ({ text, times }) => Effect.zipRight(record(`echo ${text} x${times ?? 1}`), Effect.never)
  )
  const greeter = ChildKind.make(
    "greeter",
    Schema.Struct({ name: Schema.String }),
    ({ name }) =>
      Effect.flatMap(Greeting, (greeting) => record(`${greeting}, ${name}`)).pipe(Effect.zipRight(Effect.never))
  )
  const pool = ChildKind.make(
    "pool",
    Schema.Struct({ size: Schema.NumberFromString }),
    ({ size }) => Process.withInit(record(`pool init ${size}`), () => Effect.never)
  )
  const sleeper = ChildKind.make("sleeper", Schema.Void, () => Effect.never)
  return { echo, greeter, pool, sleeper } as const
}

const kindsWithoutLog = Effect.map(Ref.make<ReadonlyArray<string>>([]), makeKinds)

/** Decodes `input` with the test kinds and returns its issues as `path: message` lines. */
const failure = (input: unknown, options?: { readonly errors: "all" }) =>
  Effect.gen(function*() {
    const { echo, pool, sleeper } = yield* kindsWithoutLog
    const error = yield* Effect.flip(ChildKind.decodeTree([echo, pool, sleeper])(input, options))
    return ChildKind.formatError(error)
  })

/** The message of the error JSON.parse throws for `text` on this Node version. */
const jsonParseMessage = (text: string): string => {
  try {
    JSON.parse(text)
  } catch (error) {
    if (error instanceof Error) return error.message
  }
  throw new Error(`${text} is valid JSON`)
}

const twoLevelJson = JSON.stringify({
  strategy: "rest_for_one",
  maxRestarts: 2,
  maxSeconds: 10,
  children: [
    { id: "hello", kind: "echo", args: { text: "hello", times: 2 }, restart: "transient", shutdown: 1000 },
    {
      id: "db",
      supervisor: {
        strategy: "one_for_all",
        children: [
          { id: "pool", kind: "pool", args: { size: "4" } },
          { id: "greeter", kind: "greeter", args: { name: "Ada" }, shutdown: "brutal_kill" }
        ]
      }
    },
    { id: "idle", kind: "sleeper", restart: "temporary" }
  ]
})

describe("ChildKind.make", () => {
  it("makes a kind with a name, an args Schema and a start", () => {
    const kind = ChildKind.make("sleeper", Schema.Void, () => Effect.never, {
      type: "supervisor",
      restart: "temporary"
    })
    expect(ChildKind.isChildKind(kind)).toBe(true)
    expect(ChildKind.isChildKind({ name: "sleeper" })).toBe(false)
    expect(kind.name).toBe("sleeper")
    expect(kind.args).toBe(Schema.Void)
    expect(kind.defaults).toEqual({ type: "supervisor", restart: "temporary" })
    expect(Inspectable.toJSON(kind)).toEqual({
      _id: "ChildKind",
      name: "sleeper",
      defaults: { type: "supervisor", restart: "temporary" }
    })
    expect(Process.isSpawn(kind.start(undefined))).toBe(true)
  })

  it("passes a start that is a Process.Spawn through", () => {
    const spawn = Process.fromEffect(Effect.never)
    const kind = ChildKind.make("spawned", Schema.Void, () => spawn)
    expect(kind.start(undefined)).toBe(spawn)
  })

  it("refuses two kinds with one name", () => {
    const a = ChildKind.make("same", Schema.Void, () => Effect.never)
    const b = ChildKind.make("same", Schema.String, () => Effect.never)
    expect(() => ChildKind.treeSchema([a, b])).toThrow("two child kinds are named \"same\"")
  })
})

describe("ChildKind.decodeTreeJson", () => {
  it.scoped("decodes a two-level tree and starts it with Supervisor.start", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<ReadonlyArray<string>>([])
      const { echo, greeter, pool, sleeper } = makeKinds(log)
      const options = yield* ChildKind.decodeTreeJson([echo, greeter, pool, sleeper])(twoLevelJson)
      // the children need what the kinds' starts need
      expectTypeOf(options).toEqualTypeOf<Supervisor.Options<Greeting>>()

      expect(options.strategy).toBe("rest_for_one")
      expect(options.autoShutdown).toBe("never")
      expect(options.restartPolicy && Restart.intensityParameters.get(options.restartPolicy)).toMatchObject({
        maxRestarts: 2,
        windowMillis: 10_000
      })
      expect(options.children?.map((spec) => Inspectable.toJSON(spec))).toEqual([
        {
          _id: "ChildSpec",
          id: "hello",
          restart: "transient",
          shutdown: "1s",
          type: "worker",
          significant: false
        },
        {
          _id: "ChildSpec",
          id: "db",
          restart: "permanent",
          shutdown: "infinity",
          type: "supervisor",
          significant: false
        },
        { _id: "ChildSpec", id: "idle", restart: "temporary", shutdown: "5s", type: "worker", significant: false }
      ])

      const supervisor = yield* Supervisor.start(options).pipe(Effect.provideService(Greeting, "Hello"))
      const children = yield* Supervisor.whichChildren(supervisor)
      expect(children.map(({ id, status, type }) => ({ id, status, type }))).toEqual([
        { id: "idle", status: "running", type: "worker" },
        { id: "db", status: "running", type: "supervisor" },
        { id: "hello", status: "running", type: "worker" }
      ])
      expect(yield* Supervisor.countChildren(supervisor)).toEqual({ specs: 3, active: 3, supervisors: 1, workers: 2 })
      const db = yield* Supervisor.getChildSpec(supervisor, "db")
      expect(db.type).toBe("supervisor")
      expect(db.shutdown).toBe("infinity")

      yield* Effect.yieldNow()
      expect([...(yield* Ref.get(log))].sort()).toEqual(["Hello, Ada", "echo hello x2", "pool init 4"])
    }))

  it.effect("rejects a string that is not JSON, with JSON.parse's message", () =>
    Effect.gen(function*() {
      const { echo } = yield* kindsWithoutLog
      const json = "{ \"children\": [ }"
      const error = yield* Effect.flip(ChildKind.decodeTreeJson([echo])(json))
      expect(ChildKind.formatError(error)).toBe(`invalid JSON: ${jsonParseMessage(json)}`)
      expect(ChildKind.formatError(error).startsWith("invalid JSON: ")).toBe(true)
    }))
})

describe("ChildKind.decodeTree", () => {
  it.effect("fills in the supervisor flags' defaults", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const options = yield* ChildKind.decodeTree([sleeper])({ children: [{ id: "a", kind: "sleeper" }] })
      expect(options.strategy).toBe("one_for_one")
      expect(options.autoShutdown).toBe("never")
      expect(options.restartPolicy && Restart.intensityParameters.get(options.restartPolicy)).toMatchObject({
        maxRestarts: 3,
        windowMillis: 5000
      })
      expect(options.children?.map((spec) => Inspectable.toJSON(spec))).toEqual([
        { _id: "ChildSpec", id: "a", restart: "permanent", shutdown: "5s", type: "worker", significant: false }
      ])
    }))

  it.effect("accepts fractional seconds and maxRestarts 0", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const options = yield* ChildKind.decodeTree([sleeper])({ maxRestarts: 0, maxSeconds: 0.5, children: [] })
      expect(options.restartPolicy && Restart.intensityParameters.get(options.restartPolicy)).toMatchObject({
        maxRestarts: 0,
        windowMillis: 500
      })
    }))

  it.scoped("applies the decoded restart intensity", () =>
    Effect.gen(function*() {
      const starts = yield* Ref.make(0)
      // fails in its first incarnation only
      const flaky = ChildKind.make(
        "flaky",
        Schema.Void,
        () =>
          Effect.flatMap(Ref.getAndUpdate(starts, (n) => n + 1), (n) => n === 0 ? Effect.fail("boom") : Effect.never)
      )
      const decode = ChildKind.decodeTree([flaky])

      const tolerant = yield* Supervisor.start(
        yield* decode({ maxRestarts: 1, children: [{ id: "f", kind: "flaky" }] })
      )
      const restarted = yield* Supervisor.whichChildren(tolerant).pipe(
        Effect.tap(() => Effect.yieldNow()),
        Effect.repeat({ until: (children) => children[0].restarts > 0, times: 100 })
      )
      expect(restarted.map(({ id, restarts, status }) => ({ id, restarts, status }))).toEqual([
        { id: "f", restarts: 1, status: "running" }
      ])
      expect(Option.isNone(tolerant.process.poll)).toBe(true)

      yield* Ref.set(starts, 0)
      const strict = yield* Supervisor.start(yield* decode({ maxRestarts: 0, children: [{ id: "f", kind: "flaky" }] }))
      expect(yield* strict.process.await).toEqual(ExitReason.shutdown)
    }))

  it.effect("uses a kind's defaults unless the data overrides them", () =>
    Effect.gen(function*() {
      const nested = ChildKind.make(
        "nested",
        Schema.Void,
        () => Supervisor.spawn({ children: [] }),
        { type: "supervisor", restart: "transient" }
      )
      const options = yield* ChildKind.decodeTree([nested])({
        children: [{ id: "a", kind: "nested" }, { id: "b", kind: "nested", restart: "permanent", shutdown: 20 }]
      })
      expect(options.children?.map((spec) => Inspectable.toJSON(spec))).toEqual([
        {
          _id: "ChildSpec",
          id: "a",
          restart: "transient",
          shutdown: "infinity",
          type: "supervisor",
          significant: false
        },
        { _id: "ChildSpec", id: "b", restart: "permanent", shutdown: "20ms", type: "supervisor", significant: false }
      ])
    }))

  it.effect("accepts a significant child under an auto-shutdown supervisor", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const options = yield* ChildKind.decodeTree([sleeper])({
        autoShutdown: "any_significant",
        children: [{ id: "a", kind: "sleeper", restart: "transient", significant: true }]
      })
      expect(options.autoShutdown).toBe("any_significant")
      expect(options.children?.[0].significant).toBe(true)
    }))

  it.effect("allows one id in two supervisors", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const options = yield* ChildKind.decodeTree([sleeper])({
        children: [{ id: "a", kind: "sleeper" }, { id: "b", supervisor: { children: [{ id: "a", kind: "sleeper" }] } }]
      })
      expect(options.children?.map((spec) => spec.id)).toEqual(["a", "b"])
    }))

  it.effect("embeds in a larger Schema through treeSchema", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const AppConfig = Schema.Struct({ port: Schema.Number, supervision: ChildKind.treeSchema([sleeper]) })
      const config = yield* Schema.decodeUnknown(AppConfig)({ port: 80, supervision: { children: [] } })
      expect(config.port).toBe(80)
      expect(config.supervision.children).toEqual([])
      const error = yield* Effect.flip(
        Schema.decodeUnknown(AppConfig)({ port: 80, supervision: { children: [{ id: "a", kind: "x" }] } })
      )
      expect(ChildKind.formatError(error)).toBe(
        "supervision.children[0].kind: unknown child kind \"x\", expected one of: \"sleeper\""
      )
    }))
})

describe("ChildKind.decodeTree errors", () => {
  it.effect("an unknown key in a kind child, a supervisor child and the flags", () =>
    Effect.gen(function*() {
      expect(yield* failure({ children: [{ id: "a", kind: "sleeper", silly_flag: 1 }] })).toBe(
        "children[0].silly_flag: is unexpected, expected: \"id\" | \"kind\" | \"args\" | \"restart\" | \"shutdown\" | \"type\" | \"significant\" | \"startTimeout\" | \"backoff\" | \"resetBackoffAfter\""
      )
      expect(yield* failure({ children: [{ id: "a", supervisor: { children: [] }, type: "worker" }] })).toBe(
        "children[0].type: is unexpected, expected: \"id\" | \"supervisor\" | \"restart\" | \"shutdown\" | \"significant\" | \"startTimeout\" | \"backoff\" | \"resetBackoffAfter\""
      )
      expect(yield* failure({ intensity: 1, children: [] })).toBe(
        "intensity: is unexpected, expected: \"name\" | \"strategy\" | \"maxRestarts\" | \"maxSeconds\" | \"autoShutdown\" | \"backoff\" | \"resetBackoffAfter\" | \"children\""
      )
    }))

  it.effect("an unknown kind, listing the known kinds", () =>
    Effect.gen(function*() {
      const { echo, pool, sleeper } = yield* kindsWithoutLog
      const error = yield* Effect.flip(
        ChildKind.decodeTree([echo, pool, sleeper])({ children: [{ id: "a", kind: "ehco" }] })
      )
      expect(ChildKind.formatError(error)).toBe(
        "children[0].kind: unknown child kind \"ehco\", expected one of: \"echo\", \"pool\", \"sleeper\""
      )
      expect(error.message).toBe(
        [
          "SupervisorTree",
          "└─ Transformation process failure",
          "   └─ [\"children\"][0]",
          "      └─ [\"kind\"]",
          "         └─ unknown child kind \"ehco\", expected one of: \"echo\", \"pool\", \"sleeper\""
        ].join("\n")
      )
    }))

  it.effect("a kind that is not a string, and a child without kind or id", () =>
    Effect.gen(function*() {
      expect(yield* failure({ children: [{ id: "a", kind: 3 }] })).toBe(
        "children[0].kind: expected the name of a child kind, got 3"
      )
      expect(yield* failure({ children: [{ id: "a" }] })).toBe("children[0].kind: is missing")
      expect(yield* failure({ children: [{ kind: "sleeper" }] })).toBe("children[0].id: is missing")
      expect(yield* failure({ children: ["a"] })).toBe(
        "children[0]: expected a child: an object with \"id\" and \"kind\" or \"supervisor\", got \"a\""
      )
      expect(yield* failure({ children: {} })).toBe("children: expected an array of children, got {}")
      expect(yield* failure({})).toBe("children: is missing")
      expect(yield* failure([])).toBe("Expected SupervisorTreeData, actual []")
    }))

  it.effect("bad arguments, with the path into them", () =>
    Effect.gen(function*() {
      expect(yield* failure({ children: [{ id: "a", kind: "echo", args: { text: 1 } }] })).toBe(
        "children[0].args.text: Expected string, actual 1"
      )
      expect(yield* failure({ children: [{ id: "a", kind: "pool", args: { size: "four" } }] })).toBe(
        "children[0].args.size: Unable to decode \"four\" into a number"
      )
      expect(yield* failure({ children: [{ id: "a", kind: "echo" }] })).toBe(
        "children[0].args: is missing (kind \"echo\" needs arguments)"
      )
    }))

  it.effect("an unknown key in the arguments, unless the caller asks to ignore them", () =>
    Effect.gen(function*() {
      const input = { children: [{ id: "a", kind: "echo", args: { text: "x", txet: "y" } }] }
      expect(yield* failure(input)).toBe("children[0].args.txet: is unexpected, expected: \"text\" | \"times\"")
      const { echo } = yield* kindsWithoutLog
      const options = yield* ChildKind.decodeTree([echo])(input, { onExcessProperty: "ignore" })
      expect(options.children?.map((spec) => spec.id)).toEqual(["a"])
    }))

  it.effect("bad arguments of a child of a nested supervisor", () =>
    Effect.gen(function*() {
      expect(
        yield* failure({
          children: [
            { id: "a", kind: "sleeper" },
            { id: "b", supervisor: { children: [{ id: "c", kind: "echo", args: { text: "x", times: "2" } }] } }
          ]
        })
      ).toBe("children[1].supervisor.children[0].args.times: Expected number, actual \"2\"")
    }))

  it.effect("a negative or unreadable shutdown", () =>
    Effect.gen(function*() {
      expect(yield* failure({ children: [{ id: "a", kind: "sleeper", shutdown: -1 }] })).toBe(
        "children[0].shutdown: a shutdown must not be negative, got -1"
      )
      expect(yield* failure({ children: [{ id: "a", supervisor: { children: [] }, shutdown: "-2 seconds" }] })).toBe(
        "children[0].shutdown: a shutdown must not be negative, got \"-2 seconds\""
      )
      expect(yield* failure({ children: [{ id: "a", kind: "sleeper", shutdown: "later" }] })).toBe(
        "children[0].shutdown: expected \"brutal_kill\", \"infinity\", a number of milliseconds >= 0 or a duration such as \"5 seconds\", got \"later\""
      )
    }))

  it.effect("a bad restart type or child type", () =>
    Effect.gen(function*() {
      expect(yield* failure({ children: [{ id: "a", kind: "sleeper", restart: "sometimes" }] })).toBe(
        "children[0].restart: expected \"permanent\", \"transient\" or \"temporary\", got \"sometimes\""
      )
      expect(yield* failure({ children: [{ id: "a", kind: "sleeper", type: "boss" }] })).toBe(
        "children[0].type: expected \"worker\" or \"supervisor\", got \"boss\""
      )
    }))

  it.effect("a significant permanent child", () =>
    Effect.gen(function*() {
      expect(
        yield* failure({ autoShutdown: "all_significant", children: [{ id: "a", kind: "sleeper", significant: true }] })
      ).toBe("children[0].significant: a significant child must be transient or temporary, not permanent")
    }))

  it.effect("a significant child under a supervisor that never shuts down by itself", () =>
    Effect.gen(function*() {
      const expected =
        "children[0].significant: a significant child needs a supervisor with autoShutdown \"any_significant\" or \"all_significant\""
      expect(
        yield* failure({ children: [{ id: "a", kind: "sleeper", restart: "transient", significant: true }] })
      ).toBe(expected)
      // OTP checks the supervisor's auto-shutdown before the restart type
      expect(yield* failure({ children: [{ id: "a", kind: "sleeper", significant: true }] })).toBe(expected)
    }))

  it.effect("a bad strategy or auto-shutdown", () =>
    Effect.gen(function*() {
      expect(yield* failure({ strategy: "simple_one_for_one", children: [] })).toBe(
        "strategy: expected \"one_for_one\", \"one_for_all\" or \"rest_for_one\", got \"simple_one_for_one\""
      )
      expect(yield* failure({ autoShutdown: "always", children: [] })).toBe(
        "autoShutdown: expected \"never\", \"any_significant\" or \"all_significant\", got \"always\""
      )
    }))

  it.effect("a bad maxRestarts", () =>
    Effect.gen(function*() {
      expect(yield* failure({ maxRestarts: -1, children: [] })).toBe("maxRestarts: expected an integer >= 0, got -1")
      expect(yield* failure({ maxRestarts: 1.5, children: [] })).toBe("maxRestarts: expected an integer >= 0, got 1.5")
      expect(yield* failure({ maxRestarts: "3", children: [] })).toBe(
        "maxRestarts: expected an integer >= 0, got \"3\""
      )
    }))

  it.effect("a bad maxSeconds", () =>
    Effect.gen(function*() {
      expect(yield* failure({ maxSeconds: 0, children: [] })).toBe(
        "maxSeconds: expected a number of seconds > 0, got 0"
      )
      expect(yield* failure({ maxSeconds: -5, children: [] })).toBe(
        "maxSeconds: expected a number of seconds > 0, got -5"
      )
    }))

  it.effect("a bad flag of a nested supervisor", () =>
    Effect.gen(function*() {
      expect(yield* failure({ children: [{ id: "s", supervisor: { maxSeconds: 0, children: [] } }] })).toBe(
        "children[0].supervisor.maxSeconds: expected a number of seconds > 0, got 0"
      )
    }))

  it.effect("duplicate child ids", () =>
    Effect.gen(function*() {
      expect(
        yield* failure({
          children: [
            { id: "a", kind: "sleeper" },
            { id: "b", kind: "sleeper" },
            { id: "a", supervisor: { children: [] } }
          ]
        })
      ).toBe("children[2].id: duplicate child id \"a\": children[0] has the same id")
    }))

  it.effect("every issue with errors: \"all\"", () =>
    Effect.gen(function*() {
      expect(
        yield* failure({
          children: [
            { id: "a", kind: "nope" },
            { id: "b", kind: "sleeper" },
            { id: "c", kind: "echo", args: {} }
          ]
        }, { errors: "all" })
      ).toBe(
        [
          "children[0].kind: unknown child kind \"nope\", expected one of: \"echo\", \"pool\", \"sleeper\"",
          "children[2].args.text: is missing"
        ].join("\n")
      )
      expect(
        yield* failure({
          children: [{ id: "a", kind: "sleeper" }, { id: "a", kind: "sleeper" }, { id: "a", kind: "sleeper" }]
        }, {
          errors: "all"
        })
      ).toBe(
        [
          "children[1].id: duplicate child id \"a\": children[0] has the same id",
          "children[2].id: duplicate child id \"a\": children[0] has the same id"
        ].join("\n")
      )
    }))

  it.effect("only the first issue by default", () =>
    Effect.gen(function*() {
      expect(
        yield* failure({ children: [{ id: "a", kind: "nope" }, { id: "c", kind: "echo", args: {} }] })
      ).toBe("children[0].kind: unknown child kind \"nope\", expected one of: \"echo\", \"pool\", \"sleeper\"")
    }))
})

describe("ChildKind.treeConfig", () => {
  const provider = (value: string) => ConfigProvider.fromMap(new Map([["SUPERVISION", value]]))

  it.scoped("reads a tree from a JSON string in the configuration and starts it", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<ReadonlyArray<string>>([])
      const { echo, sleeper } = makeKinds(log)
      const options = yield* ChildKind.treeConfig([echo, sleeper], "SUPERVISION").pipe(
        Effect.withConfigProvider(provider(JSON.stringify({
          strategy: "one_for_all",
          children: [{ id: "e", kind: "echo", args: { text: "from config" } }, { id: "s", kind: "sleeper" }]
        })))
      )
      expect(options.strategy).toBe("one_for_all")
      const supervisor = yield* Supervisor.start(options)
      expect((yield* Supervisor.whichChildren(supervisor)).map(({ id, type }) => ({ id, type }))).toEqual([
        { id: "s", type: "worker" },
        { id: "e", type: "worker" }
      ])
      yield* Effect.yieldNow()
      expect(yield* Ref.get(log)).toEqual(["echo from config x1"])
    }))

  it.effect("reports a bad tree as InvalidData at the config key, listing every issue", () =>
    Effect.gen(function*() {
      const { echo, sleeper } = yield* kindsWithoutLog
      const error = yield* Effect.flip(
        ChildKind.treeConfig([echo, sleeper], "SUPERVISION").pipe(
          Effect.withConfigProvider(provider(JSON.stringify({
            children: [{ id: "a", kind: "nope" }, { id: "b", kind: "sleeper", shutdown: -1 }]
          })))
        )
      )
      expect(error).toEqual(
        ConfigError.InvalidData(
          ["SUPERVISION"],
          [
            "children[0].kind: unknown child kind \"nope\", expected one of: \"echo\", \"sleeper\"",
            "children[1].shutdown: a shutdown must not be negative, got -1"
          ].join("\n")
        )
      )
    }))

  it.effect("reports a value that is not JSON as InvalidData", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const error = yield* Effect.flip(
        ChildKind.treeConfig([sleeper], "SUPERVISION").pipe(Effect.withConfigProvider(provider("not json")))
      )
      expect(ConfigError.isInvalidData(error) && error.path).toEqual(["SUPERVISION"])
      expect(error).toEqual(ConfigError.InvalidData(["SUPERVISION"], `invalid JSON: ${jsonParseMessage("not json")}`))
    }))

  it.effect("reports a missing key as MissingData", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const error = yield* Effect.flip(
        ChildKind.treeConfig([sleeper], "SUPERVISION").pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
        )
      )
      expect(ConfigError.isMissingData(error) && error.path).toEqual(["SUPERVISION"])
    }))

  it.effect("nests under a config prefix", () =>
    Effect.gen(function*() {
      const { sleeper } = yield* kindsWithoutLog
      const config = Config.nested(ChildKind.treeConfig([sleeper], "TREE"), "APP")
      const error = yield* Effect.flip(
        config.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["APP.TREE", "{\"children\":3}"]]))))
      )
      expect(error).toEqual(ConfigError.InvalidData(["APP", "TREE"], "children: expected an array of children, got 3"))
      const options = yield* config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["APP.TREE", "{\"children\":[]}"]])))
      )
      expect(options.children).toEqual([])
      expect(Option.isSome(Option.fromNullable(options.restartPolicy))).toBe(true)
    }))
})
