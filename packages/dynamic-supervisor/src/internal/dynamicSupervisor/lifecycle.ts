/**
 * A dynamic supervisor's life: as a process, started in a scope, as a layer or as a
 * `Supervisor`'s child, and stopped.
 */
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import * as Process from "@effect-otp/supervisor/Process"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Tag from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { DynamicSupervisor, Options } from "./models.js"
import type { Context, Name, NameError } from "./name.js"
import * as internalSpawn from "./spawn.js"
import { DynamicSupervisorImpl } from "./supervisor.js"
import { type Target, type TargetContext, type TargetError, withTarget } from "./target.js"

/**
 * A dynamic supervisor as a process, for {@link start} or as a child of a `Supervisor`
 * (see {@link childSpec}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const spawn = <Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  options: Options<Extra, N> = {}
): Process.Spawn<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>> =>
  internalSpawn.spawn(
    options,
    (hub, policy, maxChildren, self) =>
      new DynamicSupervisorImpl(hub, policy, maxChildren, options.extraArguments as Extra, self)
  ) as unknown as Process.Spawn<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>>

/**
 * Starts a dynamic supervisor (with no children) in the current scope; closing the scope
 * stops all its children at once, each within its shutdown deadline.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = <Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  options: Options<Extra, N> = {}
): Effect.Effect<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N> | Scope.Scope> =>
  Engine.startScoped(spawn(options))

/**
 * A layer that starts a dynamic supervisor when built and stops it when released.
 *
 * **Example**
 *
 * ```ts
 * import { Context } from "effect"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * class Rooms extends Context.Tag("Rooms")<Rooms, DynamicSupervisor.DynamicSupervisor>() {}
 *
 * const RoomsLive = DynamicSupervisor.layer(Rooms)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <I, Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  tag: Tag.Tag<I, DynamicSupervisor<Extra>>,
  options: Options<Extra, N> = {}
): Layer.Layer<I, SupervisorError.InvalidOptions | NameError<N>, Context<N>> =>
  Layer.scoped(tag, start(options)) as Layer.Layer<I, SupervisorError.InvalidOptions | NameError<N>, Context<N>>

/**
 * A child spec for a dynamic supervisor under a `Supervisor` (`type: "supervisor"`,
 * `shutdown: "infinity"` unless given), as in the lesson's chat application.
 *
 * **Example**
 *
 * ```ts
 * import { Supervisor } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const app = Supervisor.start({
 *   children: [DynamicSupervisor.childSpec({ id: "rooms" })]
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const childSpec = <Extra = void, N extends string | Name<Extra> | undefined = undefined>(
  options: Options<Extra, N> & Omit<ChildSpec.Options, "type">
): ChildSpec.ChildSpec<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>> => {
  // the child-spec fields are the spec's, the rest are the supervisor's (checked when it starts)
  const {
    backoff: _backoff,
    id: _id,
    resetBackoffAfter: _resetBackoffAfter,
    restart: _restart,
    shutdown: _shutdown,
    significant: _significant,
    startTimeout: _startTimeout,
    ...supervisorOptions
  } = options
  return Engine.supervisorChildSpec(
    options,
    spawn<Extra, string | Name<Extra>>({ ...supervisorOptions, name: options.name ?? options.id })
  ) as ChildSpec.ChildSpec<DynamicSupervisor<Extra>, SupervisorError.InvalidOptions | NameError<N>, Context<N>>
}

/**
 * Stops the dynamic supervisor, as its scope's end would: all its children are stopped at
 * once, each within its shutdown deadline (a child past its deadline counts as `Killed`
 * and is listed by {@link unstopped}), then the supervisor exits with `shutdown`; `stop`
 * returns once it has. Stopping a stopped supervisor does nothing. A supervisor under
 * another one is restarted by its parent like any child that exited (unless it is
 * `temporary`, or `transient` and stopped normally): to stop it for good, use the
 * parent's `terminateChild`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Registry } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const Uploads = DynamicSupervisor.name("Uploads")
 *
 * const program = Effect.gen(function*() {
 *   yield* DynamicSupervisor.start({ name: Uploads })
 *   yield* DynamicSupervisor.startChild(Uploads, ChildSpec.make({ id: "upload", start: Effect.never }))
 *   yield* DynamicSupervisor.stop(Uploads) // the upload is stopped, then the supervisor
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const stop = <S extends Target>(self: S): Effect.Effect<void, TargetError<S>, TargetContext<S>> =>
  withTarget(self, (supervisor) => Effect.asVoid(Process.stop(supervisor.process)))
