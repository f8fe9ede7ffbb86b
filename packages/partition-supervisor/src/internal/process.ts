/**
 * A partition supervisor as a process: its init (options checked, name registered,
 * partitions started under a `Supervisor`) and its run, which ends as that supervisor ends.
 *
 * @internal
 */
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import * as ExitReason from "@effect-otp/supervisor/ExitReason"
import * as Process from "@effect-otp/supervisor/Process"
import * as Registry from "@effect-otp/supervisor/Registry"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { availableParallelism } from "node:os"
import type * as PartitionSupervisor from "../PartitionSupervisor.js"
import { decode } from "./options.js"
import { byProcess, PartitionSupervisorImpl } from "./partitionSupervisor.js"

/** Ends the partition supervisor's own process the way its supervisor ended. @internal */
export const exitAs = (reason: ExitReason.ExitReason): Effect.Effect<void, unknown> =>
  ExitReason.$match(reason, {
    Normal: () => Effect.void,
    Shutdown: ({ reason }) =>
      Effect.fail(
        Option.isSome(reason)
          ? new ExitReason.ShutdownRequest({ reason: reason.value })
          : new ExitReason.ShutdownRequest({})
      ),
    Killed: () => Effect.interrupt,
    Abnormal: ({ cause }) => Effect.failCause(cause)
  })

/** @internal */
export const spawn = <A, E, R, Args>(
  options: PartitionSupervisor.Options<A, E, R, Args>
): Process.Spawn<PartitionSupervisor.PartitionSupervisor<A>, PartitionSupervisor.StartError, R | Registry.Registry> =>
  Process.make({
    init: Effect.gen(function*() {
      const decoded = yield* decode(options, availableParallelism())
      yield* Registry.register(decoded.key)
      const supervisor = yield* Supervisor.start({
        name: decoded.name,
        strategy: options.strategy,
        restartPolicy: options.restartPolicy,
        children: decoded.children
      })
      return new PartitionSupervisorImpl(decoded.name, supervisor, decoded.partitions)
    }),
    run: (self) => Effect.flatMap(self.supervisor.process.await, exitAs),
    value: (self, process) => {
      self.process = process
      byProcess.set(process, self)
      return self as unknown as PartitionSupervisor.PartitionSupervisor<A>
    }
  })

/** @internal */
export const start = <A, E, R, Args>(
  options: PartitionSupervisor.Options<A, E, R, Args>
): Effect.Effect<
  PartitionSupervisor.PartitionSupervisor<A>,
  PartitionSupervisor.StartError,
  R | Registry.Registry | Scope.Scope
> => Engine.startScoped(spawn(options))

/** @internal */
export const childSpec = <A, E, R, Args>(
  options: PartitionSupervisor.Options<A, E, R, Args> & Partial<Omit<ChildSpec.Options, "type">>
): ChildSpec.ChildSpec<
  PartitionSupervisor.PartitionSupervisor<A>,
  PartitionSupervisor.StartError,
  R | Registry.Registry
> =>
  ChildSpec.make({
    id: options.id ?? (typeof options.name === "string" ? options.name : options.name?.key),
    start: spawn(options),
    type: "supervisor",
    restart: options.restart,
    shutdown: options.shutdown,
    significant: options.significant
  })
