/**
 * Starting one incarnation of a process outside a supervisor: waiting for its `init`
 * (`run`, `runScoped`), or not (`start`).
 */
import * as Effect from "effect/Effect"
import type * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import * as internal from "../process.js"
import type { Spawn, Started, Starting } from "./models.js"
import { stop } from "./signals.js"

/**
 * Starts one incarnation of a process outside any supervisor, and returns once it is
 * initialized. The caller owns it: stop it with {@link stop} or {@link shutdown}. A
 * `supervised` process keeps its registrations (names) reserved after it ends, until
 * its supervisor releases them (when it will not restart it).
 *
 * This is the building block of supervisors; applications usually start processes
 * through a supervisor instead.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const run = <A, E, R>(
  spawn: Spawn<A, E, R>,
  options?: { readonly supervised?: boolean | undefined }
): Effect.Effect<Started<A>, E, R> =>
  options?.supervised === true ? (spawn as internal.SpawnImpl<A, E, R>).runSupervised : spawn.run

/**
 * Starts one incarnation of a process, like {@link run}, tied to the current `Scope`: it
 * is stopped (`Process.stop`) when the scope closes. The start itself is not interrupted
 * half-way: a process that started is always stopped with the scope.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const started = yield* Process.runScoped(Process.fromEffect(Effect.never))
 *   if (started._tag === "Started") yield* Effect.log(`running ${started.process}`)
 *   // the scope closes here: the process is stopped
 * }))
 * ```
 *
 * @since 0.2.0
 * @category lifecycle
 */
export const runScoped = <A, E, R>(spawn: Spawn<A, E, R>): Effect.Effect<Started<A>, E, R | Scope.Scope> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.tap(
      restore(spawn.run),
      (started) => started._tag === "Started" ? Effect.addFinalizer(() => stop(started.process)) : Effect.void
    )
  )

/**
 * Starts one incarnation of a process like {@link run}, but returns as soon as its fiber
 * first suspends, without waiting for its `init` to end: the outcome is then in
 * `poll` when `init` needed no I/O. `origin` gives the context, fiber refs and runtime
 * flags the process starts with (by default, the current fiber's): a supervisor passes
 * its own, so that its children inherit them whoever asked for the start.
 *
 * This is a building block of supervisors, for starts without a trip through the
 * scheduler; everyone else wants {@link run}.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { Process } from "@effect-otp/supervisor"
 *
 * const program = Effect.gen(function*() {
 *   const starting = yield* Process.start(Process.fromEffect(Effect.never))
 *   // a plain effect needs no init: the outcome is there at once
 *   yield* Effect.log(Option.isSome(starting.poll)) // true
 *   const started = yield* starting.await
 *   if (started._tag === "Started") yield* Process.stop(started.process)
 * })
 * ```
 *
 * @since 0.2.0
 * @category lifecycle
 */
export const start = <A, E, R>(
  spawn: Spawn<A, E, R>,
  options?: {
    readonly supervised?: boolean | undefined
    readonly origin?: Runtime.Runtime<R> | undefined
  }
): Effect.Effect<Starting<A, E>, never, R> =>
  (spawn as internal.SpawnImpl<A, E, R>).start(
    options?.supervised === true,
    options?.origin as internal.Origin | undefined
  )
