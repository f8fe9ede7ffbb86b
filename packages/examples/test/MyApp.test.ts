import { ExitReason, Process, Registry } from "@effect-otp/supervisor"
import { assert, describe, it } from "@effect/vitest"
// Effect data (Option, Exit, ExitReason) is compared with node:assert's deepStrictEqual: chai's
// assert.deepStrictEqual treats Option.none() and Option.some(x) as equal.
import { deepStrictEqual } from "@effect/vitest/utils"
import { Effect, Option } from "effect"
import * as Counter from "../src/Counter.js"
import * as KVStore from "../src/KVStore.js"
import * as MyApp from "../src/MyApp.js"
import * as WebStack from "../src/WebStack.js"

const pidOf = (name: Registry.Key) => Effect.map(Registry.whereis(name), (process) => Option.getOrThrow(process).pid)

describe("MyApp.Supervisor (one_for_one)", () => {
  it.scoped("the lesson's transcript: a killed Counter comes back at 0; KVStore is untouched", () =>
    Effect.gen(function*() {
      yield* MyApp.start
      assert.strictEqual(yield* Counter.getCount, 0)
      yield* Counter.increment(10)
      assert.strictEqual(yield* Counter.getCount, 10)
      yield* KVStore.put("lesson", "supervisors")
      const kvPid = yield* pidOf(KVStore.KVStoreName)

      const counter = Option.getOrThrow(yield* Registry.whereis(Counter.CounterName))
      deepStrictEqual(yield* Process.kill(counter), ExitReason.killed)
      assert.strictEqual(yield* Counter.getCount, 0)

      assert.notStrictEqual(yield* pidOf(Counter.CounterName), counter.pid)
      assert.strictEqual(yield* pidOf(KVStore.KVStoreName), kvPid)
      deepStrictEqual(yield* KVStore.get("lesson"), Option.some("supervisors"))
    }).pipe(Effect.provide(Registry.layer)))
})

describe("Database, Cache, WebServer (rest_for_one)", () => {
  const names = [WebStack.Database, WebStack.Cache, WebStack.WebServer]
  const pids = Effect.forEach(names, pidOf)
  const describeAll = Effect.forEach(names, WebStack.describe)

  it.scoped("a Database crash restarts all three in order; a Cache crash only Cache and WebServer", () =>
    Effect.gen(function*() {
      yield* WebStack.start
      const [db0, cache0, web0] = yield* pids
      yield* Process.kill(Option.getOrThrow(yield* Registry.whereis(WebStack.Database)))
      assert.deepStrictEqual(yield* describeAll, ["Database", "Cache", "WebServer"])
      const [db1, cache1, web1] = yield* pids
      assert.isTrue(db1 !== db0 && cache1 !== cache0 && web1 !== web0)
      assert.isTrue(db1 < cache1 && cache1 < web1, "restarted in start order")

      yield* Process.kill(Option.getOrThrow(yield* Registry.whereis(WebStack.Cache)))
      assert.deepStrictEqual(yield* describeAll, ["Database", "Cache", "WebServer"])
      const [db2, cache2, web2] = yield* pids
      assert.strictEqual(db2, db1)
      assert.isTrue(cache2 !== cache1 && web2 !== web1)
    }).pipe(Effect.provide(Registry.layer)))
})
