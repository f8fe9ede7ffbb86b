/**
 * How a supervisor's operations find the supervisor they are given: the supervisor
 * itself, or the one registered under its name, found in the `Registry` when the
 * operation runs.
 */
import * as Effect from "effect/Effect"
import type * as Registry from "../../Registry.js"
import { lookup } from "./name.js"

/** Runs `f` on the supervisor `self` is, or is the registered name of. */
export type Targeting<I> = <A, E, R>(
  self: object,
  f: (supervisor: I) => Effect.Effect<A, E, R>
) => Effect.Effect<A, E | Registry.NoProcess, R | Registry.Registry>

/**
 * The targeting of the supervisors `refine` accepts (`kind` names them when a name is
 * held by something else).
 */
export const targeting = <I>(refine: (u: unknown) => u is I, kind: string): Targeting<I> => (self, f) =>
  refine(self) ? f(self) : Effect.flatMap(lookup((self as Registry.Name).key, refine, kind), f)
