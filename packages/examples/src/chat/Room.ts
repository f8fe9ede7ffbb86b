/**
 * `ChatApp.Room`: one GenServer per room, tracking its users and messages.
 */
import { ExitReason, GenServer, Registry } from "@effect-otp/supervisor"
import { Data, Effect, Request } from "effect"
import * as Logger from "./Logger.js"

export interface Message {
  readonly user: string
  readonly text: string
}

export interface RoomState {
  readonly name: string
  readonly users: ReadonlyArray<string>
  readonly messages: ReadonlyArray<Message>
}

export class InvalidUserName extends Data.TaggedError("InvalidUserName")<{ readonly user: string }> {
  get message() {
    return `a user name must not be empty, got ${JSON.stringify(this.user)}`
  }
}

export class NotAMember extends Data.TaggedError("NotAMember")<{ readonly room: string; readonly user: string }> {
  get message() {
    return `${this.user} has not joined #${this.room}`
  }
}

export class UnknownRoom extends Data.TaggedError("UnknownRoom")<{ readonly room: string }> {
  get message() {
    return `there is no room #${this.room}`
  }
}

export class Join extends Request.TaggedClass("Join")<void, InvalidUserName, { readonly user: string }> {}
export class Leave extends Request.TaggedClass("Leave")<void, NotAMember, { readonly user: string }> {}
export class SendMessage
  extends Request.TaggedClass("SendMessage")<void, NotAMember, { readonly user: string; readonly text: string }>
{}
export class GetState extends Request.TaggedClass("GetState")<RoomState, never, {}> {}

const describe = (reason: ExitReason.ExitReason): string =>
  ExitReason.$match(reason, {
    Normal: () => "normal",
    Shutdown: () => "shutdown",
    Killed: () => "killed",
    Abnormal: () => "crashed"
  })

export const Room = GenServer.make({
  requests: [Join, Leave, SendMessage, GetState],
  init: (name: string) => Effect.as(Logger.log(`#${name} opened`), { name, users: [], messages: [] } as RoomState),
  handlers: {
    Join: ({ user }, state) =>
      user.trim() === ""
        ? Effect.fail(new InvalidUserName({ user }))
        : Effect.as(
          Logger.log(`${user} joined #${state.name}`),
          [
            undefined,
            state.users.includes(user) ? state : { ...state, users: [...state.users, user] }
          ] as const
        ),
    Leave: ({ user }, state) =>
      state.users.includes(user)
        ? Effect.as(
          Logger.log(`${user} left #${state.name}`),
          [
            undefined,
            { ...state, users: state.users.filter((member) => member !== user) }
          ] as const
        )
        : Effect.fail(new NotAMember({ room: state.name, user })),
    SendMessage: ({ text, user }, state) =>
      state.users.includes(user)
        ? Effect.as(
          Logger.log(`${user} wrote in #${state.name}`),
          [
            undefined,
            { ...state, messages: [...state.messages, { user, text }] }
          ] as const
        )
        : Effect.fail(new NotAMember({ room: state.name, user })),
    GetState: (_, state) => Effect.succeed([state, state])
  },
  terminate: (reason, state) => Logger.log(`#${state.name} stopped (${describe(reason)})`)
})

/** Rooms are registered as `room:<name>`: a room's name follows its restarts. */
export const roomName = (room: string) => GenServer.name(Room, `room:${room}`)

const call = <A, E>(room: string, effect: Effect.Effect<A, E | Registry.NoProcess, Registry.Registry>) =>
  Effect.catchTag(
    effect as Effect.Effect<A, Registry.NoProcess, Registry.Registry>,
    "NoProcess",
    () => Effect.fail(new UnknownRoom({ room }))
  ) as Effect.Effect<A, Exclude<E, Registry.NoProcess> | UnknownRoom, Registry.Registry>

export const join = (room: string, user: string) => call(room, GenServer.call(roomName(room), new Join({ user })))

export const leave = (room: string, user: string) => call(room, GenServer.call(roomName(room), new Leave({ user })))

export const sendMessage = (room: string, user: string, text: string) =>
  call(room, GenServer.call(roomName(room), new SendMessage({ user, text })))

export const state = (room: string) => call(room, GenServer.call(roomName(room), new GetState()))
