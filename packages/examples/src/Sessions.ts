/**
 * `MyApp.SessionSupervisor`: a DynamicSupervisor of user sessions.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { GenServer } from "@effect-otp/supervisor"
import { Effect, Request } from "effect"

export class WhoAmI extends Request.TaggedClass("WhoAmI")<string, never, {}> {}

export const Session = GenServer.make({
  requests: [WhoAmI],
  init: (userId: string) => Effect.succeed(userId),
  handlers: {
    WhoAmI: (_, userId) => Effect.succeed([userId, userId])
  }
})

export const start = DynamicSupervisor.start()

/** `start_session(user_id)` */
export const startSession = (sessions: DynamicSupervisor.DynamicSupervisor, userId: string) =>
  DynamicSupervisor.startChild(sessions, GenServer.childSpec(Session, userId, { id: `session:${userId}` }))

/** `stop_session(session)` */
export const stopSession = (
  sessions: DynamicSupervisor.DynamicSupervisor,
  session: DynamicSupervisor.Child<unknown>
) => DynamicSupervisor.terminateChild(sessions, session)
