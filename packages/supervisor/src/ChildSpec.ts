/**
 * Child specifications: how a supervisor starts, restarts and stops one child.
 *
 * A spec pairs a typed `start` (an effect or a {@link Process.Spawn}) with data (`id`,
 * `restart`, `shutdown`, `type`, `significant`) described by a Schema, so the data part
 * can be decoded from JSON or configuration with errors that name the bad field.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as internal from "./internal/childSpec.js"
import * as internalSchema from "./internal/childSpecSchema.js"
import type * as Process from "./Process.js"
import type * as Restart from "./Restart.js"

// -----------------------------------------------------------------------------
// Models
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * When a child that exited by itself is restarted (OTP restart types):
 * `permanent` always, `transient` only after an abnormal exit, `temporary` never.
 *
 * @since 0.1.0
 * @category models
 */
export type RestartType = "permanent" | "transient" | "temporary"

/**
 * `worker`, or `supervisor` for a child that is itself a supervisor.
 *
 * @since 0.1.0
 * @category models
 */
export type ChildType = "worker" | "supervisor"

/**
 * How a child is stopped: interrupted, then waited for up to a `Duration` (past it the
 * child counts as `Killed` and is listed as unstopped until it ends; `0` asks and does
 * not wait); `"infinity"` waits as long as it takes; `"brutal_kill"` interrupts it as
 * `Killed` and waits for it without a deadline (Effect cannot skip finalizers, so they
 * still run: use a duration to bound the wait).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const patient = ChildSpec.make({ id: "flusher", start: Effect.never, shutdown: "30 seconds" })
 * const killed = ChildSpec.make({ id: "cache", start: Effect.never, shutdown: "brutal_kill" })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Shutdown = Duration.Duration | "brutal_kill" | "infinity"

/**
 * A complete child specification, every field filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildSpec<out A = unknown, out E = unknown, out R = never> extends Pipeable {
  readonly [TypeId]: TypeId
  readonly id: string
  readonly start: Process.Spawn<A, E, R>
  readonly restart: RestartType
  readonly shutdown: Shutdown
  readonly type: ChildType
  readonly significant: boolean
  /** A per-child delay between restarts (none by default). */
  readonly backoff: Option.Option<Schedule.Schedule<unknown, Restart.Crash>>
  /** Once an incarnation has run this long, the backoff starts over. */
  readonly resetBackoffAfter: Option.Option<Duration.Duration>
  /**
   * How long a start may take (none by default, as in OTP): past it the start is
   * interrupted and fails with `StartTimeout`, and the supervisor goes on.
   */
  readonly startTimeout: Option.Option<Duration.Duration>
}

/**
 * The data part of a child spec, as given by a user: everything but `id` is optional.
 *
 * **Example**
 *
 * ```ts
 * import type { ChildSpec } from "@effect-otp/supervisor"
 *
 * const options: ChildSpec.Options = { id: "worker", restart: "transient", shutdown: 1000, startTimeout: "5 seconds" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly id: string
  readonly restart?: RestartType | undefined
  readonly shutdown?: Duration.DurationInput | "brutal_kill" | "infinity" | undefined
  readonly type?: ChildType | undefined
  readonly significant?: boolean | undefined
  readonly backoff?: Schedule.Schedule<unknown, Restart.Crash> | undefined
  readonly resetBackoffAfter?: Duration.DurationInput | undefined
  readonly startTimeout?: Duration.DurationInput | undefined
}

/**
 * The data part of a child spec with every field filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Data {
  readonly id: string
  readonly restart: RestartType
  readonly shutdown: Shutdown
  readonly type: ChildType
  readonly significant: boolean
}

/**
 * The data part of a child spec as it is written in JSON or configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface DataEncoded {
  readonly id: string
  readonly restart?: RestartType
  readonly shutdown?: number | string
  readonly type?: ChildType
  readonly significant?: boolean
}

// -----------------------------------------------------------------------------
// Constructors
// -----------------------------------------------------------------------------

/**
 * Builds a child spec. `start` is either an effect (the child's body, started as soon as
 * it is forked; it may use a `Scope` released when the incarnation ends) or a
 * `Process.Spawn` (e.g. a GenServer or a supervisor, started when initialized).
 *
 * Defaults (OTP's): `restart: "permanent"`, `type: "worker"`, `shutdown: "5 seconds"`
 * for workers and `"infinity"` for supervisors, `significant: false`. Values are checked
 * when the spec is given to a supervisor, which rejects invalid ones with
 * `InvalidChildSpec`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const ticker = ChildSpec.make({
 *   id: "ticker",
 *   start: Effect.log("tick").pipe(Effect.delay("1 second"), Effect.forever),
 *   restart: "transient",
 *   shutdown: "1 second"
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export function make<A, E, R>(options: Options & { readonly start: Process.Spawn<A, E, R> }): ChildSpec<A, E, R>
export function make<E, R>(
  options: Options & { readonly start: Effect.Effect<unknown, E, R> }
): ChildSpec<Process.ProcessRef, never, Exclude<R, Scope.Scope | Process.Self>>
export function make(options: Options & { readonly start: unknown }): ChildSpec<unknown, unknown, unknown> {
  return internal.make(options)
}

/**
 * Builds a spec from decoded data and a start.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildSpec, Process } from "@effect-otp/supervisor"
 *
 * const data = Schema.decodeUnknownSync(ChildSpec.DataSchema)({ id: "worker", restart: "transient" })
 * const spec = ChildSpec.fromData(data, Process.fromEffect(Effect.never))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromData: <A, E, R>(data: Data, start: Process.Spawn<A, E, R>) => ChildSpec<A, E, R> = internal.fromData

/**
 * Returns a copy of a spec with some fields replaced (Elixir's
 * `Supervisor.child_spec/2` overrides).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const worker = ChildSpec.make({ id: "worker", start: Effect.never })
 * const second = ChildSpec.override(worker, { id: "worker-2", restart: "transient" })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const override: <A, E, R>(
  self: ChildSpec<A, E, R>,
  overrides: Partial<Omit<Options, "backoff" | "resetBackoffAfter" | "startTimeout">>
) => ChildSpec<A, E, R> = internal.override

/**
 * A duration option as `make` reads it (used by `Supervisor.start` for its own options).
 * @internal
 */
