import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Inspectable, Option, ParseResult, Schema } from "effect"
import { ChildSpec, Process, Supervisor, SupervisorError } from "../src/index.js"

const decodeData = Schema.decodeUnknownEither(ChildSpec.DataSchema)

/** The issues of a failed decoding as `{ path, message }` pairs. */
const issues = (
  input: unknown
): ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }> => {
  const result = decodeData(input)
  if (Either.isRight(result)) throw new Error(`expected ${JSON.stringify(input)} to be rejected`)
  return ParseResult.ArrayFormatter.formatErrorSync(result.left).map(({ message, path }) => ({ path, message }))
}

const decoded = (input: unknown): ChildSpec.Data => {
  const result = decodeData(input)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

describe("ChildSpec.make", () => {
  it("fills in OTP's defaults for a worker", () => {
    const spec = ChildSpec.make({ id: "worker", start: Effect.never })
    expect(spec.id).toBe("worker")
    expect(spec.restart).toBe("permanent")
    expect(spec.type).toBe("worker")
    expect(spec.significant).toBe(false)
    expect(Duration.isDuration(spec.shutdown) && Duration.toMillis(spec.shutdown)).toBe(5000)
    expect(Option.isNone(spec.backoff)).toBe(true)
    expect(Option.isNone(spec.resetBackoffAfter)).toBe(true)
    expect(Process.isSpawn(spec.start)).toBe(true)
    expect(ChildSpec.isChildSpec(spec)).toBe(true)
    expect(ChildSpec.validate(spec)).toEqual(Either.void)
  })

  it("gives a supervisor an infinite shutdown", () => {
    const spec = ChildSpec.make({ id: "sub", start: Effect.never, type: "supervisor" })
    expect(spec.type).toBe("supervisor")
    expect(spec.shutdown).toBe("infinity")
  })

  it("decodes the given shutdown", () => {
    const shutdownOf = (shutdown: Duration.DurationInput | "brutal_kill" | "infinity") =>
      ChildSpec.make({ id: "x", start: Effect.never, shutdown }).shutdown
    expect(shutdownOf(1500)).toEqual(Duration.millis(1500))
    expect(shutdownOf("2 seconds")).toEqual(Duration.seconds(2))
    expect(shutdownOf(Duration.minutes(1))).toEqual(Duration.minutes(1))
    expect(shutdownOf("brutal_kill")).toBe("brutal_kill")
    expect(shutdownOf("infinity")).toBe("infinity")
    expect(shutdownOf(0)).toEqual(Duration.zero)
  })

  it("keeps the given fields", () => {
    const spec = ChildSpec.make({
      id: "task",
      start: Effect.void,
      restart: "temporary",
      type: "supervisor",
      shutdown: "brutal_kill",
      significant: true,
      resetBackoffAfter: "1 minute"
    })
    expect(Inspectable.toJSON(spec)).toEqual({
      _id: "ChildSpec",
      id: "task",
      restart: "temporary",
      shutdown: "brutal_kill",
      type: "supervisor",
      significant: true
    })
    expect(spec.resetBackoffAfter).toEqual(Option.some(Duration.minutes(1)))
  })
})

describe("ChildSpec.DataSchema", () => {
  it("fills in the defaults of a worker", () => {
    expect(decoded({ id: "cache" })).toEqual({
      id: "cache",
      restart: "permanent",
      type: "worker",
      shutdown: Duration.seconds(5),
      significant: false
    })
  })

  it("fills in the defaults of a supervisor", () => {
    expect(decoded({ id: "sub", type: "supervisor" })).toEqual({
      id: "sub",
      restart: "permanent",
      type: "supervisor",
      shutdown: "infinity",
      significant: false
    })
  })

  it("decodes every field", () => {
    expect(decoded({ id: "a", restart: "transient", shutdown: 1000, type: "worker", significant: true })).toEqual({
      id: "a",
      restart: "transient",
      type: "worker",
      shutdown: Duration.millis(1000),
      significant: true
    })
    expect(decoded({ id: "a", shutdown: "3 seconds" }).shutdown).toEqual(Duration.seconds(3))
    expect(decoded({ id: "a", shutdown: "brutal_kill" }).shutdown).toBe("brutal_kill")
    expect(decoded({ id: "a", shutdown: "infinity", type: "worker" }).shutdown).toBe("infinity")
    expect(decoded({ id: "a", shutdown: 0 }).shutdown).toEqual(Duration.zero)
  })

  it("encodes back to data", () => {
    const encode = Schema.encodeSync(ChildSpec.DataSchema)
    expect(encode(decoded({ id: "a", shutdown: "2 seconds", restart: "temporary" }))).toEqual({
      id: "a",
      restart: "temporary",
      type: "worker",
      shutdown: 2000,
      significant: false
    })
    expect(encode(decoded({ id: "s", type: "supervisor" })).shutdown).toBe("infinity")
    expect(Schema.encodeSync(ChildSpec.ShutdownSchema)(Duration.infinity)).toBe("infinity")
  })

  it("rejects an unknown key, naming it", () => {
    expect(issues({ id: "a", silly_flag: true })).toEqual([{
      path: ["silly_flag"],
      message: "is unexpected, expected: \"id\" | \"restart\" | \"shutdown\" | \"type\" | \"significant\""
    }])
  })

  it("rejects a negative shutdown, as a number or as a duration", () => {
    expect(issues({ id: "a", shutdown: -10 })).toEqual([{
      path: ["shutdown"],
      message: "a shutdown must not be negative, got -10"
    }])
    expect(issues({ id: "a", shutdown: "-5 seconds" })).toEqual([{
      path: ["shutdown"],
      message: "a shutdown must not be negative, got \"-5 seconds\""
    }])
  })

  it("rejects a shutdown that is not one", () => {
    const expected = (shown: string) => [{
      path: ["shutdown"],
      message:
        `expected "brutal_kill", "infinity", a number of milliseconds >= 0 or a duration such as "5 seconds", got ${shown}`
    }]
    expect(issues({ id: "a", shutdown: "soon" })).toEqual(expected("\"soon\""))
    expect(issues({ id: "a", shutdown: Number.NaN })).toEqual(expected("NaN"))
    expect(issues({ id: "a", shutdown: true })).toEqual(expected("true"))
    expect(issues({ id: "a", shutdown: null })).toEqual(expected("null"))
  })

  it("rejects a bad restart type, child type or significant flag", () => {
    expect(issues({ id: "a", restart: "sometimes" })).toEqual([{
      path: ["restart"],
      message: "expected \"permanent\", \"transient\" or \"temporary\", got \"sometimes\""
    }])
    expect(issues({ id: "a", type: "boss" })).toEqual([{
      path: ["type"],
      message: "expected \"worker\" or \"supervisor\", got \"boss\""
    }])
    expect(issues({ id: "a", significant: "yes" })).toEqual([{
      path: ["significant"],
      message: "expected true or false, got \"yes\""
    }])
  })

  it("rejects a significant permanent child", () => {
    expect(issues({ id: "a", significant: true })).toEqual([{
      path: ["significant"],
      message: "a significant child must be transient or temporary, not permanent"
    }])
    expect(issues({ id: "a", significant: true, restart: "permanent" })).toEqual([{
      path: ["significant"],
      message: "a significant child must be transient or temporary, not permanent"
    }])
    expect(decoded({ id: "a", significant: true, restart: "temporary" }).significant).toBe(true)
  })

  it("rejects a missing, empty or non-string id", () => {
    expect(issues({})).toEqual([{ path: ["id"], message: "is missing" }])
    expect(issues({ id: "" })).toEqual([{ path: ["id"], message: "a child id must be a non-empty string, got \"\"" }])
    expect(issues({ id: 7 })).toEqual([{ path: ["id"], message: "a child id must be a non-empty string, got 7" }])
  })

  it("rejects what is not an object", () => {
    expect(issues("cache")).toEqual([{ path: [], message: "Expected ChildSpecDataInput, actual \"cache\"" }])
  })

  it("reports every issue when asked to", () => {
    const result = Schema.decodeUnknownEither(ChildSpec.DataSchema)({ id: "", restart: "x", shutdown: -1 }, {
      errors: "all"
    })
    expect(Either.isLeft(result) && ParseResult.ArrayFormatter.formatErrorSync(result.left)).toEqual([
      { _tag: "Refinement", path: ["id"], message: "a child id must be a non-empty string, got \"\"" },
      {
        _tag: "Composite",
        path: ["restart"],
        message: "expected \"permanent\", \"transient\" or \"temporary\", got \"x\""
      },
      { _tag: "Transformation", path: ["shutdown"], message: "a shutdown must not be negative, got -1" }
    ])
  })

  it("builds a spec with fromData", () => {
    const spec = ChildSpec.fromData(
      decoded({ id: "a", restart: "transient", shutdown: 250 }),
      Process.fromEffect(Effect.never)
    )
    expect(Inspectable.toJSON(spec)).toEqual({
      _id: "ChildSpec",
      id: "a",
      restart: "transient",
      shutdown: "250ms",
      type: "worker",
      significant: false
    })
    expect(Option.isNone(spec.backoff)).toBe(true)
    expect(ChildSpec.validate(spec)).toEqual(Either.void)
  })
})

describe("ChildSpec.validate", () => {
  const spec = (options: Omit<ChildSpec.Options, "id"> & { readonly id?: string }) =>
    ChildSpec.make({ id: "x", ...options, start: Effect.never })

  it("accepts a valid spec", () => {
    expect(ChildSpec.validate(spec({ restart: "transient", significant: true, shutdown: 10 }))).toEqual(Either.void)
    expect(ChildSpec.validate(spec({ shutdown: "brutal_kill" }))).toEqual(Either.void)
  })

  it("rejects a negative shutdown given to make", () => {
    const negative = spec({ shutdown: -10 })
    expect(ChildSpec.validate(negative)).toEqual(Either.left("shutdown: a shutdown must not be negative, got -10"))
    expect(ChildSpec.validate(spec({ shutdown: "-1 seconds" }))).toEqual(
      Either.left("shutdown: a shutdown must not be negative, got \"-1 seconds\"")
    )
  })

  it("rejects an unparseable shutdown given to make instead of throwing", () => {
    const bad = spec({ shutdown: "whenever" as Duration.DurationInput })
    expect(ChildSpec.validate(bad)).toEqual(Either.left(
      "shutdown: expected \"brutal_kill\", \"infinity\", a number of milliseconds >= 0 or a duration such as \"5 seconds\", got \"whenever\""
    ))
    expect(Inspectable.toJSON(bad)).toMatchObject({ shutdown: "whenever" })
  })

  it("rejects bad values, naming the field and the value", () => {
    expect(ChildSpec.validate(spec({ id: "" }))).toEqual(
      Either.left("id: a child id must be a non-empty string, got \"\"")
    )
    expect(ChildSpec.validate(spec({ restart: "sometimes" as ChildSpec.RestartType }))).toEqual(
      Either.left("restart: expected \"permanent\", \"transient\" or \"temporary\", got \"sometimes\"")
    )
    expect(ChildSpec.validate(spec({ type: "boss" as ChildSpec.ChildType }))).toEqual(
      Either.left("type: expected \"worker\" or \"supervisor\", got \"boss\"")
    )
    expect(ChildSpec.validate(spec({ significant: true }))).toEqual(
      Either.left("significant: a significant child must be transient or temporary, not permanent")
    )
  })

  it("rejects a start that is neither an effect nor a spawn", () => {
    const data = decoded({ id: "x" })
    const bad = ChildSpec.fromData(data, "not a start" as unknown as Process.Spawn<unknown>)
    expect(ChildSpec.validate(bad)).toEqual(
      Either.left("start: expected an Effect or a Process.Spawn, got \"not a start\"")
    )
  })

  it.scoped("makes Supervisor.start fail with InvalidChildSpec", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Supervisor.start({ children: [spec({ id: "bad", shutdown: -10 })] }))
      expect(error).toEqual(
        new SupervisorError.InvalidChildSpec({
          id: "bad",
          message: "shutdown: a shutdown must not be negative, got -10"
        })
      )
    }))
})

