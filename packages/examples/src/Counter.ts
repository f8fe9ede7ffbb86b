/**
 * The lesson's Counter: a GenServer holding a number, reached by its name.
 */
import { GenServer } from "@effect-otp/supervisor"
import { Data, Effect, Request } from "effect"

export class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
export class Increment extends Data.TaggedClass("Increment")<{ readonly by: number }> {}

export const Counter = GenServer.make({
  requests: [GetCount],
  init: (initial: number) => Effect.succeed(initial),
  handlers: {
    GetCount: (_, count) => Effect.succeed([count, count])
  },
  handleCast: (message: Increment, count) => Effect.succeed(count + message.by)
})

/** `name: __MODULE__`: the name follows the newest incarnation. */
export const CounterName = GenServer.name(Counter, "Counter")

/** `{Counter, initial}` in a children list. */
export const childSpec = (initial: number) =>
  GenServer.childSpec(Counter, initial, { id: "Counter", name: CounterName })

/** `Counter.get_count()` */
export const getCount = GenServer.call(CounterName, new GetCount())

/** `Counter.increment(by)` */
export const increment = (by: number) => GenServer.cast(CounterName, new Increment({ by }))
