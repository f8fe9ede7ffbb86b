/**
 * What happens to cluster children, as typed events published on the runner that holds
 * them, logged one line each through Effect's logger (annotated with the child id, its
 * kind and the runner) and counted with `Metric`s.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as PubSub from "effect/PubSub"
import * as Stream from "effect/Stream"

/**
 * A cluster child's event. `runner` is the runner holding the child (`host:port`).
 *
 * @since 0.1.0
 * @category models
 */
export type ClusterEvent = Data.TaggedEnum<{
  /** A child was started on `runner`: by `startChild`, or `recovered` after its former runner was lost or its shard moved. */
  ChildStarted: { readonly id: string; readonly kind: string; readonly runner: string; readonly recovered: boolean }
  /** A child crashed and was started again by its runner (`attempt`: its restarts so far in this incarnation of the entity). */
  ChildRestarted: { readonly id: string; readonly kind: string; readonly runner: string; readonly attempt: number }
  /** A child crashed more often than its restart policy allows and was given up. */
  ChildGaveUp: { readonly id: string; readonly kind: string; readonly runner: string }
  /** A child ended for good: `terminated` by `terminateChild`, or `exited` (a transient child's normal exit, any exit of a temporary one). */
  ChildStopped: {
    readonly id: string
    readonly kind: string
    readonly runner: string
    readonly reason: "terminated" | "exited"
  }
  /** A temporary child was dropped because its runner was lost (or its shard moved). */
  ChildDropped: { readonly id: string; readonly kind: string; readonly runner: string }
}>

const events = Data.taggedEnum<ClusterEvent>()

/**
 * Constructors of the events, by tag.
 *
 * @since 0.1.0
 * @category constructors
 */
export const { ChildDropped, ChildGaveUp, ChildRestarted, ChildStarted, ChildStopped } = events

/**
 * Pattern matching over the events.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export const $match = events.$match

/**
 * One line for people.
 *
 * **Example**
 *
 * ```ts
 * import { ClusterEvent } from "@effect-otp/cluster"
 *
 * ClusterEvent.format(ClusterEvent.ChildGaveUp({ id: "room-1", kind: "room", runner: "127.0.0.1:34431" }))
 * // "room-1 (room) was given up on 127.0.0.1:34431: too many restarts"
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (event: ClusterEvent): string => {
  const who = `${event.id} (${event.kind})`
  switch (event._tag) {
    case "ChildStarted":
      return `${who} ${event.recovered ? "came back" : "started"} on ${event.runner}`
    case "ChildRestarted":
      return `${who} restarted on ${event.runner} (restart ${event.attempt})`
    case "ChildGaveUp":
      return `${who} was given up on ${event.runner}: too many restarts`
    case "ChildStopped":
      return `${who} stopped on ${event.runner} (${event.reason})`
    case "ChildDropped":
      return `${who} is temporary and was not restarted on ${event.runner}`
  }
}

/**
 * Children started (recoveries included), by kind.
 *
 * @since 0.1.0
 * @category metrics
 */
export const starts: Metric.Metric.Counter<number> = Metric.counter("effect_otp_cluster_child_starts", {
  description: "cluster children started on this runner (recoveries included)",
  incremental: true
})

/**
 * Children restarted after a crash, by kind.
 *
 * @since 0.1.0
 * @category metrics
 */
export const restarts: Metric.Metric.Counter<number> = Metric.counter("effect_otp_cluster_child_restarts", {
  description: "cluster children restarted after a crash on this runner",
  incremental: true
})

/**
 * Children given up (restart policy exhausted), by kind.
 *
 * @since 0.1.0
 * @category metrics
 */
export const giveUps: Metric.Metric.Counter<number> = Metric.counter("effect_otp_cluster_child_give_ups", {
  description: "cluster children given up on this runner",
  incremental: true
})

/**
 * The events of this runner's cluster children.
 *
 * @since 0.1.0
 * @category services
 */
export class ClusterEvents extends Context.Tag("@effect-otp/cluster/ClusterEvents")<ClusterEvents, {
  readonly publish: (event: ClusterEvent) => Effect.Effect<void>
  readonly stream: Stream.Stream<ClusterEvent>
}>() {}

/**
 * The event service: publishes to subscribers, logs, counts.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ClusterEvents> = Layer.scoped(
  ClusterEvents,
  Effect.gen(function*() {
    const hub = yield* Effect.acquireRelease(PubSub.unbounded<ClusterEvent>(), PubSub.shutdown)
    return {
      publish: (event) => {
        const log = event._tag === "ChildGaveUp" ? Effect.logWarning(format(event)) : Effect.logInfo(format(event))
        const counted = event._tag === "ChildStarted"
          ? Metric.increment(Metric.tagged(starts, "kind", event.kind))
          : event._tag === "ChildRestarted"
          ? Metric.increment(Metric.tagged(restarts, "kind", event.kind))
          : event._tag === "ChildGaveUp"
          ? Metric.increment(Metric.tagged(giveUps, "kind", event.kind))
          : Effect.void
        return Effect.all([
          log.pipe(Effect.annotateLogs({ cluster_child: event.id, kind: event.kind, runner: event.runner })),
          counted,
          PubSub.publish(hub, event)
        ], { discard: true })
      },
      stream: Stream.fromPubSub(hub)
    }
  })
)
