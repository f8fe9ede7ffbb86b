/**
 * A supervisor's record of one child, stable across its incarnations (OTP's `#child{}`).
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as ChildSpec from "../../ChildSpec.js"
import type * as ExitReason from "../../ExitReason.js"
import type * as Restart from "../../Restart.js"
import { withoutStart } from "../childSpec.js"
import type { Origin, ProcessImpl, SpawnImpl } from "../process.js"
import { type Tracker, tracker } from "./policy.js"

export type ChildStatus = "running" | "restarting" | "stopped"

export type AnySpec = ChildSpec.ChildSpec<unknown, unknown, unknown>

/**
 * What a supervisor's loop handles besides calls: a child's exit, a failed restart to try
 * again, a delayed restart whose time has come.
 */
export type Message<C> =
  | { readonly _tag: "Exit"; readonly record: C; readonly process: ProcessImpl; readonly reason: ExitReason.ExitReason }
  | { readonly _tag: "TryAgain"; readonly record: C; readonly reason: ExitReason.ExitReason }
  | { readonly _tag: "Restart"; readonly record: C }

/**
 * What a supervisor falls back on for a child whose spec says nothing.
 */
export interface Defaults {
  readonly backoff: Option.Option<Restart.Policy>
  readonly resetBackoffAfter: Option.Option<number>
}

export const noDefaults: Defaults = { backoff: Option.none(), resetBackoffAfter: Option.none() }

/**
 * What a record holds once its child has a backoff, was restarted or reconfigured, or
 * its supervisor has defaults: made on first use, so that a child started once holds none
 * of it.
 */
class RestartState {
  /** The per-child backoff, stepped at each restart. */
  backoff: Tracker | undefined = undefined
  /** A spec given by a reconfiguration, taken at the next (re)start. */
  pending: AnySpec | undefined = undefined
  /** The incarnations started by restarts. */
  restarts = 0
  /** When the exit that caused the pending restart happened. */
  restartSince = 0
  /** The pending delayed restart: its message, and how to cancel its timer. */
  timer: { readonly message: unknown; readonly cancel: () => void } | undefined = undefined
  /** The incarnation being restarted: its names stay reserved until the restart succeeds or is abandoned. */
  previous: ProcessImpl | undefined = undefined
  constructor(readonly defaults: Defaults) {}
}

/**
 * A child's record. It holds few fields (each costs 8 bytes per child): what only a
 * restarted or reconfigured child needs is in its {@link RestartState}.
 */
export class ChildRecord {
  /** How its incarnations start; `undefined` once nothing will start it again (a running temporary child). */
  spawn: SpawnImpl<unknown, unknown, unknown> | undefined
  /** Its spec, every default filled in (a running temporary child's without its start). */
  spec: AnySpec
  status: ChildStatus = "stopped"
  /** The running incarnation. */
  process: ProcessImpl | undefined = undefined
  /** What the running incarnation's start returned. */
  current: unknown = undefined
  startedAt = 0
  private restartState: RestartState | undefined = undefined

  constructor(
    spec: AnySpec,
    /** Where its incarnations start from: a context, and the supervisor's fiber refs and flags. */
    readonly origin: Origin,
    defaults: Defaults
  ) {
    this.spec = spec
    this.spawn = spec.start as SpawnImpl<unknown, unknown, unknown>
    if (defaults !== noDefaults) this.restartState = new RestartState(defaults)
    this.load(spec)
  }

  get id(): string {
    return this.spec.id
  }

  /** Sets what only a restarted or reconfigured child holds; unset stays unmade. */
  private setRare<K extends Exclude<keyof RestartState, "defaults">>(key: K, value: RestartState[K]): void {
    if (value === undefined && this.restartState === undefined) return
    if (this.restartState === undefined) this.restartState = new RestartState(noDefaults)
    this.restartState[key] = value
  }

  private get defaults(): Defaults {
    return this.restartState === undefined ? noDefaults : this.restartState.defaults
  }

  // what only a restarted or reconfigured child holds: read as unset until it is set

  get backoff(): Tracker | undefined {
    return this.restartState?.backoff
  }

  set backoff(backoff: Tracker | undefined) {
    this.setRare("backoff", backoff)
  }

  get pending(): AnySpec | undefined {
    return this.restartState?.pending
  }

  set pending(spec: AnySpec | undefined) {
    this.setRare("pending", spec)
  }

  get restarts(): number {
    return this.restartState === undefined ? 0 : this.restartState.restarts
  }

  set restarts(restarts: number) {
    this.setRare("restarts", restarts)
  }

  get restartSince(): number {
    return this.restartState === undefined ? 0 : this.restartState.restartSince
  }

  set restartSince(since: number) {
    this.setRare("restartSince", since)
  }

  get timer(): RestartState["timer"] {
    return this.restartState?.timer
  }

  set timer(timer: RestartState["timer"]) {
    this.setRare("timer", timer)
  }

  get previous(): ProcessImpl | undefined {
    return this.restartState?.previous
  }

  set previous(previous: ProcessImpl | undefined) {
    this.setRare("previous", previous)
  }

  // the spec's fields, read from the spec (a record holds no copy of them): a
  // reconfiguration changes them at the next start (see `pending`)

  get restart(): ChildSpec.RestartType {
    return this.spec.restart
  }

  get shutdown(): ChildSpec.Shutdown {
    return this.spec.shutdown
  }

  get type(): ChildSpec.ChildType {
    return this.spec.type
  }

  get significant(): boolean {
    return this.spec.significant
  }

  get startTimeout(): Option.Option<Duration.Duration> {
    return this.spec.startTimeout
  }

  get resetBackoffAfter(): Option.Option<number> {
    const after = this.spec.resetBackoffAfter
    return Option.isSome(after) ? Option.some(Duration.toMillis(after.value)) : this.defaults.resetBackoffAfter
  }

  /** Takes the backoff of `spec` (or the supervisor's), stepped afresh. */
  protected load(spec: AnySpec): void {
    const backoff = Option.isSome(spec.backoff) ? spec.backoff : this.defaults.backoff
    this.backoff = Option.isSome(backoff) ? tracker(backoff.value) : undefined
  }

  /** Takes the spec a reconfiguration gave, for the start about to happen. */
  unsafeApplyPending(): void {
    const spec = this.pending
    if (spec === undefined) return
    this.pending = undefined
    this.spec = spec
    this.spawn = spec.start as SpawnImpl<unknown, unknown, unknown>
    this.load(spec)
  }

  /**
   * Lets go of its start (and of what the start captures): a temporary child, once
   * running, is never started again (OTP keeps no start arguments for it).
   */
  unsafeForgetStart(): void {
    this.spawn = undefined
    this.spec = withoutStart(this.spec)
  }

  unsafeReleasePrevious(): void {
    if (this.previous !== undefined) {
      this.previous.release()
      this.previous = undefined
    }
  }

  unsafeCancelTimer(): void {
    if (this.timer !== undefined) {
      this.timer.cancel()
      this.timer = undefined
    }
  }
}
