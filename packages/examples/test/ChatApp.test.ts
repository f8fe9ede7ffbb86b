import { Process, Registry } from "@effect-otp/supervisor"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { execFileSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as ChatApp from "../src/chat/ChatApp.js"
import * as Logger from "../src/chat/Logger.js"
import * as Room from "../src/chat/Room.js"
import * as RoomSupervisor from "../src/chat/RoomSupervisor.js"

const processOf = (name: Registry.Key) => Effect.map(Registry.whereis(name), Option.getOrThrow)

const withRooms = Effect.gen(function*() {
  const app = yield* ChatApp.start
  yield* RoomSupervisor.openRoom("elixir")
  yield* RoomSupervisor.openRoom("effect")
  yield* Room.join("elixir", "alice")
  yield* Room.sendMessage("elixir", "alice", "hello")
  yield* Room.join("effect", "carol")
  yield* Room.sendMessage("effect", "carol", "hi")
  return app
})

describe("ChatApp", () => {
  it.scoped("a room crash leaves the other rooms' state intact; the crashed room restarts fresh", () =>
    Effect.gen(function*() {
      yield* withRooms
      const elixir = yield* processOf(Room.roomName("elixir"))
      const effect = yield* processOf(Room.roomName("effect"))
      yield* Process.kill(effect)
      const fresh = yield* Room.state("effect") // waits for the new incarnation
      assert.deepStrictEqual(fresh, { name: "effect", users: [], messages: [] })
      assert.notStrictEqual((yield* processOf(Room.roomName("effect"))).pid, effect.pid)
      assert.strictEqual((yield* processOf(Room.roomName("elixir"))).pid, elixir.pid)
      assert.deepStrictEqual(yield* Room.state("elixir"), {
        name: "elixir",
        users: ["alice"],
        messages: [{ user: "alice", text: "hello" }]
      })
      const events = yield* Logger.events
      assert.deepStrictEqual(events.slice(-2), ["#effect stopped (killed)", "#effect opened"])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("a logger crash restarts only the logger", () =>
    Effect.gen(function*() {
      yield* withRooms
      const rooms = yield* processOf(RoomSupervisor.RoomSupervisor)
      const logger = yield* processOf(Logger.LoggerName)
      const elixir = yield* processOf(Room.roomName("elixir"))
      assert.isAbove((yield* Logger.events).length, 0)
      yield* Process.kill(logger)
      assert.deepStrictEqual(yield* Logger.events, [])
      assert.notStrictEqual((yield* processOf(Logger.LoggerName)).pid, logger.pid)
      assert.strictEqual((yield* processOf(Room.roomName("elixir"))).pid, elixir.pid)
      assert.strictEqual((yield* processOf(RoomSupervisor.RoomSupervisor)).pid, rooms.pid)
      assert.deepStrictEqual((yield* Room.state("elixir")).users, ["alice"])
    }).pipe(Effect.provide(Registry.layer)))

  it.scoped("invalid input is a typed error to the caller, and the room keeps running", () =>
    Effect.gen(function*() {
      yield* withRooms
      const elixir = yield* processOf(Room.roomName("elixir"))
      assert.deepStrictEqual(
        yield* Effect.flip(Room.join("elixir", "  ")),
        new Room.InvalidUserName({ user: "  " })
      )
      assert.deepStrictEqual(
        yield* Effect.flip(Room.sendMessage("elixir", "carol", "sneaky")),
        new Room.NotAMember({ room: "elixir", user: "carol" })
      )
      assert.deepStrictEqual(
        yield* Effect.flip(Room.leave("elixir", "bob")),
        new Room.NotAMember({ room: "elixir", user: "bob" })
      )
      assert.deepStrictEqual(
        yield* Effect.flip(Room.join("haskell", "alice")),
        new Room.UnknownRoom({ room: "haskell" })
      )
      assert.strictEqual((yield* processOf(Room.roomName("elixir"))).pid, elixir.pid)
      assert.deepStrictEqual((yield* Room.state("elixir")).messages, [{ user: "alice", text: "hello" }])
    }).pipe(Effect.provide(Registry.layer)))

  it("the demo exits 0 and shows each step", () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
    const output = execFileSync(process.execPath, ["--import", "tsx", "packages/examples/src/demo.ts"], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000
    })
    for (
      const line of [
        "== 1. Start ChatApp.Supervisor",
        "├─ ChatApp.Logger <2> worker running, restarts 0",
        "opened #otp",
        "#elixir: users [alice, bob], 2 message(s)",
        "-> InvalidUserName: a user name must not be empty",
        "-> NotAMember: alice has not joined #otp",
        "-> UnknownRoom: there is no room #haskell",
        "killed #effect <5>: Killed",
        "#effect: users [], 0 message(s)",
        "the logger recorded: \"#effect stopped (killed)\", \"#effect opened\"",
        "and holds 0 events",
        "[error] ChatApp.Supervisor/ChatApp.RoomSupervisor: room:effect GenServer<5> exited: killed",
        "[info] ChatApp.Supervisor/ChatApp.RoomSupervisor: restarted room:effect as GenServer<7> (restart 1)",
        "├─ ChatApp.Logger <8> worker running, restarts 1",
        "├─ room:effect <7> worker running, restarts 1",
        "stopped: #elixir (Shutdown) -> #effect (Shutdown) -> #otp (Shutdown) -> ChatApp.RoomSupervisor (Shutdown) -> ChatApp.Logger (Shutdown) -> ChatApp.Supervisor (Shutdown)"
      ]
    ) expect(output).toContain(line)
  }, 60_000)
})
