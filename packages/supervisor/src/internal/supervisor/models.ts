/**
 * The static supervisor's models: a running supervisor, its strategy, its options and
 * what they make it need, and how it reports its children.
 */
import type * as Duration from "effect/Duration"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Schedule from "effect/Schedule"
import type * as ChildSpec from "../../ChildSpec.js"
import type * as Process from "../../Process.js"
import type * as Registry from "../../Registry.js"
import type * as Restart from "../../Restart.js"
import type * as SupervisorError from "../../SupervisorError.js"
import type { Name } from "./target.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/supervisor/Supervisor")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A running supervisor.
 *
 * @since 0.1.0
 * @category models
 */
export interface Supervisor extends Pipeable {
  readonly [TypeId]: TypeId
  readonly strategy: Strategy
  /** The supervisor's own process: await it to learn when and why it stopped. */
  readonly process: Process.ProcessRef
}

/**
 * `true` for a running supervisor (what `Supervisor.start` returns).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isSupervisor = (u: unknown): u is Supervisor => typeof u === "object" && u !== null && TypeId in u

/**
 * Which children are restarted with a child that is restarted:
 * - `one_for_one`: only that child;
 * - `one_for_all`: every child (the others are stopped in reverse order first);
 * - `rest_for_one`: that child and the children started after it.
 *
 * @since 0.1.0
 * @category models
 */
export type Strategy = "one_for_one" | "one_for_all" | "rest_for_one"

/**
 * When the supervisor stops by itself because significant children ended (OTP 24):
 * `never` (default), `any_significant`, `all_significant`.
 *
 * @since 0.1.0
 * @category models
 */
export type AutoShutdown = "never" | "any_significant" | "all_significant"

/**
 * A supervisor's options as a value (what `ChildKind.decodeTree` yields): the strategy,
 * the children in start order (they need `R`), the restart policy, `autoShutdown` and
 * the supervisor's label. Give it to `Supervisor.start`, `layer`, `spawn`, `run` or
 * `childSpec`, which take {@link StartOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R = never>
  extends StartOptions<ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>>, string | undefined>
{}

/**
 * What `Supervisor.start`, `layer`, `spawn`, `run` and `childSpec` take, typed from the
 * whole child list: the supervisor needs what all its `Children` need (see
 * {@link Context}), as `Effect.all` needs what all its effects need. A `name` that is a
 * {@link Name} registers the supervisor (its start then needs the `Registry`).
 *
 * **Example**
 *
 * ```ts
 * import { Context, Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * class Db extends Context.Tag("Db")<Db, { readonly query: Effect.Effect<void> }>() {}
 * class Cache extends Context.Tag("Cache")<Cache, { readonly warm: Effect.Effect<void> }>() {}
 *
 * // Effect<Supervisor, StartError, Db | Cache | Scope>, with no annotation
 * const start = Supervisor.start({
 *   children: [
 *     ChildSpec.make({ id: "db", start: Effect.flatMap(Db, (db) => db.query) }),
 *     ChildSpec.make({ id: "cache", start: Effect.flatMap(Cache, (cache) => cache.warm) })
 *   ]
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface StartOptions<
  Children extends ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, unknown>>,
  N extends string | Name | undefined = string | undefined
> {
  /**
   * The supervisor's name: a string labels it in events, logs, metrics and spans (default
   * `"supervisor"`); a {@link Name} also registers it, so that it can be reached by name
   * after its restarts (its key is then its label).
   */
  readonly name?: N
  /** Default `"one_for_one"`. */
  readonly strategy?: Strategy | undefined
  /** Started in order at boot, stopped in reverse order. */
  readonly children?: Children | undefined
  /** Default {@link Restart.defaultPolicy}: 3 restarts in 5 seconds. */
  readonly restartPolicy?: Restart.Policy | undefined
  /** Default `"never"`. */
  readonly autoShutdown?: AutoShutdown | undefined
  /** A backoff for children whose spec has none. */
  readonly backoff?: Schedule.Schedule<unknown, Restart.Crash> | undefined
  /** A backoff reset for children whose spec has none. */
  readonly resetBackoffAfter?: Duration.DurationInput | undefined
}

/**
 * What a supervisor started with these children and this name needs: the union of what
 * its children need, and the `Registry` when its name is a {@link Name}.
 *
 * **Example**
 *
 * ```ts
 * import type { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 *
 * type Needs = Supervisor.Context<
 *   [ChildSpec.ChildSpec<unknown, never, "Db">, ChildSpec.ChildSpec<unknown, never, "Cache">],
 *   Supervisor.Name
 * > // "Db" | "Cache" | Registry.Registry
 * const needs: Needs = "Db"
 * ```
 *
 * @since 0.3.0
 * @category type-level
 */
export type Context<Children extends ReadonlyArray<unknown>, N = undefined> =
  | ChildContext<Children[number]>
  | (N extends Name ? Registry.Registry : never)

type ChildContext<C> = C extends ChildSpec.ChildSpec<infer _A, infer _E, infer R> ? R : never

/**
 * What a supervisor with this name can fail to start with besides {@link StartError}:
 * `AlreadyStarted` when its name is a {@link Name} held by another running process.
 *
 * @since 0.3.0
 * @category type-level
 */
export type NameError<N> = N extends Name ? SupervisorError.AlreadyStarted : never

/**
 * What a supervisor's start can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartError =
  | SupervisorError.InvalidOptions
  | SupervisorError.InvalidChildSpec
  | SupervisorError.DuplicateChildId
  | SupervisorError.StartFailed

/**
 * A child as `whichChildren` and `whichChild` report it. `A` is the type of its value:
 * `unknown`, or the spec's value type when the child is looked up by its spec.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildInfo<out A = unknown> {
  readonly id: string
  readonly status: ChildStatus
  /** The running incarnation, if any. */
  readonly process: Option.Option<Process.ProcessRef>
  /** What the running incarnation's start returned (a GenServer ref, a child supervisor). */
  readonly value: Option.Option<A>
  readonly type: ChildSpec.ChildType
  /** How many times the supervisor restarted this child. */
  readonly restarts: number
}

/**
 * A child's status: `running`, `restarting` (a restart is pending: a backoff delay or a
 * failed start being retried) or `stopped` (not running, spec kept).
 *
 * @since 0.1.0
 * @category models
 */
export type ChildStatus = "running" | "restarting" | "stopped"

/**
 * `countChildren`'s result (OTP's `count_children`): `specs` children known, `active`
 * running, and how many specs are `supervisors` and `workers`.
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
