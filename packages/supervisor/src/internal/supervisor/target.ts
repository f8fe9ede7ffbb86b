/**
 * What every operation of a static supervisor takes: the supervisor, or the name it is
 * registered under, found in the `Registry` when the operation runs.
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import { targeting } from "../../Engine.js"
import type * as Registry from "../../Registry.js"
import type * as SupervisorEvent from "../../SupervisorEvent.js"
import * as internalRegistry from "../registry.js"
import type { Supervisor } from "./models.js"
import { SupervisorImpl } from "./supervisorImpl.js"

/**
 * @since 0.3.0
 * @category type ids
 */
export const NameTypeId: unique symbol = Symbol.for("@effect-otp/supervisor/Supervisor/Name")

/**
 * @since 0.3.0
 * @category type ids
 */
export type NameTypeId = typeof NameTypeId

/**
 * A supervisor's registered name (Elixir's `name: ChatApp.Supervisor`): given as the
 * supervisor's `name`, it registers the supervisor in the `Registry` once its children
 * have started, and follows its restarts (after its parent restarts it, the name is the
 * new incarnation's). Every operation takes the supervisor or its name.
 *
 * @since 0.3.0
 * @category models
 */
export interface Name extends Registry.Name {
  readonly [NameTypeId]: NameTypeId
}

/**
 * Makes a supervisor's name.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Registry, Supervisor } from "@effect-otp/supervisor"
 *
 * const Workers = Supervisor.name("MyApp.Workers")
 *
 * const program = Effect.gen(function*() {
 *   yield* Supervisor.start({ name: Workers, children: [] })
 *   yield* Supervisor.startChild(Workers, ChildSpec.make({ id: "worker", start: Effect.never }))
 *   return yield* Supervisor.countChildren(Workers) // { specs: 1, active: 1, ... }
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const name = (key: string): Name => internalRegistry.makeName<Name>(key)

/**
 * A supervisor, or the {@link Name} it is registered under: what every operation takes.
 *
 * @since 0.3.0
 * @category models
 */
export type Target = Supervisor | Name

/**
 * What an operation on a supervisor or its name can fail with besides its own errors:
 * `NoProcess` for a name that no supervisor holds (and none will). The same for every
 * kind of supervisor (a `DynamicSupervisor`'s operations use it too).
 *
 * @since 0.3.0
 * @category type-level
 */
export type TargetError<S> = S extends Registry.Name ? Registry.NoProcess : never

/**
 * What an operation on a supervisor or its name needs: the `Registry` for a name.
 *
 * @since 0.3.0
 * @category type-level
 */
export type TargetContext<S> = S extends Registry.Name ? Registry.Registry : never

/**
 * An operation on a {@link Target} (a supervisor or its name) that succeeds with `A` or
 * fails with `E`, besides {@link TargetError}, and needs {@link TargetContext}. `T` is the
 * kind of target: a `DynamicSupervisor`'s operations are `Operation<A, E,
 * DynamicSupervisor.Target>`.
 *
 * @since 0.3.0
 * @category type-level
 */
export type Operation<A, E = never, T = Target> = <S extends T>(
  self: S
) => Effect.Effect<A, E | TargetError<S>, TargetContext<S>>

/**
 * An {@link Operation} on one child, given by `K` (its id, its handle or its process),
 * with Effect's two forms: `terminateChild(supervisor, id)` and, in a pipe,
 * `terminateChild(id)(supervisor)`.
 *
 * @since 0.3.0
 * @category type-level
 */
export interface ChildOperation<K, A, E = never, T = Target> {
  (key: K): <S extends T>(self: S) => Effect.Effect<A, E | TargetError<S>, TargetContext<S>>
  <S extends T>(self: S, key: K): Effect.Effect<A, E | TargetError<S>, TargetContext<S>>
}

/**
 * The type of `events`: a supervisor's events as a `Stream`, its own or with `subtree:
 * true` also those of the supervisors under it.
 *
 * @since 0.3.0
 * @category type-level
 */
export type EventsOperation<T = Target> = <S extends T>(
  self: S,
  options?: { readonly subtree?: boolean | undefined }
) => Stream.Stream<SupervisorEvent.SupervisorEvent, TargetError<S>, TargetContext<S>>

/**
 * The supervisor behind its public interface.
 * @internal
 */
export const impl = (self: Supervisor): SupervisorImpl => self as unknown as SupervisorImpl

const target = targeting((u: unknown): u is SupervisorImpl => u instanceof SupervisorImpl, "supervisor")

/**
 * Runs `f` on the supervisor, found by its name if given one.
 * @internal
 */
export const withTarget = <S extends Target, A, E, R = never>(
  self: S,
  f: (supervisor: SupervisorImpl) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | TargetError<S>, R | TargetContext<S>> =>
  target(self, f) as Effect.Effect<A, E | TargetError<S>, R | TargetContext<S>>
