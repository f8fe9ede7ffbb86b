/**
 * A supervision tree as data: the flags of a supervisor and its children, a kind's or
 * nested supervisors, in the form a tree's JSON or configuration gives them.
 */
import type * as Duration from "effect/Duration"
import type * as ChildSpec from "../../ChildSpec.js"
import type * as Supervisor from "../../Supervisor.js"

/**
 * A child of a tree as data: a child of a kind, or a nested supervisor.
 *
 * @since 0.1.0
 * @category models
 */
export type ChildData = KindChildData | SupervisorChildData

/**
 * A child of a kind, as data.
 *
 * @since 0.1.0
 * @category models
 */
export interface KindChildData extends ChildSpec.DataEncoded, TimingData {
  /** The name of a kind. */
  readonly kind: string
  /** The kind's arguments, in its Schema's encoded form (absent means `undefined`). */
  readonly args?: unknown
}

/**
 * A nested supervisor, as data. Its type is `"supervisor"`, its shutdown `"infinity"`
 * unless given.
 *
 * @since 0.1.0
 * @category models
 */
export interface SupervisorChildData extends Omit<ChildSpec.DataEncoded, "type">, TimingData {
  readonly supervisor: TreeData
}

/**
 * A duration as data: a number of milliseconds (`1500`) or a duration string
 * (`"1.5 seconds"`, `"100 millis"`).
 *
 * @since 0.3.0
 * @category models
 */
export type DurationData = number | Duration.DurationInput & string

/**
 * The options of `Restart.backoff` as data: `base * factor^n` (factor 2 by default),
 * optionally jittered, capped at `max`.
 *
 * @since 0.3.0
 * @category models
 */
export interface BackoffData {
  readonly base: DurationData
  /** Default 2: a number >= 1. */
  readonly factor?: number
  readonly max?: DurationData
  readonly jitter?: boolean
}

/**
 * The timing fields of a child's spec, as data: `startTimeout`, `backoff`,
 * `resetBackoffAfter` (see `ChildSpec.Options`).
 *
 * @since 0.3.0
 * @category models
 */
export interface TimingData {
  readonly startTimeout?: DurationData
  readonly backoff?: BackoffData
  readonly resetBackoffAfter?: DurationData
}

/**
 * A supervision tree as data.
 *
 * @since 0.1.0
 * @category models
 */
export interface TreeData {
  /** The supervisor's name (see `Supervisor.Options`). */
  readonly name?: string
  /** Default `"one_for_one"`. */
  readonly strategy?: Supervisor.Strategy
  /** Default 3: an integer >= 0. */
  readonly maxRestarts?: number
  /** Default 5: a number > 0. */
  readonly maxSeconds?: number
  /** Default `"never"`. */
  readonly autoShutdown?: Supervisor.AutoShutdown
  /** A backoff for the children whose data has none. */
  readonly backoff?: BackoffData
  /** A backoff reset for the children whose data has none. */
  readonly resetBackoffAfter?: DurationData
  readonly children: ReadonlyArray<ChildData>
}