export const decodeDurationOption = internal.decodeDurationOption

// -----------------------------------------------------------------------------
// Refinements and validation
// -----------------------------------------------------------------------------

/**
 * `true` for a child spec made by `ChildSpec.make` (or a constructor built on it).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * ChildSpec.isChildSpec(ChildSpec.make({ id: "worker", start: Effect.never })) // true
 * ChildSpec.isChildSpec({ id: "worker" }) // false
 * ```
 *
 * @since 0.1.0
 * @category refinements
 */
export const isChildSpec = (u: unknown): u is ChildSpec<unknown, unknown, unknown> =>
  typeof u === "object" && u !== null && TypeId in u

/**
 * Checks a spec's data. The message names the field and the value, e.g.
 * `shutdown: a shutdown must not be negative, got -10` or
 * `restart: expected "permanent", "transient" or "temporary", got "sometimes"`. Used by
 * supervisors before they accept a spec.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const spec = ChildSpec.make({ id: "worker", start: Effect.never, shutdown: -10 })
 * ChildSpec.validate(spec) // Either.left("shutdown: a shutdown must not be negative, got -10")
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validate: (spec: ChildSpec<unknown, unknown, unknown>) => Either.Either<void, string> = internal.validate

// -----------------------------------------------------------------------------
// Schema of the data part
// -----------------------------------------------------------------------------

/**
 * The restart type, as a Schema. A bad value is reported as
 * `expected "permanent", "transient" or "temporary", got "sometimes"`.
 *
 * **Example**
 *
 * ```ts
 * import { Schema } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const restart = Schema.decodeUnknownSync(ChildSpec.RestartTypeSchema)("transient")
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const RestartTypeSchema: Schema.Literal<["permanent", "transient", "temporary"]> =
  internalSchema.RestartTypeSchema

/**
 * The child type, as a Schema. A bad value is reported as
 * `expected "worker" or "supervisor", got "boss"`.
 *
 * **Example**
 *
 * ```ts
 * import { Schema } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const type = Schema.decodeUnknownSync(ChildSpec.ChildTypeSchema)("supervisor")
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChildTypeSchema: Schema.Literal<["worker", "supervisor"]> = internalSchema.ChildTypeSchema

/**
 * The shutdown value as data: `"brutal_kill"`, `"infinity"`, a non-negative number of
 * milliseconds, or a non-negative duration string (`"5 seconds"`). Encodes an infinite
 * duration as `"infinity"` and any other duration as milliseconds. A bad value is
 * reported as `a shutdown must not be negative, got -1`, or as
 * `expected "brutal_kill", "infinity", a number of milliseconds >= 0 or a duration such as "5 seconds", got "soon"`.
 *
 * **Example**
 *
 * ```ts
 * import { Schema } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const shutdown = Schema.decodeUnknownSync(ChildSpec.ShutdownSchema)("2 seconds") // Duration(2s)
 * const encoded = Schema.encodeSync(ChildSpec.ShutdownSchema)(shutdown) // 2000
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const ShutdownSchema: Schema.Schema<Shutdown, number | string> = internalSchema.ShutdownSchema

/**
 * The data part of a child spec decoded from JSON-like input: unknown keys are rejected,
 * defaults are filled in (`restart: "permanent"`, `type: "worker"`, `shutdown` 5000 ms
 * for workers and `"infinity"` for supervisors, `significant: false`), `significant`
 * with `permanent` is rejected. Every issue points at its field, e.g. `["shutdown"]` with
 * `a shutdown must not be negative, got -1`.
 *
 * **Example**
 *
 * ```ts
 * import { Schema } from "effect"
 * import { ChildSpec } from "@effect-otp/supervisor"
 *
 * const data = Schema.decodeUnknownSync(ChildSpec.DataSchema)({ id: "cache", shutdown: 1000 })
 * // { id: "cache", restart: "permanent", type: "worker", shutdown: Duration(1s), significant: false }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSchema: Schema.Schema<Data, DataEncoded> = internalSchema.DataSchema
