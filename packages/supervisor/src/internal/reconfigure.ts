/**
 * Reconfiguring a running static supervisor (OTP's `code_change`): the new options are
 * checked whole before anything changes; then the strategy, restart policy and
 * auto-shutdown are replaced, changed specs are kept for their child's next (re)start,
 * added specs are stored (not started), and specs left out stay until deleted.
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ChildSpec from "../ChildSpec.js"
import { validateSchedule } from "../Restart.js"
import type * as Supervisor from "../Supervisor.js"
import * as SupervisorError from "../SupervisorError.js"
import type { AnySpec } from "./engine/record.js"
import { show } from "./issue.js"
import type { SupervisorImpl } from "./supervisor.js"

/** What a running supervisor's reconfiguration may change. */
export interface ReconfigureOptions<R> {
  readonly strategy?: Supervisor.Strategy | undefined
  readonly restartPolicy?: Supervisor.Options<R>["restartPolicy"]
  readonly autoShutdown?: Supervisor.AutoShutdown | undefined
  readonly children?: ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>> | undefined
}

export type ReconfigureError =
  | SupervisorError.InvalidOptions
  | SupervisorError.InvalidChildSpec
  | SupervisorError.DuplicateChildId

const known: ReadonlySet<string> = new Set(["strategy", "restartPolicy", "autoShutdown", "children"])
const strategies: ReadonlyArray<string> = ["one_for_one", "one_for_all", "rest_for_one"]
const autoShutdowns: ReadonlyArray<string> = ["never", "any_significant", "all_significant"]

const invalid = (message: string) => Either.left(new SupervisorError.InvalidOptions({ message }))

/** The change `options` asks of `supervisor`, checked whole, or why it is refused. */
const check = <R>(
  supervisor: SupervisorImpl,
  options: ReconfigureOptions<R>,
  context: Context.Context<R>
): Either.Either<() => void, ReconfigureError> => {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return invalid(`expected an options object, got ${show(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      return invalid(`${key}: cannot be reconfigured (expected strategy, restartPolicy, autoShutdown or children)`)
    }
  }
  const strategy = options.strategy ?? supervisor.strategy
  if (!strategies.includes(strategy)) {
    return invalid(`strategy: expected "one_for_one", "one_for_all" or "rest_for_one", got ${show(strategy)}`)
  }
  const autoShutdown = options.autoShutdown ?? supervisor.autoShutdown
  if (!autoShutdowns.includes(autoShutdown)) {
    return invalid(
      `autoShutdown: expected "never", "any_significant" or "all_significant", got ${show(autoShutdown)}`
    )
  }
  if (options.restartPolicy !== undefined) {
    const valid = validateSchedule("restartPolicy", options.restartPolicy)
    if (Either.isLeft(valid)) return invalid(valid.left)
  }
  if (options.children !== undefined && !Array.isArray(options.children)) {
    return invalid(`children: expected an array of child specs, got ${show(options.children)}`)
  }
  const specs = (options.children ?? []) as ReadonlyArray<AnySpec>
  const given = new Map<string, AnySpec>()
  for (const spec of specs) {
    const valid = validateSpec(spec, autoShutdown)
    if (Either.isLeft(valid)) return Either.left(valid.left)
    if (given.has(spec.id)) return Either.left(new SupervisorError.DuplicateChildId({ id: spec.id }))
    given.set(spec.id, spec)
  }
  // a child kept as it is must fit the new auto-shutdown too
  if (autoShutdown === "never") {
    for (const record of supervisor.list) {
      if (given.has(record.id)) continue
      if ((record.pending ?? record).significant) {
        return Either.left(significantUnderNever(record.id))
      }
    }
  }
  return Either.right(() => {
    supervisor.strategy = strategy
    supervisor.autoShutdown = autoShutdown
    if (options.restartPolicy !== undefined) supervisor.replacePolicy(options.restartPolicy)
    for (const spec of specs) {
      const record = supervisor.byId.get(spec.id)
      if (record === undefined) {
        // stored, not started (`restartChild` starts it)
        supervisor.add(spec, supervisor.originFor(context as Context.Context<never>))
      } else if (record.spec !== spec) {
        record.pending = spec
      }
    }
  })
}

const significantUnderNever = (id: string) =>
  new SupervisorError.InvalidChildSpec({
    id,
    message: "significant: a significant child needs a supervisor with autoShutdown other than \"never\""
  })

const validateSpec = (
  spec: AnySpec,
  autoShutdown: Supervisor.AutoShutdown
): Either.Either<void, SupervisorError.InvalidChildSpec> => {
  if (!ChildSpec.isChildSpec(spec)) {
    return Either.left(new SupervisorError.InvalidChildSpec({ id: String(spec), message: `expected a child spec` }))
  }
  if (spec.significant === true && autoShutdown === "never") return Either.left(significantUnderNever(spec.id))
  const valid = ChildSpec.validate(spec)
  return Either.isLeft(valid)
    ? Either.left(new SupervisorError.InvalidChildSpec({ id: spec.id, message: valid.left }))
    : Either.void
}

/**
 * Reconfigures `supervisor` between two messages of its loop: all or nothing.
 */
export const reconfigure = <R>(
  supervisor: SupervisorImpl,
  options: ReconfigureOptions<R>,
  context: Context.Context<R>
): Effect.Effect<void, ReconfigureError | SupervisorError.SupervisorStopped> =>
  supervisor.call(Effect.suspend(() => {
    const change = check(supervisor, options, context)
    if (Either.isLeft(change)) return Effect.fail(change.left)
    change.right()
    return Effect.void
  }))
