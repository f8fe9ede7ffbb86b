/**
 * Trees as data, issue 15 §5: read from a structured ConfigProvider, the timing fields and
 * the supervisor's name in the data, every issue in one pass with errors: "all".
 */
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigError, ConfigProvider, Duration, Effect, Option, Schema, TestClock } from "effect"
import { ChildKind, ChildSpec, Supervisor } from "../src/index.js"

const cache = ChildKind.make(
  "cache",
  Schema.Struct({
    size: Schema.Number,
    eager: Schema.optionalWith(Schema.Boolean, { exact: true }),
    tags: Schema.optionalWith(Schema.Array(Schema.String), { exact: true }),
    mode: Schema.optionalWith(Schema.Literal("lru", "lfu"), { exact: true }),
    ttl: Schema.optionalWith(Schema.Union(Schema.Literal(0), Schema.String), { exact: true })
  }),
  () => Effect.never
)
const sleeper = ChildKind.make("sleeper", Schema.Void, () => Effect.never)
const kinds = [cache, sleeper] as const

const tree = {
  name: "app",
  strategy: "one_for_all",
  maxRestarts: 5,
  maxSeconds: 10,
  backoff: { base: "100 millis", max: "10 seconds" },
  resetBackoffAfter: "1 minute",
  children: [
    {
      id: "cache",
      kind: "cache",
      args: { size: 100, eager: true, tags: ["a", "b"], mode: "lfu", ttl: 0 },
      restart: "transient",
      shutdown: 1000,
      startTimeout: "2 seconds",
      backoff: { base: 50, factor: 3, jitter: false },
      resetBackoffAfter: 30000
    },
    { id: "jobs", supervisor: { name: "jobs", children: [{ id: "idle", kind: "sleeper" }] }, startTimeout: 500 }
  ]
}

/** What a decoded tree says, in plain values. */
const describeOptions = (options: Supervisor.Options<unknown>) => {
  const [first, second] = options.children ?? []
  const nested = second.start
  return {
    name: options.name,
    strategy: options.strategy,
    backoff: options.backoff !== undefined,
    resetBackoffAfter: Option.map(Option.fromNullable(options.resetBackoffAfter), Duration.toMillis),
    cache: {
      id: first.id,
      restart: first.restart,
      shutdown: first.shutdown,
      startTimeout: Option.map(first.startTimeout, Duration.toMillis),
      backoff: Option.isSome(first.backoff),
      resetBackoffAfter: Option.map(first.resetBackoffAfter, Duration.toMillis)
    },
    jobs: { id: second.id, type: second.type, startTimeout: Option.map(second.startTimeout, Duration.toMillis) },
    nestedIsSpawn: nested !== undefined
  }
}

const expected = {
  name: "app",
  strategy: "one_for_all",
  backoff: true,
  resetBackoffAfter: Option.some(60_000),
  cache: {
    id: "cache",
    restart: "transient",
    shutdown: Duration.millis(1000),
    startTimeout: Option.some(2000),
    backoff: true,
    resetBackoffAfter: Option.some(30_000)
  },
  jobs: { id: "jobs", type: "supervisor", startTimeout: Option.some(500) },
  nestedIsSpawn: true
}

describe("tree data says everything a spec can", () => {
  it.scoped("name, backoff, resetBackoffAfter, startTimeout, of the supervisor and of its children", () =>
    Effect.gen(function*() {
      const options = yield* ChildKind.decodeTree(kinds)(tree)
      expect(describeOptions(options)).toEqual(expected)
      const supervisor = yield* Supervisor.start(options)
      expect((yield* Supervisor.whichChildren(supervisor)).map((child) => child.id)).toEqual(["jobs", "cache"])
    }))

  it.scoped("the backoff from the data delays a restart", () =>
    Effect.gen(function*() {
      let starts = 0
      const flaky = ChildKind.make("flaky", Schema.Void, () =>
        Effect.suspend(() => {
          starts++
          return starts === 1 ? Effect.die("first start crashes") : Effect.never
        }))
      const options = yield* ChildKind.decodeTree([flaky])({
        backoff: { base: "1 second" },
        children: [{ id: "f", kind: "flaky" }]
      })
      const supervisor = yield* Supervisor.start(options)
      const status = Effect.map(Supervisor.whichChildren(supervisor), ([child]) => child.status)
      expect(yield* status).toBe("restarting")
      yield* TestClock.adjust("999 millis")
      expect(yield* status).toBe("restarting")
      yield* TestClock.adjust("1 millis")
      expect(yield* status).toBe("running")
      expect(starts).toBe(2)
    }))

  it.effect("bad timing fields, with their paths", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        ChildKind.decodeTree(kinds)({
          name: "",
          backoff: { base: -1, factor: 0.5, jitter: "yes", cap: 1 },
          resetBackoffAfter: "soon",
          children: [{ id: "c", kind: "sleeper", startTimeout: "later" }]
        }, { errors: "all" })
      )
      expect(ChildKind.formatError(error).split("\n")).toEqual([
        "name: expected a non-empty string, got \"\"",
        "backoff.cap: is unexpected, expected: \"base\" | \"factor\" | \"max\" | \"jitter\"",
        "backoff.base: expected a duration: a number of milliseconds >= 0 or a string such as \"5 seconds\", got -1",
        "backoff.factor: expected a number >= 1, got 0.5",
        "backoff.jitter: expected true or false, got \"yes\"",
        "resetBackoffAfter: expected a duration: a number of milliseconds >= 0 or a string such as \"5 seconds\", got \"soon\"",
        "children[0].startTimeout: expected a duration: a number of milliseconds >= 0 or a string such as \"5 seconds\", got \"later\""
      ])
    }))
})

