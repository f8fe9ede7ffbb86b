/**
 * Watching a source: its snapshots and events feed the observer's state until the scope
 * of the `watch` closes.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as ObserverSource from "../ObserverSource.js"
import { frame, type State } from "./model.js"
import { checkRows } from "./source.js"

const why = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  const value = failure._tag === "Some" ? failure.value : Cause.squash(cause)
  if (value instanceof Error) return value.message || value.name
  if (typeof value === "object" && value !== null && "_tag" in value) {
    const message = "message" in value && typeof value.message === "string" ? `: ${value.message}` : ""
    return `${String(value._tag)}${message}`
  }
  return String(value)
}

/** Shows `source` until the current scope closes. */
export const watchSource = (
  state: State,
  frames: PubSub.PubSub<string>,
  dirty: Queue.Queue<void>,
  source: ObserverSource.Source,
  label: string | null
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const id = yield* Effect.acquireRelease(
      Effect.sync(() => state.watchSource(source, label)),
      (id) => Effect.zipRight(Effect.sync(() => state.unwatch(id)), Queue.offer(dirty, undefined))
    )
    const end = (reason: string) =>
      Effect.zipRight(
        Effect.sync(() => {
          const watched = state.sources.get(id)
          if (watched !== undefined) watched.ended = reason
        }),
        Queue.offer(dirty, undefined)
      )
    yield* Effect.forkScoped(
      source.snapshots.pipe(
        Stream.mapEffect((rows) => {
          const issue = checkRows(rows)
          return issue === undefined ? Effect.succeed(rows) : Effect.fail(`invalid snapshot: ${issue}`)
        }),
        Stream.runForEach((rows) =>
          Effect.zipRight(
            Effect.sync(() => {
              const watched = state.sources.get(id)
              if (watched !== undefined) watched.rows = rows
            }),
            Queue.offer(dirty, undefined)
          )
        ),
        Effect.matchCauseEffect({
          onFailure: (cause) => Cause.isInterruptedOnly(cause) ? Effect.void : end(`failed: ${why(cause)}`),
          onSuccess: () => end("ended")
        })
      )
    )
    if (source.events !== undefined) {
      yield* Effect.forkScoped(
        source.events.pipe(
          Stream.runForEach((event) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => PubSub.publish(frames, frame("event", state.recordSource(source.name, event, now)))
            )
          ),
          Effect.catchAllCause((cause) =>
            Cause.isInterruptedOnly(cause)
              ? Effect.void
              : Effect.logWarning(`observer: the events of source ${source.name} failed: ${why(cause)}`)
          )
        )
      )
    }
    yield* Queue.offer(dirty, undefined)
  })
