/**
 * What every operation takes, a dynamic supervisor or the name it is registered under,
 * and how an operation finds the supervisor behind it.
 */
import * as Engine from "@effect-otp/supervisor/Engine"
import type * as Supervisor from "@effect-otp/supervisor/Supervisor"
import type * as Effect from "effect/Effect"
import type { DynamicSupervisor } from "./models.js"
import type { Name } from "./name.js"
import { DynamicSupervisorImpl } from "./supervisor.js"

/**
 * A dynamic supervisor, or the {@link Name} it is registered under: what every operation
 * takes.
 *
 * @since 0.3.0
 * @category models
 */
export type Target<Extra = unknown> = DynamicSupervisor<Extra> | Name<Extra>

/**
 * What an operation on a {@link Target} can fail with besides its own errors:
 * `NoProcess` for a name that no supervisor holds (and none will).
 *
 * @since 0.3.0
 * @category type-level
 */
export type TargetError<S> = Supervisor.TargetError<S>

/**
 * What an operation on a {@link Target} needs: the `Registry` for a name.
 *
 * @since 0.3.0
 * @category type-level
 */
export type TargetContext<S> = Supervisor.TargetContext<S>

/**
 * An operation on a {@link Target} (a supervisor or its name) that succeeds with `A` or
 * fails with `E`, besides {@link TargetError}, and needs {@link TargetContext}.
 *
 * @since 0.3.0
 * @category type-level
 */
export type Operation<A, E = never> = Supervisor.Operation<A, E, Target>

/**
 * The `extraArguments` type of a dynamic supervisor or of its name.
 *
 * @since 0.3.0
 * @category type-level
 */
export type ExtraOf<S> = S extends Target<infer Extra> ? Extra : never

/**
 * The supervisor behind the interface (every `DynamicSupervisor` is one).
 *
 * @internal
 */
export const impl = <Extra>(self: DynamicSupervisor<Extra>) => self as unknown as DynamicSupervisorImpl<Extra>

const target = Engine.targeting(
  (u: unknown): u is DynamicSupervisorImpl<unknown> => u instanceof DynamicSupervisorImpl,
  "dynamic supervisor"
)

/**
 * Runs `f` on the supervisor, found by its name if given one.
 *
 * @internal
 */
export const withTarget = <S extends Target, A, E, R = never>(
  self: S,
  f: (supervisor: DynamicSupervisorImpl<unknown>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | TargetError<S>, R | TargetContext<S>> =>
  target(self, f) as Effect.Effect<A, E | TargetError<S>, R | TargetContext<S>>
