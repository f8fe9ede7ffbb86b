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
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import * as Stream from "effect/Stream"
import * as ExitReason from "./ExitReason.js"
import { show } from "./internal/issue.js"
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

const describeReason = (reason: ExitReason.ExitReason): string => {
  switch (reason._tag) {
    case "Normal":
      return "normal"
    case "Shutdown":
      return reason.reason._tag === "Some" ? `shutdown (${String(reason.reason.value)})` : "shutdown"
    case "Killed":
      return "killed"
    case "Abnormal": {
      const failure = Cause.failureOption(reason.cause)
      if (failure._tag === "Some") return `failed: ${describeValue(failure.value)}`
      const defect = Cause.dieOption(reason.cause)
      return defect._tag === "Some" ? `died: ${describeValue(defect.value)}` : "interrupted"
    }
  }
}

const describeValue = (value: unknown): string =>
  value instanceof Error ? value.message || value.name : typeof value === "string" ? value : show(value)

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
      return `${event.supervisor}: restarting ${event.childId} in ${Duration.format(event.delay)}`
    case "RestartPolicyExhausted":
      return `${event.supervisor}: restart policy exhausted by ${event.childId}, giving up`
    case "ShutdownDeadlineMissed":
      return `${event.supervisor}: ${event.childId} ${event.process} missed its shutdown deadline of ${
        Duration.format(event.deadline)
      }`
    case "SupervisorStopped":
      return `${event.supervisor}: stopped (${describeReason(event.reason)})`
  }
}

// -----------------------------------------------------------------------------
// Metrics
// -----------------------------------------------------------------------------

/**
 * Restarts, tagged `supervisor` and `child`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const restarts: Metric.Metric.Counter<number> = Metric.counter("effect_otp_restarts", {
  description: "children restarted by supervisors"
})

/**
 * Running children, tagged `supervisor`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const activeChildren: Metric.Metric.Gauge<number> = Metric.gauge("effect_otp_active_children", {
  description: "children running under a supervisor"
})

/**
 * Milliseconds from a child's exit to its new incarnation running, tagged `supervisor`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const restartLatency: Metric.Metric.Histogram<number> = Metric.histogram(
  "effect_otp_restart_latency_ms",
  MetricBoundaries.exponential({ start: 0.5, factor: 2, count: 16 }),
  "milliseconds from a child's exit to its new incarnation running"
)

/**
 * A supervisor report through Effect's logger, annotated; skipped at once (no annotation
 * work) when the fiber's minimum log level filters it out.
 *
 * @since 0.1.0
 * @category hub
 */
export const report = (
  level: LogLevel.LogLevel,
  message: string,
  annotations: Record<string, unknown>,
  cause?: Cause.Cause<unknown>
): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) =>
    LogLevel.lessThan(level, fiber.getFiberRef(FiberRef.currentMinimumLogLevel))
      ? Effect.void
      : Effect.annotateLogs(
        cause === undefined ? Effect.logWithLevel(level, message) : Effect.logWithLevel(level, message, cause),
        annotations
      )
  )

const defaultTracer = Effect.runSync(Effect.tracer)

/**
 * `true` when a tracer other than Effect's built-in one is installed, i.e. when
 * {@link startSpan} opens spans. A supervisor may read it once, when it starts.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SupervisorEvent } from "@effect-otp/supervisor"
 *
 * const tracing = Effect.runSync(SupervisorEvent.tracing) // false: no tracer installed
 * ```
 *
 * @since 0.2.0
 * @category hub
 */
export const tracing: Effect.Effect<boolean> = Effect.tracerWith((tracer) => Effect.succeed(tracer !== defaultTracer))

/**
 * Runs a child's start in a span that measures it without becoming the child's parent
 * span (the child lives on after the span ends). Only when a tracer is installed (e.g.
 * `@effect/opentelemetry`): Effect's built-in tracer records nothing anyone reads, and a
 * span costs several microseconds per start.
 *
 * @since 0.1.0
 * @category hub
 */
export const startSpan = <A, E, R>(
  name: string,
  attributes: Record<string, unknown>,
  start: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) => tracer === defaultTracer ? start : Effect.useSpan(name, { attributes }, () => start))

