/**
 * What a dynamic supervisor is and what it reports: its type ids, the supervisor and its
 * children's handles, what `whichChildren` and `countChildren` return, the options it
 * starts with and what `startChild` can fail with.
 */
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import type * as Process from "@effect-otp/supervisor/Process"
import type * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type { Name } from "./name.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/dynamic-supervisor/DynamicSupervisor")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export const ChildTypeId: unique symbol = Symbol.for("@effect-otp/dynamic-supervisor/DynamicSupervisor/Child")

/**
 * @since 0.1.0
 * @category type ids
 */
export type ChildTypeId = typeof ChildTypeId

/**
 * A running dynamic supervisor. `Extra` is the value every child's start receives
 * (OTP's `extra_arguments`).
 *
 * @since 0.1.0
 * @category models
 */
export interface DynamicSupervisor<out Extra = void> extends Pipeable {
  readonly [TypeId]: TypeId
  readonly extraArguments: Extra
  /** The supervisor's own process: await it to learn when and why it stopped. */
  readonly process: Process.ProcessRef
}

/**
 * `true` for a running dynamic supervisor (what `DynamicSupervisor.start` returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isDynamicSupervisor = (u: unknown): u is DynamicSupervisor<unknown> =>
  typeof u === "object" && u !== null && TypeId in u

/**
 * A child of a dynamic supervisor, stable across its restarts: use it to terminate the
 * child even while it is being restarted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Child<out A> extends Pipeable {
  readonly [ChildTypeId]: ChildTypeId
  /** What the first incarnation's start returned (e.g. a GenServer ref). */
  readonly value: A
  /** The first incarnation. */
  readonly initial: Process.ProcessRef
}

/**
 * A child as `whichChildren` reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildInfo {
  readonly child: Child<unknown>
  /** The id of the spec the child was started with (informational: ids need not be unique). */
  readonly id: string
  readonly status: "running" | "restarting"
  readonly process: Option.Option<Process.ProcessRef>
  /** What the running incarnation's start returned (e.g. its GenServer ref). */
  readonly value: Option.Option<unknown>
  readonly type: ChildSpec.ChildType
  readonly restarts: number
}

/**
 * `countChildren`'s result, counted as Elixir's `DynamicSupervisor.count_children`:
 * `specs` includes children being restarted, `active` does not.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildCounts {
  readonly specs: number
  readonly active: number
  readonly supervisors: number
  readonly workers: number
}

/**
 * What `DynamicSupervisor.start`, `layer`, `spawn` and `childSpec` take: the restart policy,
 * `maxChildren`, `extraArguments` and the supervisor's name (`N`: a label, or a
 * {@link Name} that registers it).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<Extra, N extends string | Name<Extra> | undefined = string | undefined> {
  /**
   * The supervisor's name: a string labels it in events, logs, metrics and spans (default
   * `"dynamic_supervisor"`); a {@link Name} also registers it, so that it can be reached by
   * name after its restarts (its key is then its label).
   */
  readonly name?: N
  /** Default {@link Restart.defaultPolicy}: 3 restarts in 5 seconds. */
  readonly restartPolicy?: Restart.Policy | undefined
  /** Default unlimited. Children being restarted count. */
  readonly maxChildren?: number | undefined
  /** Given to every child's start function, at start and at every restart. */
  readonly extraArguments?: Extra | undefined
}

/**
 * What `startChild` can fail with. A child whose start may find its registry name held
 * (its error type `E` has `AlreadyStarted`, as a named GenServer's) fails with that
 * `AlreadyStarted` as is, naming the child, not wrapped in `StartFailed` (Elixir's
 * `{:error, {:already_started, pid}}`).
 *
 * @since 0.1.0
 * @category errors
 */
export type StartChildError<E> =
  | SupervisorError.InvalidChildSpec
  | SupervisorError.MaxChildren
  | SupervisorError.StartFailed
  | Extract<E, SupervisorError.AlreadyStarted>
  | Extract<E, Process.Ignore>
