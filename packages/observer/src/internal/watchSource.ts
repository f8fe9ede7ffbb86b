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

/** The most rows a patch carries: a larger change waits for the next snapshot. */
const patchLimit = 200

const sameRow = (a: ObserverSource.Row, b: ObserverSource.Row): boolean =>
  a.kind === b.kind && a.status === b.status && a.location === b.location && a.restarts === b.restarts &&
  a.exit === b.exit

/**
 * What changed between two snapshots, by child id: the rows added or changed, the ids
 * removed; undefined when it is more than a patch carries.
 */
export const diff = (
  before: ReadonlyMap<string, ObserverSource.Row>,
  rows: ReadonlyArray<ObserverSource.Row>
): { readonly changed: ReadonlyArray<ObserverSource.Row>; readonly removed: ReadonlyArray<string> } | undefined => {
  const changed: Array<ObserverSource.Row> = []
  const seen = new Set<string>()
  for (const row of rows) {
    seen.add(row.id)
    const old = before.get(row.id)
    if (old === undefined || !sameRow(old, row)) {
      changed.push(row)
      if (changed.length > patchLimit) return undefined
    }
  }
  const removed: Array<string> = []
  for (const id of before.keys()) {
    if (!seen.has(id)) {
      removed.push(id)
      if (changed.length + removed.length > patchLimit) return undefined
    }
  }
  return { changed, removed }
}

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
    // a small change is sent to the pages at once (they patch their rows, as they do on a supervisor's
    // events); the snapshot that follows, at the observer's pace, confirms it
    let before: ReadonlyMap<string, ObserverSource.Row> | undefined
    const patch = (rows: ReadonlyArray<ObserverSource.Row>) =>
      Effect.suspend(() => {
        const previous = before
        before = new Map(rows.map((row) => [row.id, row]))
        const change = previous === undefined ? undefined : diff(previous, rows)
        return change === undefined || change.changed.length + change.removed.length === 0
          ? Effect.void
          : PubSub.publish(
            frames,
            frame("patch", { source: source.name, locationKind: source.locationKind ?? "location", ...change })
          )
      })
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
            Effect.zipRight(patch(rows), Queue.offer(dirty, undefined))
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
