/**
 * A chat room as a cluster child: a GenServer holding the room's users and lines, and the
 * cluster kind that lets any runner start it and any runner talk to it.
 */
import { ClusterKind } from "@effect-otp/cluster"
import { ChildKind, GenServer, Restart } from "@effect-otp/supervisor"
import { Effect, Request, Schema } from "effect"

class Join extends Request.TaggedClass("Join")<ReadonlyArray<string>, never, { readonly user: string }> {}
class Say
  extends Request.TaggedClass("Say")<ReadonlyArray<string>, never, { readonly user: string; readonly text: string }>
{}
class History extends Request.TaggedClass("History")<ReadonlyArray<string>, never, {}> {}

interface State {
  readonly room: string
  readonly lines: ReadonlyArray<string>
}

const Room = GenServer.make({
  requests: [Join, Say, History],
  init: (room: string) => Effect.succeed<State>({ room, lines: [] }),
  handlers: {
    Join: ({ user }, state) => {
      const lines = [...state.lines, `* ${user} joined`]
      return Effect.succeed([lines, { ...state, lines }])
    },
    Say: ({ text, user }, state) => {
      const lines = [...state.lines, `<${user}> ${text}`]
      return Effect.succeed([lines, { ...state, lines }])
    },
    History: (_, state) => Effect.succeed([state.lines, state])
  }
})

export const Message = Schema.Union(
  Schema.TaggedStruct("Join", { user: Schema.String }),
  Schema.TaggedStruct("Say", { user: Schema.String, text: Schema.String }),
  Schema.TaggedStruct("History", {})
)

export const room = ClusterKind.make({
  kind: ChildKind.make("room", Schema.Struct({ name: Schema.String }), ({ name }) => GenServer.spawn(Room, name)),
  request: Message,
  reply: Schema.Array(Schema.String),
  handleCall: (server, message) => {
    switch (message._tag) {
      case "Join":
        return GenServer.call(server, new Join({ user: message.user }))
      case "Say":
        return GenServer.call(server, new Say({ user: message.user, text: message.text }))
      case "History":
        return GenServer.call(server, new History())
    }
  },
  restartPolicy: Restart.intensity(3, "5 seconds")
})
