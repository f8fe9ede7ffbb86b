import { ChildKind, ExitReason, GenServer, Restart } from "@effect-otp/supervisor"
import { Effect, Request, Schedule, Schema } from "effect"
import { ClusterKind } from "../src/index.js"

export class Get extends Request.TaggedClass("Get")<number, never, {}> {}
export class Add extends Request.TaggedClass("Add")<number, never, { readonly by: number }> {}
export class Crash extends Request.TaggedClass("Crash")<number, never, {}> {}
export class Stop extends Request.TaggedClass("Stop")<number, never, {}> {}

export class TooBig extends Schema.TaggedError<TooBig>()("TooBig", { limit: Schema.Number }) {}

/** Starts per child id, for the tests (one process). */
export const starts = new Map<string, number>()

const Counter = GenServer.make({
  requests: [Get, Add, Crash, Stop],
  init: (args: { readonly id: string; readonly start: number }) =>
    Effect.sync(() => {
      starts.set(args.id, (starts.get(args.id) ?? 0) + 1)
      return args.start
    }),
  handlers: {
    Get: (_, count) => Effect.succeed([count, count]),
    Add: ({ by }, count) => Effect.succeed([count + by, count + by]),
    Crash: () => Effect.die("boom"),
    Stop: () => Effect.fail(new ExitReason.ShutdownRequest({}))
  }
})

export const Message = Schema.Union(
  Schema.TaggedStruct("Get", {}),
  Schema.TaggedStruct("Add", { by: Schema.Number }),
  Schema.TaggedStruct("Crash", {}),
  Schema.TaggedStruct("Stop", {})
)

const counterKind = (name: string, restartPolicy: Restart.Policy) =>
  ClusterKind.make({
    kind: ChildKind.make(
      name,
      Schema.Struct({ id: Schema.String, start: Schema.Number }),
      (args) => GenServer.spawn(Counter, args)
    ),
    request: Message,
    reply: Schema.Number,
    error: TooBig,
    cast: Schema.Struct({ by: Schema.Number }),
    handleCall: (server, message) => {
      switch (message._tag) {
        case "Get":
          return GenServer.call(server, new Get())
        case "Add":
          return message.by > 100
            ? Effect.fail(new TooBig({ limit: 100 }))
            : GenServer.call(server, new Add({ by: message.by }))
        case "Crash":
          return GenServer.call(server, new Crash())
        case "Stop":
          return GenServer.call(server, new Stop())
      }
    },
    handleCast: (server, { by }) => Effect.asVoid(GenServer.call(server, new Add({ by }))),
    restartPolicy
  })

/** OTP's default intensity: 3 restarts in 5 seconds. */
export const counter = counterKind("counter", Restart.intensity(3, "5 seconds"))

/** Gives up at the third crash within a minute. */
export const fragile = counterKind("fragile", Restart.intensity(2, "1 minute"))

/** Restarts after 1 s, 2 s, 4 s... (at most 3 restarts in a minute). */
export const slow = counterKind(
  "slow",
  Restart.intensity(3, "1 minute").pipe(Schedule.intersect(Restart.backoff({ base: "1 second", factor: 2 })))
)

/** Terminates slowly: its `terminate` takes 10 s (for shutdown deadlines). */
const Slowpoke = GenServer.make({
  requests: [Get],
  init: (args: { readonly id: string }) => Effect.sync(() => starts.set(args.id, (starts.get(args.id) ?? 0) + 1)),
  handlers: { Get: (_, state) => Effect.succeed([0, state]) },
  terminate: () => Effect.sleep("10 seconds")
})

export const slowpoke = ClusterKind.make({
  kind: ChildKind.make("slowpoke", Schema.Struct({ id: Schema.String }), (args) => GenServer.spawn(Slowpoke, args), {
    shutdown: 1000
  }),
  request: Schema.TaggedStruct("Get", {}),
  reply: Schema.Number,
  handleCall: (server) => GenServer.call(server, new Get())
})
