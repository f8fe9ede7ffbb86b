/**
 * A dynamic supervisor as a process: its options checked, its hub made, its loop run.
 */
import * as Engine from "@effect-otp/supervisor/Engine"
import * as Process from "@effect-otp/supervisor/Process"
import type * as Registry from "@effect-otp/supervisor/Registry"
import type * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { DynamicSupervisorImpl } from "./supervisor.js"
import { validateOptions } from "./validate.js"

/** @internal */
export const spawn = <Extra>(
  options: {
    readonly name?: unknown
    readonly restartPolicy?: Restart.Policy | undefined
    readonly maxChildren?: number | undefined
  },
  make: (
    hub: Engine.Hub,
    policy: Restart.Policy,
    maxChildren: number,
    self: Engine.Self
  ) => DynamicSupervisorImpl<Extra>
): Process.Spawn<
  DynamicSupervisorImpl<Extra>,
  SupervisorError.InvalidOptions | SupervisorError.AlreadyStarted,
  Registry.Registry
> => {
  const init: Effect.Effect<
    DynamicSupervisorImpl<Extra>,
    SupervisorError.InvalidOptions | SupervisorError.AlreadyStarted,
    Scope.Scope | Registry.Registry | Process.Self
  > = Effect
    .flatMap(
      Effect.suspend(() => validateOptions(options)),
      ({ maxChildren, policy }) => {
        // read once the options are known to be an object
        const key = Engine.registeredKey(options.name)
        const label = typeof options.name === "string" ? options.name : key
        return Effect.flatMap(Engine.makeHub(label ?? "dynamic_supervisor"), (hub) =>
          // the supervisor's fiber refs (its path among them, set by `makeHub`) are its children's
          Effect.flatMap(Engine.self, (self) => {
            const supervisor = make(hub, policy, maxChildren, self)
            const started = Effect.as(Effect.addFinalizer((exit) => supervisor.terminate(exit)), supervisor)
            // with a registered name, it is registered once started (it starts no child)
            return key === undefined ? started : Engine.registered(key, supervisor, started)
          }))
      }
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
