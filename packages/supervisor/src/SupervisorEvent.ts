/**
 * What supervisors report: typed events (as a `Stream`, for one supervisor or a whole
 * subtree), logs through Effect's logger mirroring OTP's supervisor reports, and metrics.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { ChildSpec, Supervisor, SupervisorEvent } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     name: "app",
 *     children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 *   })
 *   // every event of the supervisor and of the supervisors under it
 *   yield* Supervisor.events(supervisor, { subtree: true }).pipe(
 *     Stream.runForEach((event) => Effect.log(SupervisorEvent.format(event))),
 *     Effect.forkScoped
 *   )
 * }))
 * ```
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import type * as ExitReason from "./ExitReason.js"
import { formatDuration } from "./internal/duration.js"
import { describeReason } from "./internal/report.js"
import type * as Process from "./Process.js"

/**
 * A supervisor's events. `supervisor` is the supervisor's path (its name, and the ids of
 * the children leading to it: `"app/database"`).
 *
 * @since 0.1.0
 * @category models
 */
export type SupervisorEvent = Data.TaggedEnum<{
  /** A child was started by the supervisor's boot or by `startChild` / `restartChild`. */
  ChildStarted: { readonly supervisor: string; readonly childId: string; readonly process: Process.ProcessRef }
  /** A child ended (by itself, or stopped by the supervisor), with its classified reason. */
  ChildExited: {
    readonly supervisor: string
    readonly childId: string
    readonly process: Process.ProcessRef
    readonly reason: ExitReason.ExitReason
  }
  /** A child was started again by a restart (`attempt`: its restarts so far, this one included). */
  ChildRestarted: {
    readonly supervisor: string
    readonly childId: string
    readonly process: Process.ProcessRef
    readonly attempt: number
  }
  /** A restart of the child waits this long (backoff). */
  BackoffScheduled: { readonly supervisor: string; readonly childId: string; readonly delay: Duration.Duration }
  /** The restart policy is done: the supervisor gives up and stops. */
  RestartPolicyExhausted: { readonly supervisor: string; readonly childId: string }
  /** A child did not end within its shutdown deadline: it counts as killed and is listed as unstopped. */
  ShutdownDeadlineMissed: {
    readonly supervisor: string
    readonly childId: string
    readonly process: Process.ProcessRef
    readonly deadline: Duration.Duration
  }
  /** The supervisor stopped. */
  SupervisorStopped: { readonly supervisor: string; readonly reason: ExitReason.ExitReason }
}>

const events = Data.taggedEnum<SupervisorEvent>()

/**
 * Constructors of the events, by tag.
 *
 * @since 0.1.0
 * @category constructors
 */
export const {
  BackoffScheduled,
  ChildExited,
  ChildRestarted,
  ChildStarted,
  RestartPolicyExhausted,
  ShutdownDeadlineMissed,
  SupervisorStopped
} = events

/**
 * Pattern matching over the events.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export const $match = events.$match

/**
 * Refines an event by its tag.
 *
 * @since 0.1.0
 * @category refinements
 */
export const $is = events.$is

/**
 * One line for people.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (event: SupervisorEvent): string => {
  switch (event._tag) {
    case "ChildStarted":
      return `${event.supervisor}: started ${event.childId} ${event.process}`
    case "ChildExited":
      return `${event.supervisor}: ${event.childId} ${event.process} exited: ${describeReason(event.reason)}`
    case "ChildRestarted":
      return `${event.supervisor}: restarted ${event.childId} as ${event.process} (restart ${event.attempt})`
    case "BackoffScheduled":
      return `${event.supervisor}: restarting ${event.childId} in ${formatDuration(event.delay)}`
    case "RestartPolicyExhausted":
      return `${event.supervisor}: restart policy exhausted by ${event.childId}, giving up`
    case "ShutdownDeadlineMissed":
      return `${event.supervisor}: ${event.childId} ${event.process} missed its shutdown deadline of ${
        formatDuration(event.deadline)
      }`
    case "SupervisorStopped":
      return `${event.supervisor}: stopped (${describeReason(event.reason)})`
  }
}
