/**
 * Memory that does not grow (issue 14 §3): a static supervisor lets a temporary child's
 * start go once the child runs (OTP keeps no start arguments for temporary children).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { reaches } from "../../test-utils/src/Retention.js"
import { ChildSpec, Process, Supervisor } from "../src/index.js"
import type { SupervisorImpl } from "../src/internal/supervisor/supervisorImpl.js"
import { startInScope } from "./utils/harness.js"

/** The running child's own process holds what it runs; the record's other fields must not. */
const skip = new Set<PropertyKey>(["process", "previous", "origin"])

const recordOf = (supervisor: Supervisor.Supervisor, id: string) => {
  const record = (supervisor as unknown as SupervisorImpl).byId.get(id)
  if (record === undefined) throw new Error(`no record ${id}`)
  return record
}

/** A start with what it captures (a large configuration), to be let go with it. */
const startCapturing = () => {
  const payload = { rows: new Array(1000).fill("row") }
  const start = Process.withInit(Effect.sync(() => payload.rows.length), () => Effect.never)
  return { start }
}

describe("a temporary child's start", () => {
  it.effect("is let go once the child runs (started at boot); a permanent child's is kept", () =>
    Effect.gen(function*() {
      const temporary = startCapturing()
      const permanent = startCapturing()
      const t = ChildSpec.make({ id: "t", start: temporary.start, restart: "temporary" })
      const p = ChildSpec.make({ id: "p", start: permanent.start })
      const { close, supervisor } = yield* startInScope({ children: [p, t] })
      // the check finds a start that is kept
      assert.isTrue(reaches(recordOf(supervisor, "p"), permanent.start, skip))
      assert.isFalse(reaches(recordOf(supervisor, "t"), temporary.start, skip))
      // the supervisor as a whole keeps it nowhere either
      assert.isFalse(reaches(supervisor, temporary.start, new Set([...skip, "self"])))
      // what the API shows: a spec without its start; the child is still found by its spec
      const spec = yield* Supervisor.getChildSpec(supervisor, "t")
      assert.notStrictEqual(spec.start, temporary.start)
      assert.deepStrictEqual([spec.id, spec.restart], ["t", "temporary"])
      assert.strictEqual((yield* Supervisor.whichChild(supervisor, t)).status, "running")
      yield* close
    }))

  it.effect("is let go once the child runs (started by startChild)", () =>
    Effect.gen(function*() {
      const temporary = startCapturing()
      const t = ChildSpec.make({ id: "t", start: temporary.start, restart: "temporary" })
      const { close, supervisor } = yield* startInScope<never>({})
      const value = yield* Supervisor.startChild(supervisor, t)
      assert.strictEqual(Option.getOrThrow((yield* Supervisor.whichChild(supervisor, t)).value), value)
      assert.isFalse(reaches(recordOf(supervisor, "t"), temporary.start, skip))
      assert.isFalse(reaches(supervisor, temporary.start, new Set([...skip, "self"])))
      yield* close
    }))
})