describe("errors: \"all\" reports every issue in one pass", () => {
  const all = (input: unknown) =>
    Effect.map(
      Effect.flip(ChildKind.decodeTree(kinds)(input, { errors: "all" })),
      (error) => ChildKind.formatError(error).split("\n")
    )

  it.effect("a child's bad args together with its other bad fields", () =>
    Effect.gen(function*() {
      expect(
        yield* all({
          children: [{ id: "c", kind: "cache", args: { size: "big" }, restart: "sometimes", shutdown: -1, extra: 1 }]
        })
      ).toEqual([
        "children[0].extra: is unexpected, expected: \"id\" | \"kind\" | \"args\" | \"restart\" | \"shutdown\" | \"type\" | \"significant\" | \"startTimeout\" | \"backoff\" | \"resetBackoffAfter\"",
        "children[0].restart: expected \"permanent\", \"transient\" or \"temporary\", got \"sometimes\"",
        "children[0].shutdown: a shutdown must not be negative, got -1",
        "children[0].args.size: Expected number, actual \"big\""
      ])
      // by default, the first only
      const first = yield* Effect.flip(
        ChildKind.decodeTree(kinds)({
          children: [{ id: "c", kind: "cache", args: { size: "big" }, restart: "sometimes" }]
        })
      )
      expect(ChildKind.formatError(first)).toBe(
        "children[0].restart: expected \"permanent\", \"transient\" or \"temporary\", got \"sometimes\""
      )
    }))

  it.effect("children under a bad top-level field", () =>
    Effect.gen(function*() {
      expect(
        yield* all({
          strategy: "simple_one_for_one",
          maxRestarts: -1,
          children: [{ id: "a", kind: "nope" }, { id: "b", kind: "cache", args: {} }]
        })
      ).toEqual([
        "strategy: expected \"one_for_one\", \"one_for_all\" or \"rest_for_one\", got \"simple_one_for_one\"",
        "maxRestarts: expected an integer >= 0, got -1",
        "children[0].kind: unknown child kind \"nope\", expected one of: \"cache\", \"sleeper\"",
        "children[1].args.size: is missing"
      ])
    }))

  it.effect("duplicate ids together with other errors", () =>
    Effect.gen(function*() {
      expect(
        yield* all({
          autoShutdown: "sometimes",
          children: [
            { id: "a", kind: "sleeper" },
            { id: "a", kind: "sleeper", restart: "never" },
            { id: "a", supervisor: { children: [{ id: "x", kind: "cache", args: { size: -1, mode: "fifo" } }] } }
          ]
        })
      ).toEqual([
        "autoShutdown: expected \"never\", \"any_significant\" or \"all_significant\", got \"sometimes\"",
        "children[1].restart: expected \"permanent\", \"transient\" or \"temporary\", got \"never\"",
        "children[2].supervisor.children[0].args.mode: Expected \"lru\", actual \"fifo\"",
        "children[2].supervisor.children[0].args.mode: Expected \"lfu\", actual \"fifo\"",
        "children[1].id: duplicate child id \"a\": children[0] has the same id",
        "children[2].id: duplicate child id \"a\": children[0] has the same id"
      ])
    }))
})

