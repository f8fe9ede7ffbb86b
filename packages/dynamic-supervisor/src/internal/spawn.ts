/**
 * A dynamic supervisor as a process: its options checked, its hub made, its loop run.
 */
import * as Engine from "@effect-otp/supervisor/Engine"
import * as Process from "@effect-otp/supervisor/Process"
import type * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { DynamicSupervisorImpl } from "./dynamicSupervisor.js"
import { validateOptions } from "./validate.js"

/** @internal */
export const spawn = <Extra>(
  options: {
    readonly name?: string | undefined
    readonly restartPolicy?: Restart.Policy | undefined
    readonly maxChildren?: number | undefined
  },
  make: (
    hub: Engine.Hub,
    policy: Restart.Policy,
    maxChildren: number,
    self: Engine.Self
  ) => DynamicSupervisorImpl<Extra>
): Process.Spawn<DynamicSupervisorImpl<Extra>, SupervisorError.InvalidOptions> => {
  const init: Effect.Effect<DynamicSupervisorImpl<Extra>, SupervisorError.InvalidOptions, Scope.Scope> = Effect
    .flatMap(
      Effect.suspend(() => validateOptions(options)),
      ({ maxChildren, policy }) =>
        Effect.flatMap(Engine.makeHub(options.name ?? "dynamic_supervisor"), (hub) =>
          // the supervisor's fiber refs (its path among them, set by `makeHub`) are its children's
          Effect.flatMap(Engine.self, (self) => {
            const supervisor = make(hub, policy, maxChildren, self)
            return Effect.as(Effect.addFinalizer((exit) => supervisor.terminate(exit)), supervisor)
          }))
    )
  return Process.make({
    init,
    run: (supervisor) => supervisor.loop,
    value: (supervisor, process) => {
      supervisor.process = process
      return supervisor
    }
  })
}

/** @internal */
export const startScoped = <A, E>(spawn: Process.Spawn<A, E>): Effect.Effect<A, E, Scope.Scope> =>
  Effect.flatMap(
    Process.runScoped(spawn),
    (started) =>
      started._tag === "Ignored"
        ? Effect.dieMessage("a supervisor never declines to start")
        : Effect.succeed(started.value)
  )