// -----------------------------------------------------------------------------
// The hub of one supervisor
// -----------------------------------------------------------------------------

type Subscriber = (event: SupervisorEvent) => void

/**
 * The events, logs and metrics of one supervisor; used by supervisor implementations
 * (`Supervisor`, `DynamicSupervisor`). A supervisor started as the child of another is
 * attached to its parent's hub, so subtree subscribers see its events too. Publishing
 * does nothing but a check when nobody subscribes.
 *
 * @since 0.1.0
 * @category hub
 */
export class Hub {
  /** The supervisor's path. */
  path: string
  private parent: Hub | undefined = undefined
  private readonly local = new Set<Subscriber>()
  private readonly tree = new Set<Subscriber>()
  private labels: ReadonlyArray<MetricLabel.MetricLabel>
  /**
   * The labels of each child's restart counter, kept so that the counter finds its hook
   * again (Effect caches a metric's hooks by label array); bounded, for supervisors with
   * ever new child ids.
   */
  private readonly byChild = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()
  private active = 0

  constructor(path: string) {
    this.path = path
    this.labels = [MetricLabel.make("supervisor", path)]
  }

  private childLabels(childId: string): ReadonlyArray<MetricLabel.MetricLabel> {
    let labels = this.byChild.get(childId)
    if (labels === undefined) {
      if (this.byChild.size >= 1024) this.byChild.clear()
      labels = [...this.labels, MetricLabel.make("child", childId)]
      this.byChild.set(childId, labels)
    }
    return labels
  }

  /** Attaches the hub of a child supervisor under this one, as `id`. */
  attach(child: Hub, id: string): void {
    child.parent = this
    child.path = `${this.path}/${id}`
    child.labels = [MetricLabel.make("supervisor", child.path)]
    child.byChild.clear()
  }

  /** `true` when someone subscribes to this supervisor's events. */
  get listening(): boolean {
    if (this.local.size > 0) return true
    let hub: Hub | undefined = this.parent
    if (this.tree.size > 0) return true
    while (hub !== undefined) {
      if (hub.tree.size > 0) return true
      hub = hub.parent
    }
    return false
  }

  /** Hands an event to the subscribers of this supervisor and of the supervisors above it. */
  publish(event: SupervisorEvent): void {
    for (const subscriber of this.local) subscriber(event)
    for (const subscriber of this.tree) subscriber(event)
    let hub: Hub | undefined = this.parent
    while (hub !== undefined) {
      for (const subscriber of hub.tree) subscriber(event)
      hub = hub.parent
    }
  }

