/**
 * `ChatApp.Logger`: a single GenServer that records the chat's events.
 */
import { GenServer } from "@effect-otp/supervisor"
import { Data, Effect, Request } from "effect"

export class Log extends Data.TaggedClass("Log")<{ readonly event: string }> {}
export class Events extends Request.TaggedClass("Events")<ReadonlyArray<string>, never, {}> {}

export const Logger = GenServer.make({
  requests: [Events],
  init: () => Effect.succeed<ReadonlyArray<string>>([]),
  handlers: {
    Events: (_, events) => Effect.succeed([events, events])
  },
  handleCast: (message: Log, events) => Effect.succeed([...events, message.event])
})

export const LoggerName = GenServer.name(Logger, "ChatApp.Logger")

export const childSpec = GenServer.childSpec(Logger, undefined, { id: "ChatApp.Logger", name: LoggerName })

/** Records an event (a cast: the caller does not wait). */
export const log = (event: string) => GenServer.cast(LoggerName, new Log({ event }))

/** The events recorded by the current incarnation. */
export const events = GenServer.call(LoggerName, new Events())