describe("ChildKind.treeConfig reads a structured ConfigProvider", () => {
  it.effect("ConfigProvider.fromJson: the tree as nested keys", () =>
    Effect.gen(function*() {
      const options = yield* ChildKind.treeConfig(kinds, "supervision").pipe(
        Effect.withConfigProvider(ConfigProvider.fromJson({ supervision: tree }))
      )
      expect(describeOptions(options)).toEqual(expected)
    }))

  it.effect("nested environment variables, upper case, numbers and booleans from strings", () =>
    Effect.gen(function*() {
      const env: Record<string, string> = {
        OTP_TEST__SUPERVISION__NAME: "app",
        OTP_TEST__SUPERVISION__STRATEGY: "one_for_all",
        OTP_TEST__SUPERVISION__MAX_RESTARTS: "5",
        OTP_TEST__SUPERVISION__MAX_SECONDS: "10",
        OTP_TEST__SUPERVISION__BACKOFF__BASE: "100 millis",
        OTP_TEST__SUPERVISION__BACKOFF__MAX: "10 seconds",
        OTP_TEST__SUPERVISION__RESET_BACKOFF_AFTER: "1 minute",
        OTP_TEST__SUPERVISION__CHILDREN__0__ID: "cache",
        OTP_TEST__SUPERVISION__CHILDREN__0__KIND: "cache",
        OTP_TEST__SUPERVISION__CHILDREN__0__ARGS__SIZE: "100",
        OTP_TEST__SUPERVISION__CHILDREN__0__ARGS__EAGER: "true",
        OTP_TEST__SUPERVISION__CHILDREN__0__ARGS__TAGS: "[\"a\",\"b\"]",
        OTP_TEST__SUPERVISION__CHILDREN__0__ARGS__MODE: "lfu",
        OTP_TEST__SUPERVISION__CHILDREN__0__ARGS__TTL: "0",
        OTP_TEST__SUPERVISION__CHILDREN__0__RESTART: "transient",
        OTP_TEST__SUPERVISION__CHILDREN__0__SHUTDOWN: "1000",
        OTP_TEST__SUPERVISION__CHILDREN__0__START_TIMEOUT: "2 seconds",
        OTP_TEST__SUPERVISION__CHILDREN__0__BACKOFF: "{\"base\":50,\"factor\":3,\"jitter\":false}",
        OTP_TEST__SUPERVISION__CHILDREN__0__RESET_BACKOFF_AFTER: "30000",
        OTP_TEST__SUPERVISION__CHILDREN__1__ID: "jobs",
        OTP_TEST__SUPERVISION__CHILDREN__1__START_TIMEOUT: "500",
        OTP_TEST__SUPERVISION__CHILDREN__1__SUPERVISOR__NAME: "jobs",
        OTP_TEST__SUPERVISION__CHILDREN__1__SUPERVISOR__CHILDREN__0__ID: "idle",
        OTP_TEST__SUPERVISION__CHILDREN__1__SUPERVISOR__CHILDREN__0__KIND: "sleeper"
      }
      const options = yield* Effect.acquireUseRelease(
        Effect.sync(() => Object.assign(process.env, env)),
        () =>
          Config.nested(ChildKind.treeConfig(kinds, "SUPERVISION"), "OTP_TEST").pipe(
            Effect.withConfigProvider(ConfigProvider.fromEnv({ pathDelim: "__" }))
          ),
        () =>
          Effect.sync(() => {
            for (const key of Object.keys(env)) delete process.env[key]
          })
      )
      expect(describeOptions(options)).toEqual(expected)
      const cacheSpec = options.children![0]
      expect(ChildSpec.validate(cacheSpec)._tag).toBe("Right")
    }))

  it.effect("a string where the args are expected is a string, not coerced, when the Schema wants a string", () =>
    Effect.gen(function*() {
      const options = yield* ChildKind.treeConfig(kinds, "t").pipe(
        Effect.withConfigProvider(ConfigProvider.fromJson({
          t: { children: [{ id: "c", kind: "cache", args: { size: 1, ttl: "0 s" } }] }
        }))
      )
      expect(options.children?.map((child) => child.id)).toEqual(["c"])
    }))

  it.effect("a bad tree from a structured provider: InvalidData at the key, every issue", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        ChildKind.treeConfig(kinds, "t").pipe(
          Effect.withConfigProvider(ConfigProvider.fromJson({
            t: { maxRestarts: "many", children: [{ id: "c", kind: "cache", args: { size: "big" } }] }
          }))
        )
      )
      expect(error).toEqual(
        ConfigError.InvalidData(
          ["t"],
          [
            "maxRestarts: expected an integer >= 0, got \"many\"",
            "children[0].args.size: Expected number, actual \"big\""
          ].join("\n")
        )
      )
    }))

  it.effect("the JSON string at one key still works, and a missing key is missing data", () =>
    Effect.gen(function*() {
      const options = yield* ChildKind.treeConfig(kinds, "T").pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["T", JSON.stringify(tree)]])))
      )
      expect(describeOptions(options)).toEqual(expected)
      const fallback = yield* ChildKind.treeConfig(kinds, "T").pipe(
        Config.withDefault(undefined),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      expect(fallback).toBeUndefined()
    }))
})
