/**
 * `npm run observe`: the chat application, live in a browser. Starts the ChatApp tree,
 * opens a few rooms with users, serves the observer and prints its address (with the
 * token of its actions), then keeps the rooms busy and crashes one now and then, so that
 * the page has something to show. Ctrl-C stops the tree in reverse order.
 *
 * `OBSERVER_PORT` (default 9700) and `OBSERVER_HOST` (default 127.0.0.1) choose the address;
 * `OBSERVER_TOKEN` the token (default: a random one); `--quiet` leaves the rooms alone.
 */
import { Observer } from "@effect-otp/observer"
import { Process, Registry } from "@effect-otp/supervisor"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option, Random, Redacted, Schedule } from "effect"
import { randomBytes } from "node:crypto"
import * as ChatApp from "./chat/ChatApp.js"
import * as Room from "./chat/Room.js"
import * as RoomSupervisor from "./chat/RoomSupervisor.js"

const roomNames = ["elixir", "effect", "otp", "beam", "fibers", "schedules"]
const users = ["alice", "bob", "carol", "dave", "erin", "frank"]

/** The chat tree with its rooms open and a few users in each, shown on the observer's page. */
export const chat = Effect.gen(function*() {
  const app = yield* ChatApp.start
  for (const [index, room] of roomNames.entries()) {
    yield* RoomSupervisor.openRoom(room)
    for (const user of users.slice(0, 1 + (index % 3))) yield* Room.join(room, user)
    yield* Room.sendMessage(room, users[0], `welcome to #${room}`)
  }
  yield* Observer.watch(app, { intensity: { maxRestarts: 3, within: "5 seconds" } })
  return app
})

/** Kills a room's current incarnation: its supervisor restarts it, alone and empty. */
export const crash = (room: string) =>
  Effect.flatMap(
    Registry.whereis(Room.roomName(room)),
    (process) =>
      Option.match(process, { onNone: () => Effect.void, onSome: (process) => Effect.asVoid(Process.kill(process)) })
  )

const pick = <A>(items: ReadonlyArray<A>) => Effect.map(Random.nextIntBetween(0, items.length), (i) => items[i])

/** Messages every second; a room crash every 8 seconds. Errors of a call (a room being restarted) are ignored. */
const traffic = () => {
  const talk = Effect.gen(function*() {
    const room = yield* pick(roomNames)
    const user = yield* pick(users)
    yield* RoomSupervisor.openRoom(room)
    yield* Effect.ignore(Room.join(room, user))
    yield* Effect.ignore(Room.sendMessage(room, user, "let it crash"))
  })
  const drill = Effect.flatMap(pick(roomNames), crash)
  return Effect.all([
    Effect.repeat(Effect.ignore(talk), Schedule.spaced("1 second")),
    Effect.forever(Effect.zipRight(Effect.sleep("8 seconds"), Effect.ignore(drill)))
  ], { concurrency: "unbounded", discard: true })
}

/** The observer's options from `OBSERVER_*`, with actions on: a random token unless one is given. */
const main = Effect.gen(function*() {
  const options = yield* Observer.config
  const generated = Redacted.make(randomBytes(12).toString("base64url"))
  const run = Effect.gen(function*() {
    yield* chat
    const observer = yield* Observer.Observer
    const link = options.actions === undefined ? `${observer.url}#token=${Redacted.value(generated)}` : observer.url
    yield* Console.log(`The chat application is running. Open the observer at\n\n  ${link}\n\n(Ctrl-C stops it)`)
    if (process.argv.includes("--quiet")) return yield* Effect.never
    yield* traffic()
  })
  yield* run.pipe(
    Effect.scoped,
    Effect.provide(
      Layer.merge(Observer.layer({ ...options, actions: options.actions ?? { token: generated } }), Registry.layer)
    )
  )
})

if (import.meta.url === `file://${process.argv[1]}`) NodeRuntime.runMain(main)
