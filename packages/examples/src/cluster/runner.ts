/**
 * One runner of the chat cluster (`npm run demo:cluster` starts three): rooms are cluster
 * children kept in a SQLite file shared by the runners, which talk over loopback.
 *
 *   tsx runner.ts <sqlite file> <port>
 *
 * Takes one JSON command per line on stdin and answers with one JSON line on stdout;
 * its own events (rooms started here, rooms come back here) are JSON lines too.
 */
import { ChildStore, ClusterSupervisor } from "@effect-otp/cluster"
import { RunnerAddress } from "@effect/cluster"
import type * as Sharding from "@effect/cluster/Sharding"
import { NodeClusterSocket, NodeRuntime } from "@effect/platform-node"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Duration, Effect, Either, Layer, Logger, LogLevel, Option, Schema, Stream } from "effect"
import * as readline from "node:readline"
import { Message, room } from "./ChatRoom.js"

const [file, portText] = process.argv.slice(2)
const port = Number(portText)

const Command = Schema.parseJson(Schema.Union(
  Schema.Struct({ seq: Schema.Number, op: Schema.Literal("open"), room: Schema.String }),
  Schema.Struct({ seq: Schema.Number, op: Schema.Literal("call"), room: Schema.String, message: Message }),
  Schema.Struct({ seq: Schema.Number, op: Schema.Literal("tree") })
))

const write = (value: unknown) => Effect.sync(() => process.stdout.write(JSON.stringify(value) + "\n"))

const lines = Stream.async<string>((emit) => {
  const reader = readline.createInterface({ input: process.stdin })
  reader.on("line", (line) => emit.single(line))
  reader.on("close", () => emit.end())
})

const Cluster = ClusterSupervisor.layer([room]).pipe(
  Layer.provideMerge(ChildStore.layerSql),
  Layer.provideMerge(NodeClusterSocket.layer({
    storage: "sql",
    shardingConfig: {
      runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", port)),
      shardsPerGroup: 30,
      // short locks for a demo: a dead runner's shards are free after 4 s (35 s by default)
      shardLockRefreshInterval: Duration.seconds(1),
      shardLockExpiration: Duration.seconds(4),
      entityMessagePollInterval: Duration.millis(500),
      refreshAssignmentsInterval: Duration.millis(500)
    }
  })),
  Layer.provideMerge(SqliteClient.layer({ filename: file }))
)

const main = Effect.gen(function*() {
  const events = yield* ClusterSupervisor.events
  yield* events.pipe(Stream.runForEach((event) => write({ event })), Effect.forkScoped)
  yield* write({ ready: `127.0.0.1:${port}` })
  yield* lines.pipe(
    Stream.mapEffect((line) =>
      Effect.gen(function*() {
        const command = yield* Schema.decodeUnknown(Command)(line)
        const result = yield* Effect.either<
          unknown,
          { readonly message: string },
          Sharding.Sharding | ChildStore.ChildStore
        >(
          command.op === "open"
            ? ClusterSupervisor.startChild(room, { id: command.room, args: { name: command.room } })
            : command.op === "call"
            ? ClusterSupervisor.call(room, command.room, command.message, { timeout: "2 seconds" })
            : Effect.map(ClusterSupervisor.whichChildren, ClusterSupervisor.render)
        )
        yield* write(
          Either.match(result, {
            onLeft: (error) => ({ seq: command.seq, ok: false, error: error.message }),
            onRight: (value) => ({ seq: command.seq, ok: true, value })
          })
        )
      }).pipe(Effect.catchAll((error) => write({ ok: false, error: String(error) })), Effect.forkScoped)
    ),
    Stream.runDrain
  )
})

NodeRuntime.runMain(
  main.pipe(Effect.scoped, Effect.provide(Cluster), Logger.withMinimumLogLevel(LogLevel.Warning)),
  { disableErrorReporting: true }
)
