/**
 * A small service run as a real Node process with `NodeRuntime.runMain` and
 * `Supervisor.run`: four children started in order; SIGINT or SIGTERM stops them in
 * reverse order (one of them, `stuck`, ignores the stop and is given up on after its
 * 300 ms deadline) and the process exits 0. Started with `crash`, the `flaky` child
 * crashes at once after each start: the supervisor gives up and the process exits 1.
 *
 *     npx tsx packages/examples/src/service.ts          # Ctrl-C stops it cleanly
 *     npx tsx packages/examples/src/service.ts crash    # exits 1
 */
import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect } from "effect"

const worker = (id: string) =>
  ChildSpec.make({
    id,
    start: Console.log(`started ${id}`).pipe(
      Effect.zipRight(Effect.never),
      Effect.onInterrupt(() => Console.log(`stopped ${id}`))
    )
  })

/** Does not yield to the stop: its supervisor waits 300 ms, counts it killed and goes on. */
const stuck = ChildSpec.make({
  id: "stuck",
  shutdown: "300 millis",
  start: Effect.uninterruptible(Effect.zipRight(Console.log("started stuck"), Effect.never))
})

const flaky = ChildSpec.make({
  id: "flaky",
  start: Effect.zipRight(Console.log("started flaky"), Effect.fail("connection refused"))
})

const crash = process.argv.includes("crash")

const main = Supervisor.run({
  name: "service",
  children: crash ? [worker("db"), flaky] : [worker("db"), worker("cache"), stuck, worker("web")]
}).pipe(Effect.tap((reason) => Console.log(`service stopped: ${reason._tag}`)))

NodeRuntime.runMain(main)
