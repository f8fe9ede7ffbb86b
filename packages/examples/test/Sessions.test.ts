import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { GenServer } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Sessions from "../src/Sessions.js"

describe("MyApp.SessionSupervisor", () => {
  it.scoped("the lesson's transcript: two sessions, count_children, stop_session", () =>
    Effect.gen(function*() {
      const sessions = yield* Sessions.start
      const session1 = yield* Sessions.startSession(sessions, "user_1")
      const session2 = yield* Sessions.startSession(sessions, "user_2")
      assert.notStrictEqual(session1.initial.pid, session2.initial.pid)
      assert.strictEqual(yield* GenServer.call(session2.value, new Sessions.WhoAmI()), "user_2")
      assert.deepStrictEqual(yield* DynamicSupervisor.countChildren(sessions), {
        active: 2,
        specs: 2,
        supervisors: 0,
        workers: 2
      })
      yield* Sessions.stopSession(sessions, session1)
      assert.deepStrictEqual(yield* DynamicSupervisor.countChildren(sessions), {
        active: 1,
        specs: 1,
        supervisors: 0,
        workers: 1
      })
    }))
})
