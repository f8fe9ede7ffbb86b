/**
 * What the observer knows beyond the supervisors' own snapshots: the last exit reason of
 * each child, the restart attempts per supervisor (its restart-intensity budget), and the
 * recent events; and the JSON the page receives.
 *
 * @internal
 */
import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import type * as ExitReason from "@effect-otp/supervisor/ExitReason"
import type * as SupervisionTree from "@effect-otp/supervisor/SupervisionTree"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as SupervisorEvent from "@effect-otp/supervisor/SupervisorEvent"
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ObserverSource from "../ObserverSource.js"
import { showValue } from "./showValue.js"
import { sourceTree, type Watched } from "./source.js"

/** A supervisor the observer can show. */
export type Handle = Supervisor.Supervisor | DynamicSupervisor.DynamicSupervisor<unknown>

/** OTP's restart intensity as the page shows it. */
export interface Intensity {
  readonly maxRestarts: number
  readonly withinMillis: number
}

/** Elixir's default (and the library's): 3 restarts in 5 seconds. */
export const defaultIntensity: Intensity = { maxRestarts: 3, withinMillis: 5000 }

export const treeOf = (handle: Handle): Effect.Effect<SupervisionTree.Tree> =>
  Supervisor.isSupervisor(handle) ? Supervisor.tree(handle) : DynamicSupervisor.tree(handle)

// -----------------------------------------------------------------------------
// What the page receives
// -----------------------------------------------------------------------------

export interface WireBudget {
  readonly used: number
  readonly max: number
  readonly withinMs: number
}

export interface WireChild {
  readonly id: string
  readonly type: string
  /** null for a source's location row. */
  readonly status: string | null
  readonly pid: number | null
  readonly restarts: number | null
  readonly upMs: number | null
  readonly exit: string | null
  readonly tree: WireTree | null
  /** Where a source's child runs (e.g. the runner holding a cluster child). */
  readonly location?: string | null
}

export interface WireTree {
  readonly path: string
  readonly strategy: string
  readonly pid: number | null
  readonly status: "running" | "stopped" | null
  readonly reason: string | null
  readonly budget: WireBudget | null
  readonly children: ReadonlyArray<WireChild>
  /** A watched supervisor's label (e.g. the machine or runner it runs on). */
  readonly label?: string | null
  /** Absent for supervisors; a watched source's row, or the row of one of its locations. */
  readonly origin?: "source" | "location"
}

export interface WireEvent {
  readonly seq: number
  readonly at: number
  /** `at` as the time of day in UTC, as Effect's logger prints it: `08:38:34.498`. */
  readonly time: string
  readonly tag: string
  readonly supervisor: string
  readonly childId: string | null
  readonly pid: number | null
  /** A `ChildExited`'s or `SupervisorStopped`'s reason. */
  readonly reason: string | null
  /** A `ChildRestarted`'s restart count. */
  readonly attempt: number | null
  readonly text: string
}

