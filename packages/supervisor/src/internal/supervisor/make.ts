/**
 * A static supervisor from its options: they are checked (its children are checked at
 * boot), then the supervisor is made, not started.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ChildSpec from "../../ChildSpec.js"
import { defaultPolicy, validateSchedule } from "../../Restart.js"
import type * as Supervisor from "../../Supervisor.js"
import * as SupervisorError from "../../SupervisorError.js"
import { labelOf, registeredKey } from "../engine/name.js"
import type { AnySpec } from "../engine/record.js"
import { engineSelf } from "../engine/start.js"
import { makeHub } from "../hub.js"
import { show } from "../issue.js"
import { SupervisorImpl } from "./supervisorImpl.js"

const strategies: ReadonlyArray<string> = ["one_for_one", "one_for_all", "rest_for_one"]
const autoShutdowns: ReadonlyArray<string> = ["never", "any_significant", "all_significant"]

/**
 * A static supervisor from its options, checked (its children are checked at boot).
 * @internal
 */
export const make = (
  options: Supervisor.StartOptions<ReadonlyArray<AnySpec>, string | Supervisor.Name | undefined>
): Effect.Effect<SupervisorImpl, SupervisorError.InvalidOptions> =>
  Effect.suspend(() => {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      return Effect.fail(
        new SupervisorError.InvalidOptions({ message: `expected an options object, got ${show(options)}` })
      )
    }
    if (options.name !== undefined && typeof options.name !== "string" && registeredKey(options.name) === undefined) {
      return Effect.fail(
        new SupervisorError.InvalidOptions({
          message: `name: expected a string or a Supervisor.Name, got ${show(options.name)}`
        })
      )
    }
    if (options.children !== undefined && !Array.isArray(options.children)) {
      return Effect.fail(
        new SupervisorError.InvalidOptions({
          message: `children: expected an array of child specs, got ${show(options.children)}`
        })
      )
    }
    const strategy = options.strategy ?? "one_for_one"
    if (!strategies.includes(strategy)) {
      return Effect.fail(
        new SupervisorError.InvalidOptions({
          message: `strategy: expected "one_for_one", "one_for_all" or "rest_for_one", got ${JSON.stringify(strategy)}`
        })
      )
    }
    const autoShutdown = options.autoShutdown ?? "never"
    if (!autoShutdowns.includes(autoShutdown)) {
      return Effect.fail(
        new SupervisorError.InvalidOptions({
          message: `autoShutdown: expected "never", "any_significant" or "all_significant", got ${
            JSON.stringify(autoShutdown)
          }`
        })
      )
    }
    const policy = options.restartPolicy ?? defaultPolicy
    const valid = validateSchedule("restartPolicy", policy)
    if (Either.isLeft(valid)) return Effect.fail(new SupervisorError.InvalidOptions({ message: valid.left }))
    if (options.backoff !== undefined) {
      const validBackoff = validateSchedule("backoff", options.backoff)
      if (Either.isLeft(validBackoff)) {
        return Effect.fail(new SupervisorError.InvalidOptions({ message: validBackoff.left }))
      }
    }
    const issues: Array<string> = []
    const resetBackoffAfter = ChildSpec.decodeDurationOption("resetBackoffAfter", options.resetBackoffAfter, issues)
    if (issues.length > 0) return Effect.fail(new SupervisorError.InvalidOptions({ message: issues[0] }))
    return Effect.flatMap(
      makeHub(labelOf(options.name) ?? "supervisor"),
      (hub) =>
        Effect.map(engineSelf, (self) =>
          new SupervisorImpl(hub, strategy, policy, autoShutdown, {
            backoff: Option.fromNullable(options.backoff),
            resetBackoffAfter: Option.map(resetBackoffAfter, Duration.toMillis)
          }, self))
    )
  })