  /** The events of this supervisor (and of the supervisors under it with `subtree`). */
  events(subtree: boolean): Stream.Stream<SupervisorEvent> {
    return Stream.asyncScoped<SupervisorEvent>((emit) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          const subscriber: Subscriber = (event) => {
            emit.single(event)
          }
          ;(subtree ? this.tree : this.local).add(subscriber)
          return subscriber
        }),
        (subscriber) => Effect.sync(() => (subtree ? this.tree : this.local).delete(subscriber))
      )
    )
  }

  // --- what a supervisor reports -------------------------------------------

  /** A child started (boot, `startChild`, `restartChild`). */
  started(childId: string, process: Process.ProcessRef): void {
    this.active++
    activeChildren.unsafeUpdate(this.active, this.labels)
    if (this.listening) this.publish(ChildStarted({ supervisor: this.path, childId, process }))
  }

  /** A child started by a restart, `latency` ms after the exit that caused it. */
  restarted(childId: string, process: Process.ProcessRef, attempt: number, latency: number): Effect.Effect<void> {
    this.active++
    activeChildren.unsafeUpdate(this.active, this.labels)
    restarts.unsafeUpdate(1, this.childLabels(childId))
    restartLatency.unsafeUpdate(latency, this.labels)
    if (this.listening) this.publish(ChildRestarted({ supervisor: this.path, childId, process, attempt }))
    return report(LogLevel.Info, `restarted ${childId} as ${process} (restart ${attempt})`, {
      supervisor: this.path,
      child: childId
    })
  }

  /**
   * A child ended. Logged as OTP's `child_terminated` report (at error level) when it
   * crashed, or when a `permanent` child ended by itself; silent otherwise.
   */
  exited(
    childId: string,
    process: Process.ProcessRef,
    reason: ExitReason.ExitReason,
    options: { readonly byItself: boolean; readonly permanent: boolean }
  ): Effect.Effect<void> {
    this.active = Math.max(0, this.active - 1)
    activeChildren.unsafeUpdate(this.active, this.labels)
    if (this.listening) this.publish(ChildExited({ supervisor: this.path, childId, process, reason }))
    const reported = ExitReason.isAbnormal(reason) ?
      !(reason._tag === "Killed" && !options.byItself)
      : options.byItself && options.permanent
    if (!reported) return Effect.void
    const message = `${childId} ${process} exited: ${describeReason(reason)}`
    return report(
      LogLevel.Error,
      message,
      { supervisor: this.path, child: childId, reason: reason._tag },
      reason._tag === "Abnormal" ? reason.cause : undefined
    )
  }

  /** A restart waits `delay`. */
  backoff(childId: string, delay: Duration.Duration): void {
    if (this.listening) this.publish(BackoffScheduled({ supervisor: this.path, childId, delay }))
  }

  /** The restart policy is done. */
  exhausted(childId: string): Effect.Effect<void> {
    if (this.listening) this.publish(RestartPolicyExhausted({ supervisor: this.path, childId }))
    return report(LogLevel.Error, `restart policy exhausted by ${childId}: giving up`, {
      supervisor: this.path,
      child: childId,
      reason: "reached_max_restart_intensity"
    })
  }

  /** A child missed its shutdown deadline. */
  deadlineMissed(childId: string, process: Process.ProcessRef, deadline: Duration.Duration): Effect.Effect<void> {
    if (this.listening) {
      this.publish(ShutdownDeadlineMissed({ supervisor: this.path, childId, process, deadline }))
    }
    return report(
      LogLevel.Error,
      `${childId} ${process} missed its shutdown deadline of ${Duration.format(deadline)}`,
      {
        supervisor: this.path,
        child: childId,
        reason: "Killed"
      }
    )
  }

  /** The supervisor stopped. */
  stopped(reason: ExitReason.ExitReason): void {
    this.active = 0
    activeChildren.unsafeUpdate(0, this.labels)
    if (this.listening) this.publish(SupervisorStopped({ supervisor: this.path, reason }))
  }
}

/**
 * The path of the supervisor whose process the current fiber belongs to (or descends
 * from). A supervisor reads it when it starts, to name itself under its parent, and sets
 * it to its own path for its children.
 *
 * @since 0.1.0
 * @category hub
 */
export const currentPath: FiberRef.FiberRef<string | undefined> = FiberRef.unsafeMake<string | undefined>(undefined)

/**
 * Makes the hub of a supervisor starting in the current fiber: named `name` under the
 * supervisor it is started by, if any; the current fiber then carries its path.
 *
 * @since 0.1.0
 * @category hub
 */
export const makeHub = (name: string): Effect.Effect<Hub> =>
  Effect.flatMap(FiberRef.get(currentPath), (parent) => {
    const hub = new Hub(parent === undefined ? name : `${parent}/${name}`)
    return Effect.as(FiberRef.set(currentPath, hub.path), hub)
  })

/**
 * @since 0.1.0
 * @category hub
 */
export const HubTypeId: unique symbol = Symbol.for("@effect-otp/supervisor/SupervisorEvent/Hub")

/**
 * A value that has a hub (a running supervisor): a parent attaches it under itself.
 *
 * @since 0.1.0
 * @category hub
 */
export interface HasHub {
  readonly [HubTypeId]: Hub
}

/**
 * The hub of a child's value, if it is a supervisor.
 *
 * @since 0.1.0
 * @category hub
 */
export const hubOf = (value: unknown): Hub | undefined =>
  typeof value === "object" && value !== null && HubTypeId in value ? (value as HasHub)[HubTypeId] : undefined
