/**
 * A process's constructors, from a plain effect or from an `init` and a body, and what
 * the body may use: the running process (`Self`), and the marker that declines a start.
 */
import type * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as internal from "../process.js"
import type { ProcessRef, Spawn } from "./models.js"

/**
 * The running process, available inside its own body: `yield* Process.Self`.
 *
 * @since 0.1.0
 * @category context
 */
export const Self: Context.Tag<Self, ProcessRef> = internal.Self

/**
 * The type of the {@link Self} tag: a process's body that reads itself requires it, and
 * the process provides it.
 *
 * @since 0.1.0
 * @category context
 */
export type Self = internal.Self

/**
 * A process whose body is an effect. It counts as started as soon as it is forked; it
 * ends when the effect ends (success is a `Normal` exit). The body may use a `Scope`
 * (released when the incarnation ends) and {@link Self}.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schedule } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const poller = Process.fromEffect(
 *   Effect.log("polling").pipe(Effect.repeat(Schedule.spaced("1 second")))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEffect = <E, R>(
  body: Effect.Effect<unknown, E, R>
): Spawn<ProcessRef, never, Exclude<R, Scope.Scope | Self>> => internal.spawnEffect(body)

/**
 * A process with an initialization step. The start returns only after `init` succeeded
 * (OTP's synchronous `init`); a failing `init` fails the start with its error, after the
 * process has ended. `init` may decline to start with {@link ignore}. Resources acquired
 * in `init` live until the process ends.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Queue } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const worker = Process.withInit(
 *   Queue.unbounded<string>(),
 *   (queue) => Queue.take(queue).pipe(Effect.flatMap(Effect.log), Effect.forever)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const withInit = <S, E, R, E2, R2>(
  init: Effect.Effect<S, E, R>,
  run: (state: S) => Effect.Effect<unknown, E2, R2>
): Spawn<ProcessRef, E, Exclude<R | R2, Scope.Scope | Self>> => internal.spawnWithInit(init, run, (process) => process)

/**
 * The most general process: `init` (as in {@link withInit}), then `run` with the state
 * `init` produced; starting yields `value(state, process)`, what callers use to reach
 * the process (a GenServer ref, a supervisor handle).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <S, E, R, E2, R2, A>(options: {
  readonly init: Effect.Effect<S, E, R>
  readonly run: (state: S, process: ProcessRef) => Effect.Effect<unknown, E2, R2>
  readonly value: (state: S, process: ProcessRef) => A
}): Spawn<A, E, Exclude<R | R2, Scope.Scope | Self>> =>
  internal.spawnWithInit(options.init, options.run, (process, state) => options.value(state, process))

/**
 * The marker an `init` fails with to decline to start (OTP `ignore`).
 *
 * @since 0.1.0
 * @category models
 */
export type Ignore = internal.StartIgnored

/**
 * `true` for the "decline to start" marker (its `_tag` is `"StartIgnored"`), e.g. to
 * tell it from other errors of `startChild`.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isIgnore = (u: unknown): u is Ignore => u instanceof internal.StartIgnored

/**
 * Fails an `init` with the "decline to start" marker: the supervisor records the child
 * as not running (or forgets it, if `temporary`) and the start does not fail.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ignore: Effect.Effect<never, Ignore> = internal.ignoreEffect
