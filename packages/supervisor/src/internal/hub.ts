/**
 * The hub of one supervisor: its events to subscribers (of it and of the supervisors
 * above it), its log reports and its metrics.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as MetricLabel from "effect/MetricLabel"
import * as Stream from "effect/Stream"
import * as ExitReason from "../ExitReason.js"
import type * as Process from "../Process.js"
import * as SupervisorEvent from "../SupervisorEvent.js"
import { activeChildren, restartLatency, restarts } from "../SupervisorMetrics.js"
import { formatDuration } from "./duration.js"
import { describeReason, report } from "./report.js"

type SupervisorEvent = SupervisorEvent.SupervisorEvent

type Subscriber = (event: SupervisorEvent) => void

/**
 * The events, logs and metrics of one supervisor; used by supervisor implementations
 * (`Supervisor`, `DynamicSupervisor`). A supervisor started as the child of another is
 * attached to its parent's hub, so subtree subscribers see its events too. Publishing
 * does nothing but a check when nobody subscribes.
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
  /**
   * Whether restarts are also tagged with the child's id. Each distinct label set is a key
   * kept for good in Effect's metric registry: only a supervisor whose ids are bounded (a
   * static one's specs) tags them; a dynamic supervisor's ever new children do not.
   */
  labelsChildren = true

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
    if (this.listening) this.publish(SupervisorEvent.ChildStarted({ supervisor: this.path, childId, process }))
  }

  /** A child started by a restart, `latency` ms after the exit that caused it. */
  restarted(childId: string, process: Process.ProcessRef, attempt: number, latency: number): Effect.Effect<void> {
    this.active++
    activeChildren.unsafeUpdate(this.active, this.labels)
    restarts.unsafeUpdate(1, this.labelsChildren ? this.childLabels(childId) : this.labels)
    restartLatency.unsafeUpdate(latency, this.labels)
    if (this.listening) {
      this.publish(SupervisorEvent.ChildRestarted({ supervisor: this.path, childId, process, attempt }))
    }
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
    if (this.listening) this.publish(SupervisorEvent.ChildExited({ supervisor: this.path, childId, process, reason }))
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
    if (this.listening) this.publish(SupervisorEvent.BackoffScheduled({ supervisor: this.path, childId, delay }))
  }

  /** The restart policy is done. */
  exhausted(childId: string): Effect.Effect<void> {
    if (this.listening) this.publish(SupervisorEvent.RestartPolicyExhausted({ supervisor: this.path, childId }))
    return report(LogLevel.Error, `restart policy exhausted by ${childId}: giving up`, {
      supervisor: this.path,
      child: childId,
      reason: "reached_max_restart_intensity"
    })
  }

  /** A child missed its shutdown deadline. */
  deadlineMissed(childId: string, process: Process.ProcessRef, deadline: Duration.Duration): Effect.Effect<void> {
    if (this.listening) {
      this.publish(SupervisorEvent.ShutdownDeadlineMissed({ supervisor: this.path, childId, process, deadline }))
    }
    return report(
      LogLevel.Error,
      `${childId} ${process} missed its shutdown deadline of ${formatDuration(deadline)}`,
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
    if (this.listening) this.publish(SupervisorEvent.SupervisorStopped({ supervisor: this.path, reason }))
  }
}

/**
 * The path of the supervisor whose process the current fiber belongs to (or descends
 * from). A supervisor reads it when it starts, to name itself under its parent, and sets
 * it to its own path for its children.
 */
export const currentPath: FiberRef.FiberRef<string | undefined> = FiberRef.unsafeMake<string | undefined>(undefined)

/**
 * Makes the hub of a supervisor starting in the current fiber: named `name` under the
 * supervisor it is started by, if any; the current fiber then carries its path.
 */
export const makeHub = (name: string): Effect.Effect<Hub> =>
  Effect.flatMap(FiberRef.get(currentPath), (parent) => {
    const hub = new Hub(parent === undefined ? name : `${parent}/${name}`)
    return Effect.as(FiberRef.set(currentPath, hub.path), hub)
  })

/** The key of a running supervisor's hub. */
export const HubTypeId: unique symbol = Symbol.for("@effect-otp/supervisor/SupervisorEvent/Hub")

/**
 * A value that has a hub (a running supervisor): a parent attaches it under itself.
 */
export interface HasHub {
  readonly [HubTypeId]: Hub
}

/**
 * The hub of a child's value, if it is a supervisor.
 */
export const hubOf = (value: unknown): Hub | undefined =>
  typeof value === "object" && value !== null && HubTypeId in value ? (value as HasHub)[HubTypeId] : undefined
