/**
 * The embedded default: one runner (`SingleRunner`) whose messages, shard locks and child
 * specs are kept in a SQLite file. Two runners in sequence on one file: the second brings
 * back the first one's permanent children from their stored specs.
 */
import { SingleRunner } from "@effect/cluster"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Logger, LogLevel, Schedule } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ChildStore, ClusterSupervisor } from "../src/index.js"
import { counter, starts } from "./kinds.js"

const runner = (filename: string) =>
  ClusterSupervisor.layer([counter]).pipe(
    Layer.provideMerge(ChildStore.layerSql),
    Layer.provideMerge(SingleRunner.layer({
      runnerStorage: "sql",
      shardingConfig: { entityMessagePollInterval: "100 millis", entityTerminationTimeout: "1 second" }
    })),
    Layer.provideMerge(SqliteClient.layer({ filename }))
  )

describe("SQLite storage", () => {
  it.scopedLive(
    "a runner started on the file of a stopped one brings back its permanent children, not its temporary ones",
    () =>
      Effect.gen(function*() {
        starts.clear()
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "effect-otp-sqlite-"))),
          (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
        )
        const filename = path.join(dir, "cluster.db")

        yield* Effect.gen(function*() {
          yield* ClusterSupervisor.startChild(counter, { id: "p", args: { id: "p", start: 10 } })
          yield* ClusterSupervisor.startChild(counter, { id: "t", args: { id: "t", start: 20 }, restart: "temporary" })
          assert.strictEqual(yield* ClusterSupervisor.call(counter, "p", { _tag: "Add", by: 1 }), 11)
          assert.deepStrictEqual((yield* ClusterSupervisor.whichChildren).map((child) => child.id), ["p", "t"])
        }).pipe(Effect.provide(runner(filename)), Effect.scoped)

        yield* Effect.gen(function*() {
          // the child comes back from its stored spec (its in-memory state does not)
          const value = yield* ClusterSupervisor.call(counter, "p", { _tag: "Get" }).pipe(
            Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 50 })
          )
          assert.strictEqual(value, 10)
          const temporary = yield* Effect.either(ClusterSupervisor.call(counter, "t", { _tag: "Get" }))
          assert.isTrue(Either.isLeft(temporary) && temporary.left._tag === "ChildNotFound")
          assert.deepStrictEqual((yield* ClusterSupervisor.whichChildren).map((child) => child.id), ["p"])
          assert.strictEqual(starts.get("p"), 2)
          assert.strictEqual(starts.get("t"), 1)
        }).pipe(Effect.provide(runner(filename)), Effect.scoped)
      }).pipe(Logger.withMinimumLogLevel(LogLevel.Warning)),
    60_000
  )
})
