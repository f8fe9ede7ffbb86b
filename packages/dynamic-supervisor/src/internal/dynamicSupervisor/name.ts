/**
 * A dynamic supervisor's registered name, and what a name asks of its start: the
 * `Registry`, and `AlreadyStarted` when another process holds it.
 */
import * as Registry from "@effect-otp/supervisor/Registry"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Types from "effect/Types"

/**
 * @since 0.3.0
 * @category type ids
 */
export const NameTypeId: unique symbol = Symbol.for("@effect-otp/dynamic-supervisor/DynamicSupervisor/Name")

/**
 * @since 0.3.0
 * @category type ids
 */
export type NameTypeId = typeof NameTypeId

/**
 * A dynamic supervisor's registered name (Elixir's `name: ChatApp.RoomSupervisor`),
 * carrying the type of its `extraArguments`: given as the supervisor's `name`, it
 * registers the supervisor in the `Registry` once started, and follows its restarts
 * (after its parent restarts it, the name is the new incarnation's). Every operation
 * takes the supervisor or its name.
 *
 * @since 0.3.0
 * @category models
 */
export interface Name<out Extra = void> extends Registry.Name {
  readonly [NameTypeId]: { readonly _Extra: Types.Covariant<Extra> }
}

/**
 * Makes a dynamic supervisor's name; `Extra` is the type of its `extraArguments`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Registry, Supervisor } from "@effect-otp/supervisor"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 *
 * const Rooms = DynamicSupervisor.name("ChatApp.RoomSupervisor")
 *
 * const program = Effect.gen(function*() {
 *   yield* Supervisor.start({ children: [DynamicSupervisor.childSpec({ id: "rooms", name: Rooms })] })
 *   // as Elixir's DynamicSupervisor.start_child(ChatApp.RoomSupervisor, spec)
 *   yield* DynamicSupervisor.startChild(Rooms, ChildSpec.make({ id: "room", start: Effect.never }))
 * }).pipe(Effect.scoped, Effect.provide(Registry.layer))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const name = <Extra = void>(key: string): Name<Extra> => Registry.name(key) as Name<Extra>

/**
 * What a dynamic supervisor with this name needs to start (the `Registry` for a
 * {@link Name}): its children's requirements are those of each `startChild`.
 *
 * @since 0.3.0
 * @category type-level
 */
export type Context<N> = N extends Name<infer _Extra> ? Registry.Registry : never

/**
 * What a dynamic supervisor with this name can fail to start with besides
 * `InvalidOptions`: `AlreadyStarted` when its name is a {@link Name} held by another
 * running process.
 *
 * @since 0.3.0
 * @category type-level
 */
export type NameError<N> = N extends Name<infer _Extra> ? SupervisorError.AlreadyStarted : never
