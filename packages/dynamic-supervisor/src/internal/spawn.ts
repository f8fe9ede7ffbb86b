import * as Process from "@effect-otp/supervisor/Process"
import * as Restart from "@effect-otp/supervisor/Restart"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as SupervisorEvent from "@effect-otp/supervisor/SupervisorEvent"
import type * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type { DynamicSupervisorImpl } from "./dynamicSupervisor.js"

const validate = (options: {
  readonly restartPolicy?: Restart.Policy | undefined
  readonly maxChildren?: number | undefined
}): Either.Either<{ policy: Restart.Policy; maxChildren: number }, SupervisorError.InvalidOptions> => {
  const policy = options.restartPolicy ?? Restart.defaultPolicy
  const valid = Restart.validate(policy)
  if (Either.isLeft(valid)) return Either.left(new SupervisorError.InvalidOptions({ message: valid.left }))
  const maxChildren = options.maxChildren ?? Infinity
  if (maxChildren !== Infinity && (!Number.isInteger(maxChildren) || maxChildren < 0)) {
    return Either.left(
      new SupervisorError.InvalidOptions({
        message: `maxChildren: expected an integer >= 0 or Infinity, got ${
          typeof maxChildren === "string" ? JSON.stringify(maxChildren) : String(maxChildren)
        }`
      })
    )
  }
  return Either.right({ policy, maxChildren })
}

/** @internal */
export const spawn = <Extra>(
  options: {
    readonly name?: string | undefined
    readonly restartPolicy?: Restart.Policy | undefined
    readonly maxChildren?: number | undefined
  },
  make: (
    hub: SupervisorEvent.Hub,
    policy: Restart.Policy,
    maxChildren: number,
    self: { readonly origin: Runtime.Runtime<never>; readonly clock: Clock.Clock; readonly tracing: boolean }
  ) => DynamicSupervisorImpl<Extra>
): Process.Spawn<DynamicSupervisorImpl<Extra>, SupervisorError.InvalidOptions> => {
  const init: Effect.Effect<DynamicSupervisorImpl<Extra>, SupervisorError.InvalidOptions, Scope.Scope> = Effect
    .flatMap(
      Effect.suspend(() => validate(options)),
      ({ maxChildren, policy }) =>
        Effect.flatMap(SupervisorEvent.makeHub(options.name ?? "dynamic_supervisor"), (hub) =>
          // the supervisor's fiber refs (its path among them, set by `makeHub`) are its children's
          Effect.flatMap(
            Effect.all({ origin: Effect.runtime<never>(), clock: Effect.clock, tracing: SupervisorEvent.tracing }),
            (self) => {
              const supervisor = make(hub, policy, maxChildren, self)
              return Effect.as(Effect.addFinalizer((exit) => supervisor.terminate(exit)), supervisor)
            }
          ))
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
