/**
 * A partition supervisor's options, checked: they may come from JavaScript, so each is
 * checked in Elixir's order, and the child spec is made once per partition.
 *
 * @internal
 */
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import { show } from "@effect-otp/supervisor/Engine"
import * as Registry from "@effect-otp/supervisor/Registry"
import type * as Restart from "@effect-otp/supervisor/Restart"
import type * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Effect from "effect/Effect"

/** The options of a partition supervisor, checked. @internal */
export interface Decoded<R> {
  readonly name: string
  readonly key: Registry.Key
  readonly partitions: number
  readonly children: ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>>
}

const invalid = (message: string) => Effect.fail(new SupervisorError.InvalidOptions({ message }))

/** @internal */
export interface RawOptions<Args, R> {
  readonly name?: Registry.Key | undefined
  readonly childSpec?:
    | ChildSpec.ChildSpec<unknown, unknown, R>
    | ((args: Args) => ChildSpec.ChildSpec<unknown, unknown, R>)
    | undefined
  readonly arguments?: Args | undefined
  readonly withArguments?: ((args: Args, partition: number) => Args) | undefined
  readonly partitions?: number | undefined
  readonly strategy?: Supervisor.Strategy | undefined
  readonly restartPolicy?: Restart.Policy | undefined
}

/**
 * Checks the options (they may come from JavaScript) in Elixir's order and builds one
 * child spec per partition, its id the partition's number.
 * @internal
 */
export const decode = <Args, R>(options: RawOptions<Args, R>, cores: number): Effect.Effect<
  Decoded<R>,
  SupervisorError.InvalidOptions
> =>
  Effect.suspend(() => {
    const key = options.name
    if (key === undefined || key === null || key === "") {
      return invalid(`name: the name option must be given to a PartitionSupervisor, got ${show(key)}`)
    }
    if (typeof key !== "string" && !Registry.isName(key)) {
      return invalid(`name: expected a string or a Registry name, got ${show(key)}`)
    }
    const name = typeof key === "string" ? key : key.key
    const spec = options.childSpec
    if (spec === undefined || spec === null) {
      return invalid(`childSpec: the childSpec option must be given to a PartitionSupervisor, got ${show(spec)}`)
    }
    if (typeof spec !== "function" && !ChildSpec.isChildSpec(spec)) {
      return invalid(`childSpec: expected a child spec or a function of the arguments returning one, got ${show(spec)}`)
    }
    const partitions = options.partitions ?? cores
    if (typeof partitions !== "number" || !Number.isSafeInteger(partitions) || partitions < 1) {
      return invalid(`partitions: expected a positive integer, got ${show(partitions)}`)
    }
    const withArguments = options.withArguments ?? ((args: Args) => args)
    if (typeof withArguments !== "function") {
      return invalid(
        `withArguments: expected a function of the arguments and the partition, got ${show(withArguments)}`
      )
    }
    if (options.withArguments !== undefined && typeof spec !== "function") {
      return invalid("withArguments: needs a childSpec that is a function of the arguments, got a child spec")
    }
    const children: Array<ChildSpec.ChildSpec<unknown, unknown, R>> = []
    for (let partition = 0; partition < partitions; partition++) {
      const made = typeof spec === "function" ? spec(withArguments(options.arguments as Args, partition)) : spec
      if (!ChildSpec.isChildSpec(made)) {
        return invalid(
          `childSpec: expected the function to return a child spec for partition ${partition}, got ${show(made)}`
        )
      }
      children.push(ChildSpec.override(made, { id: String(partition) }))
    }
    return Effect.succeed({ name, key, partitions, children })
  })
