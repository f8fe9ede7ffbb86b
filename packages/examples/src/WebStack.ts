/**
 * The lesson's rest_for_one example: Database, Cache and WebServer, where later children
 * depend on earlier ones.
 */
import { GenServer, Supervisor } from "@effect-otp/supervisor"
import { Effect, Request } from "effect"

/** Asks a service which incarnation answers. */
export class Describe extends Request.TaggedClass("Describe")<string, never, {}> {}

const Service = GenServer.make({
  requests: [Describe],
  init: (label: string) => Effect.succeed(label),
  handlers: {
    Describe: (_, label) => Effect.succeed([label, label])
  }
})

export const Database = GenServer.name(Service, "Database")
export const Cache = GenServer.name(Service, "Cache")
export const WebServer = GenServer.name(Service, "WebServer")

export const start = Supervisor.start({
  strategy: "rest_for_one",
  children: [Database, Cache, WebServer].map((name) => GenServer.childSpec(Service, name.key, { id: name.key, name }))
})

/** Which service answers under `name`. */
export const describe = (name: typeof Database) => GenServer.call(name, new Describe())
