import { ChildSpec, ExitReason, GenServer, Process, Registry, Supervisor } from "@effect-otp/supervisor"
import { Console, Data, Effect, Option, Request } from "effect"

// A GenServer: state, typed calls, casts
class GetCount extends Request.TaggedClass("GetCount")<number, never, {}> {}
class Increment extends Data.TaggedClass("Increment")<{ readonly by: number }> {}

const Counter = GenServer.make({
  requests: [GetCount],
  init: (initial: number) => Effect.succeed(initial),
  handlers: { GetCount: (_, count) => Effect.succeed([count, count]) },
  handleCast: (message: Increment, count) => Effect.succeed(count + message.by)
})
const CounterName = GenServer.name(Counter, "Counter")

const program = Effect.gen(function*() {
  // children start in order; the scope stops them in reverse order
  yield* Supervisor.start({
    strategy: "one_for_one",
    children: [
      GenServer.childSpec(Counter, 0, { id: "Counter", name: CounterName }),
      ChildSpec.make({ id: "heartbeat", start: Effect.never })
    ]
  })
  yield* GenServer.cast(CounterName, new Increment({ by: 10 }))
  yield* Console.log(yield* GenServer.call(CounterName, new GetCount())) // 10

  // let it crash: the supervisor restarts the Counter, its name follows
  const counter = Option.getOrThrow(yield* Registry.whereis(CounterName))
  const reason = yield* Process.kill(counter)
  yield* Console.log(ExitReason.isAbnormal(reason)) // true
  yield* Console.log(yield* GenServer.call(CounterName, new GetCount())) // 0: a fresh state
})

Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(Registry.layer)))