describe("ChildSpec.override", () => {
  const base = ChildSpec.make({ id: "base", start: Effect.never, restart: "transient", shutdown: 100 })

  it("replaces the given fields and keeps the others", () => {
    const copy = ChildSpec.override(base, { id: "copy", restart: "temporary", significant: true })
    expect(Inspectable.toJSON(copy)).toEqual({
      _id: "ChildSpec",
      id: "copy",
      restart: "temporary",
      shutdown: "100ms",
      type: "worker",
      significant: true
    })
    expect(copy.start).toBe(base.start)
    expect(ChildSpec.isChildSpec(copy)).toBe(true)
  })

  it("does not change the original", () => {
    ChildSpec.override(base, { id: "other", shutdown: "brutal_kill" })
    expect(base.id).toBe("base")
    expect(base.shutdown).toEqual(Duration.millis(100))
  })

  it("resets the shutdown to the new type's default when the type changes", () => {
    expect(ChildSpec.override(base, { type: "supervisor" }).shutdown).toBe("infinity")
    const supervisor = ChildSpec.make({ id: "s", start: Effect.never, type: "supervisor" })
    expect(ChildSpec.override(supervisor, { type: "worker" }).shutdown).toEqual(Duration.seconds(5))
  })

  it("keeps an explicit shutdown given with a new type", () => {
    expect(ChildSpec.override(base, { type: "supervisor", shutdown: "1 second" }).shutdown).toEqual(
      Duration.seconds(1)
    )
  })

  it("keeps the shutdown when the type is unchanged", () => {
    expect(ChildSpec.override(base, { type: "worker" }).shutdown).toEqual(Duration.millis(100))
  })

  it("leaves an invalid override for validate to reject", () => {
    expect(ChildSpec.validate(ChildSpec.override(base, { shutdown: -1 }))).toEqual(
      Either.left("shutdown: a shutdown must not be negative, got -1")
    )
  })
})
