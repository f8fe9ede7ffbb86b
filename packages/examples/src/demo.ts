/**
 * `npm run demo`: the lesson's chat application, step by step.
 */
import { Process, Registry, SupervisionTree, Supervisor } from "@effect-otp/supervisor"
import { Console, Effect, Exit, HashMap, Logger as EffectLogger, Option, Scope } from "effect"
import * as ChatApp from "./chat/ChatApp.js"
import * as Logger from "./chat/Logger.js"
import * as Room from "./chat/Room.js"
import * as RoomSupervisor from "./chat/RoomSupervisor.js"

const step = (title: string) => Console.log(`\n== ${title} ==`)

/** The supervisors' reports (Effect's logger), one short line each. */
const reports = EffectLogger.replace(
  EffectLogger.defaultLogger,
  EffectLogger.withConsoleLog(EffectLogger.make(({ annotations, logLevel, message }) => {
    const supervisor = Option.getOrElse(HashMap.get(annotations, "supervisor"), () => "")
    const text = Array.isArray(message) ? message.join(" ") : String(message)
    return `   [${logLevel.label.toLowerCase()}] ${supervisor}: ${text}`
  }))
)
const say = (line: string) => Console.log(`   ${line}`)

const summary = (room: string) =>
  Effect.flatMap(Room.state(room), (state) =>
    say(
      `#${state.name}: users [${state.users.join(", ")}], ${state.messages.length} message(s)${
        state.messages.length > 0 ?
          `, last: ${state.messages[state.messages.length - 1].user}: "${
            state.messages[state.messages.length - 1].text
          }"` :
          ""
      }`
    ))

const pidOf = (name: Registry.Key) => Effect.map(Registry.whereis(name), (process) => Option.getOrThrow(process))

/** Prints a typed error the caller got back. */
const expectError = <A, E extends { readonly _tag: string; readonly message: string }, R>(
  label: string,
  effect: Effect.Effect<A, E, R>
) =>
  Effect.flatMap(Effect.either(effect), (result) =>
    result._tag === "Left"
      ? say(`${label} -> ${result.left._tag}: ${result.left.message}`)
      : Effect.dieMessage(`${label} should have failed`))

export const program = Effect.gen(function*() {
  const scope = yield* Scope.make()

  yield* step("1. Start ChatApp.Supervisor (one_for_one): the Logger, then the RoomSupervisor")
  const app = yield* Scope.extend(ChatApp.start, scope)
  yield* Console.log(SupervisionTree.render(yield* Supervisor.tree(app)))

  yield* step("2. Rooms are created on demand under the RoomSupervisor")
  for (const room of ["elixir", "effect", "otp"]) {
    yield* RoomSupervisor.openRoom(room)
    yield* say(`opened #${room}`)
  }

  yield* step("3. Users join and chat")
  yield* Room.join("elixir", "alice")
  yield* Room.join("elixir", "bob")
  yield* Room.sendMessage("elixir", "alice", "let it crash!")
  yield* Room.sendMessage("elixir", "bob", "and let the supervisor restart it")
  yield* Room.join("effect", "carol")
  yield* Room.sendMessage("effect", "carol", "fibers all the way down")
  yield* Room.join("otp", "dave")
  yield* Room.leave("otp", "dave")
  yield* Room.join("otp", "erin")
  for (const room of ["elixir", "effect", "otp"]) yield* summary(room)

  yield* step("4. Bad input is a typed error for the caller; nothing crashes")
  yield* expectError(`join #elixir as ""`, Room.join("elixir", ""))
  yield* expectError("alice writes to #otp without joining", Room.sendMessage("otp", "alice", "hi"))
  yield* expectError("join #haskell", Room.join("haskell", "alice"))

  yield* step("5. Room #effect crashes: it restarts alone, and empty")
  const elixirBefore = yield* pidOf(Room.roomName("elixir"))
  const effectBefore = yield* pidOf(Room.roomName("effect"))
  const reason = yield* Process.kill(effectBefore)
  yield* say(`killed #effect <${effectBefore.pid}>: ${reason._tag}`)
  // a call by name waits for the new incarnation
  for (const room of ["elixir", "effect", "otp"]) yield* summary(room)
  const effectAfter = yield* pidOf(Room.roomName("effect"))
  const elixirAfter = yield* pidOf(Room.roomName("elixir"))
  yield* say(`#effect is now <${effectAfter.pid}>; #elixir is still <${elixirAfter.pid}> (was <${elixirBefore.pid}>)`)
  const events = yield* Logger.events
  yield* say(`the logger recorded: ${events.slice(-2).map((event) => `"${event}"`).join(", ")}`)

  yield* step("6. The Logger crashes: it restarts alone; the rooms are untouched")
  const loggerBefore = yield* pidOf(Logger.LoggerName)
  yield* say(`the logger <${loggerBefore.pid}> holds ${(yield* Logger.events).length} events`)
  yield* Process.kill(loggerBefore)
  // a call by name waits for the new incarnation
  const eventsAfter = yield* Logger.events
  const loggerAfter = yield* pidOf(Logger.LoggerName)
  yield* say(`the logger is now <${loggerAfter.pid}> and holds ${eventsAfter.length} events`)
  yield* Room.sendMessage("elixir", "bob", "still here")
  for (const room of ["elixir", "effect", "otp"]) yield* summary(room)
  yield* say(`the logger recorded: ${(yield* Logger.events).map((event) => `"${event}"`).join(", ") || "(nothing)"}`)

  yield* step("7. The tree, with restart counts")
  yield* Console.log(SupervisionTree.render(yield* Supervisor.tree(app)))

  yield* step("8. Stop: children in reverse order (the rooms all at once, then the Logger)")
  const stopped: Array<string> = []
  const watch = (label: string, process: Process.ProcessRef) =>
    Process.unsafeOnExit(process, (why) => stopped.push(`${label} (${why._tag})`))
  for (const room of ["elixir", "effect", "otp"]) watch(`#${room}`, yield* pidOf(Room.roomName(room)))
  watch("ChatApp.RoomSupervisor", yield* pidOf(RoomSupervisor.RoomSupervisor))
  watch("ChatApp.Logger", loggerAfter)
  watch("ChatApp.Supervisor", app.process)
  // by its name, as `Supervisor.stop(ChatApp.Supervisor)` in Elixir
  yield* Supervisor.stop(ChatApp.AppSupervisor)
  yield* Scope.close(scope, Exit.void)
  yield* say(`stopped: ${stopped.join(" -> ")}`)
}).pipe(Effect.provide([Registry.layer, reports]))

if (import.meta.url === `file://${process.argv[1]}`) {
  Effect.runPromiseExit(program.pipe(Effect.tapErrorCause(Effect.logError))).then((exit) => {
    process.exitCode = Exit.isSuccess(exit) ? 0 : 1
  })
}
