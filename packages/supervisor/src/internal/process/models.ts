/**
 * A process's models: one incarnation (`ProcessRef`), how to start one (`Spawn`), and what
 * a start gives (`Started`, `Starting`).
 */
import type * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as ExitReason from "../../ExitReason.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/supervisor/Process")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * One incarnation of a process: a fiber with a process id and an exit reason.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProcessRef extends Pipeable {
  readonly [TypeId]: TypeId
  /** A number unique to this incarnation in this JavaScript process (OTP's pid). */
  readonly pid: number
  /** Waits for the process to end and returns why it ended. Never fails. */
  readonly await: Effect.Effect<ExitReason.ExitReason>
  /** Why the process ended, or `None` while it runs. */
  readonly poll: Option.Option<ExitReason.ExitReason>
}

/**
 * `true` for a process (one incarnation: a `ProcessRef`).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isProcessRef = (u: unknown): u is ProcessRef => typeof u === "object" && u !== null && TypeId in u

/**
 * @since 0.1.0
 * @category type ids
 */
export const SpawnTypeId: unique symbol = Symbol.for("@effect-otp/supervisor/Process/Spawn")

/**
 * @since 0.1.0
 * @category type ids
 */
export type SpawnTypeId = typeof SpawnTypeId

/**
 * How to start one incarnation of a process. Starting yields `A` (what callers use to
 * reach the process), may fail with `E` (the start failed; the process is not running)
 * and needs `R`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Spawn<out A, out E = never, out R = never> extends Pipeable {
  readonly [SpawnTypeId]: SpawnTypeId
  /** @internal */
  readonly run: Effect.Effect<Started<A>, E, R>
}

/**
 * `true` for a `Spawn`: a description of how to start a process.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isSpawn = (u: unknown): u is Spawn<unknown, unknown, unknown> =>
  typeof u === "object" && u !== null && SpawnTypeId in u

/**
 * What starting a {@link Spawn} gives: the running process and its value, or `Ignored`
 * when the start declined.
 *
 * @since 0.1.0
 * @category models
 */
export type Started<A> =
  | { readonly _tag: "Started"; readonly process: ProcessRef; readonly value: A }
  | { readonly _tag: "Ignored" }

/**
 * A start under way (see {@link start}): its outcome once known, and a wait for it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Starting<out A, out E> {
  /** The outcome, `None` while `init` is still running. */
  readonly poll: Option.Option<Exit.Exit<Started<A>, E>>
  /** Waits for the outcome; interrupting the wait stops the process being started. */
  readonly await: Effect.Effect<Started<A>, E>
}
