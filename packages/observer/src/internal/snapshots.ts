/**
 * The snapshots the pages receive: after something changed, 50 ms apart at least.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import { frame, type State } from "./model.js"

/**
 * Publishes a snapshot of `state` after each change told on `dirty`, 50 ms apart at least;
 * further apart for large trees (the server never busy more than a third of the time, a
 * page of 10,000 children not parsing more than twice a second): the events patch the
 * page's rows in between. Runs until interrupted.
 * @internal
 */
export const publishSnapshots = (
  state: State,
  frames: PubSub.PubSub<string>,
  dirty: Queue.Queue<void>
): Effect.Effect<number> =>
  Effect.iterate(50, {
    while: () => true,
    body: (pause) =>
      Effect.gen(function*() {
        yield* Queue.take(dirty)
        yield* Effect.sleep(Duration.millis(pause))
        // what changed while waiting is in this snapshot too
        yield* Queue.takeAll(dirty)
        const now = yield* Clock.currentTimeMillis
        const trees = yield* state.snapshot(now)
        yield* PubSub.publish(frames, frame("snapshot", { at: now, trees }))
        const took = (yield* Clock.currentTimeMillis) - now
        return Math.min(2000, Math.max(50, 2 * took, state.size / 20))
      })
  })