/** A frame of the event stream: `event: <name>` and its JSON data. */
export const frame = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`

/** An exit reason, short, for people. */
export const describeReason = (reason: ExitReason.ExitReason): string => {
  switch (reason._tag) {
    case "Normal":
      return "normal"
    case "Shutdown":
      return Option.match(reason.reason, { onNone: () => "shutdown", onSome: (r) => `shutdown (${show(r)})` })
    case "Killed":
      return "killed"
    case "Abnormal": {
      const failure = Cause.failureOption(reason.cause)
      if (Option.isSome(failure)) return `failed: ${show(failure.value)}`
      const defect = Cause.dieOption(reason.cause)
      return Option.isSome(defect) ? `died: ${show(defect.value)}` : "interrupted"
    }
  }
}

const show = (value: unknown): string => {
  if (value instanceof Error) return value.message || value.name
  if (typeof value === "string") return value
  if (typeof value === "object" && value !== null && "_tag" in value) {
    const message = "message" in value && typeof value.message === "string" ? `: ${value.message}` : ""
    return `${String(value._tag)}${message}`
  }
  return showValue(value)
}

// -----------------------------------------------------------------------------
// The state
// -----------------------------------------------------------------------------

interface Budget {
  /** A child exited and no restart event followed it yet. */
  exitPending: boolean
  /** When each counted restart attempt happened. */
  readonly attempts: Array<number>
}

const key = (supervisor: string, childId: string) => `${supervisor}\u0000${childId}`

/**
 * Mutable, touched only inside `Effect.sync` (one JavaScript thread).
 */
export class State {
  readonly watched = new Map<
    number,
    { readonly handle: Handle; readonly intensity: (path: string) => Intensity; readonly label: string | null }
  >()
  /** The watched sources, numbered with the supervisors (the page shows both in the order they were watched). */
  readonly sources = new Map<number, Watched>()
  private nextWatch = 0
  private seq = 0
  private readonly log: Array<WireEvent> = []
  private readonly lastExit = new Map<string, string>()
  private readonly budgets = new Map<string, Budget>()
  /** The path each watched supervisor had at the last snapshot. */
  readonly paths = new Map<number, string>()
  /** How many children the last snapshot held. */
  size = 0

  constructor(readonly logSize: number) {}

  watch(handle: Handle, intensity: (path: string) => Intensity, label: string | null = null): number {
    const id = this.nextWatch++
    this.watched.set(id, { handle, intensity, label })
    return id
  }

  watchSource(source: ObserverSource.Source, label: string | null = null): number {
    const id = this.nextWatch++
    this.sources.set(id, {
      name: source.name,
      kind: source.kind ?? "source",
      locationKind: source.locationKind ?? "location",
      label,
      rows: [],
      ended: null
    })
    return id
  }

  unwatch(id: number): void {
    this.watched.delete(id)
    this.paths.delete(id)
    this.sources.delete(id)
  }

  /** The recent events, oldest first. */
  get recent(): ReadonlyArray<WireEvent> {
    return this.log
  }

  /**
   * Records an event. A restart attempt (what steps the supervisor's restart policy) is
   * counted at the first restart, backoff or give-up event after a child's exit: the
   * other children a `one_for_all` or `rest_for_one` restart stops and starts again
   * belong to the same attempt.
   */
  record(event: SupervisorEvent.SupervisorEvent, now: number): WireEvent {
    const budget = this.budget(event.supervisor)
    let childId: string | null = null
    let pid: number | null = null
    let reason: string | null = null
    let attempt: number | null = null
    switch (event._tag) {
      case "ChildExited":
        childId = event.childId
        pid = event.process.pid
        reason = describeReason(event.reason)
        budget.exitPending = true
        this.lastExit.set(key(event.supervisor, event.childId), reason)
        break
      case "ChildRestarted":
      case "BackoffScheduled":
      case "RestartPolicyExhausted":
        childId = event.childId
        pid = event._tag === "ChildRestarted" ? event.process.pid : null
        attempt = event._tag === "ChildRestarted" ? event.attempt : null
        if (budget.exitPending) {
          budget.exitPending = false
          budget.attempts.push(now)
          if (budget.attempts.length > 1024) budget.attempts.splice(0, budget.attempts.length - 1024)
        }
        break
      case "ChildStarted":
      case "ShutdownDeadlineMissed":
        childId = event.childId
        pid = event.process.pid
        break
      case "SupervisorStopped":
        reason = describeReason(event.reason)
        this.lastExit.set(key(event.supervisor, ""), reason)
        break
    }
    return this.keep({
      seq: this.seq++,
      at: now,
      time: DateTime.formatIso(DateTime.unsafeMake(now)).slice(11, 23),
      tag: event._tag,
      supervisor: event.supervisor,
      childId,
      pid,
      reason,
      attempt,
      text: SupervisorEvent.format(event)
    })
  }

  /** Records a source's event: `supervisor` is the path of its location's row, or the source's. */
  recordSource(source: string, event: ObserverSource.Event, now: number): WireEvent {
    return this.keep({
      seq: this.seq++,
      at: now,
      time: DateTime.formatIso(DateTime.unsafeMake(now)).slice(11, 23),
      tag: String(event.tag),
      supervisor: typeof event.location === "string" ? `${source}/${event.location}` : source,
      childId: typeof event.childId === "string" ? event.childId : null,
      pid: null,
      reason: null,
      attempt: null,
      text: String(event.text)
    })
  }

  private keep(wire: WireEvent): WireEvent {
    if (this.logSize > 0) {
      this.log.push(wire)
      if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize)
    }
    return wire
  }

  private budget(path: string): Budget {
    let budget = this.budgets.get(path)
    if (budget === undefined) {
      budget = { exitPending: false, attempts: [] }
      this.budgets.set(path, budget)
    }
    return budget
  }

  /** Restart attempts within the window that ends now (inclusive at its edge, as `Restart.intensity`). */
  used(path: string, intensity: Intensity, now: number): number {
    const budget = this.budgets.get(path)
    if (budget === undefined) return 0
    let used = 0
    for (const at of budget.attempts) if (now - at <= intensity.withinMillis) used++
    return used
  }

  /** Every watched tree and source, in the order they were watched, as the page receives them; forgets what no tree shows any more. */
  snapshot(now: number): Effect.Effect<ReadonlyArray<WireTree>> {
    return Effect.map(
      Effect.forEach(
        Array.from(this.watched),
        ([id, { handle, intensity, label }]) =>
          Effect.map(treeOf(handle), (tree): readonly [number, WireTree] => {
            this.paths.set(id, tree.name)
            const stopped = Option.isSome(handle.process.poll)
            return [id, { ...this.wireTree(tree, intensity, now, stopped), label }]
          })
      ),
      (supervisors) => {
        const trees = supervisors.concat(
          Array.from(this.sources, ([id, watched]) => [id, sourceTree(watched)] as const)
        )
          .sort(([a], [b]) => a - b)
          .map(([, tree]) => tree)
        this.prune(trees)
        return trees
      }
    )
  }

  private wireTree(
    tree: SupervisionTree.Tree,
    intensity: (path: string) => Intensity,
    now: number,
    stopped: boolean
  ): WireTree {
    const limits = intensity(tree.name)
    return {
      path: tree.name,
      strategy: tree.strategy,
      pid: tree.process.pid,
      status: stopped ? "stopped" : "running",
      reason: stopped ? (this.lastExit.get(key(tree.name, "")) ?? null) : null,
      budget: { used: this.used(tree.name, limits, now), max: limits.maxRestarts, withinMs: limits.withinMillis },
      children: tree.children.map((node): WireChild => ({
        id: node.id,
        type: node.type,
        status: node.status,
        pid: Option.isSome(node.process) ? node.process.value.pid : null,
        restarts: node.restarts,
        upMs: Option.isSome(node.uptime) ? Duration.toMillis(node.uptime.value) : null,
        exit: this.lastExit.get(key(tree.name, node.id)) ?? null,
        tree: Option.isSome(node.tree) ? this.wireTree(node.tree.value, intensity, now, false) : null
      }))
    }
  }

  /** Forgets the exits and budgets of children and supervisors that are gone. */
  private prune(trees: ReadonlyArray<WireTree>): void {
    const live = new Set<string>()
    const paths = new Set<string>()
    this.size = 0
    const walk = (tree: WireTree) => {
      paths.add(tree.path)
      live.add(key(tree.path, ""))
      this.size += tree.children.length
      for (const child of tree.children) {
        live.add(key(tree.path, child.id))
        if (child.tree !== null) walk(child.tree)
      }
    }
    trees.forEach(walk)
    for (const k of this.lastExit.keys()) if (!live.has(k)) this.lastExit.delete(k)
    for (const path of this.budgets.keys()) if (!paths.has(path)) this.budgets.delete(path)
  }
}
