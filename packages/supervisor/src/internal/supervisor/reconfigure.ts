/**
 * Reconfiguring a running static supervisor (OTP's `code_change`): the new options are
 * checked whole before anything changes; then the strategy, restart policy and
 * auto-shutdown are replaced, changed specs are kept for their child's next (re)start,
 * added specs are stored (not started), and specs left out stay until deleted.
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as ChildSpec from "../../ChildSpec.js"
import type * as Restart from "../../Restart.js"
import { validateSchedule } from "../../Restart.js"
import * as SupervisorError from "../../SupervisorError.js"
import type { AnySpec } from "../engine/record.js"
import { show } from "../issue.js"
import type { AutoShutdown, Strategy, Supervisor } from "./models.js"
import type { SupervisorImpl } from "./supervisorImpl.js"
import { impl } from "./target.js"

/**
 * What {@link reconfigure} may change of a running supervisor.
 *
 * @since 0.3.0
 * @category models
 */
export interface ReconfigureOptions<R> {
  readonly strategy?: Strategy | undefined
  readonly restartPolicy?: Restart.Policy | undefined
  readonly autoShutdown?: AutoShutdown | undefined
  /** Specs for children already there (by id) replace theirs at the next (re)start; others are added, stopped. */
  readonly children?: ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, R>> | undefined
}

/**
 * Why {@link reconfigure} refused a change (nothing was changed).
 *
 * @since 0.3.0
 * @category errors
 */
export type ReconfigureError =
  | SupervisorError.InvalidOptions
  | SupervisorError.InvalidChildSpec
  | SupervisorError.DuplicateChildId
  | SupervisorError.SupervisorStopped

/** Why a change is refused when it is checked. */
type Refusal = Exclude<ReconfigureError, SupervisorError.SupervisorStopped>

const known: ReadonlySet<string> = new Set(["strategy", "restartPolicy", "autoShutdown", "children"])
const strategies: ReadonlyArray<string> = ["one_for_one", "one_for_all", "rest_for_one"]
const autoShutdowns: ReadonlyArray<string> = ["never", "any_significant", "all_significant"]

const invalid = (message: string) => Either.left(new SupervisorError.InvalidOptions({ message }))

/** The change `options` asks of `supervisor`, checked whole, or why it is refused. */
const check = <R>(
  supervisor: SupervisorImpl,
  options: ReconfigureOptions<R>,
  context: Context.Context<R>
): Either.Either<() => void, Refusal> => {
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
    if (options.restartPolicy !== undefined) supervisor.unsafeReplacePolicy(options.restartPolicy)
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
  autoShutdown: AutoShutdown
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
const reconfigureNow = <R>(
  supervisor: SupervisorImpl,
  options: ReconfigureOptions<R>,
  context: Context.Context<R>
): Effect.Effect<void, ReconfigureError> =>
  supervisor.call(Effect.suspend(() => {
    const change = check(supervisor, options, context)
    if (Either.isLeft(change)) return Effect.fail(change.left)
    change.right()
    return Effect.void
  }))

/**
 * Changes a running supervisor's configuration (OTP's `code_change`, e.g. at a
 * configuration reload), all or nothing: the whole change is checked first, and an
 * invalid one is refused with a typed error, changing nothing.
 *
 * - `strategy`, `restartPolicy` (started afresh: earlier restarts no longer count) and
 *   `autoShutdown` are replaced at once.
 * - `children`: a spec whose id is a child's replaces that child's spec at its next start
 *   or restart (the running incarnation is left alone); a spec with a new id is added,
 *   stopped, last in the start order (`restartChild` starts it); children whose id is
 *   not listed keep their spec until `deleteChild`.
 * - `autoShutdown: "never"` is refused while a significant child is there, as a
 *   significant spec is under `"never"` (OTP's `bad_combination`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Restart, Supervisor } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const supervisor = yield* Supervisor.start({
 *     children: [ChildSpec.make({ id: "poller", start: Effect.never })]
 *   })
 *   yield* Supervisor.reconfigure(supervisor, {
 *     strategy: "one_for_all",
 *     restartPolicy: Restart.intensity(10, "1 minute"),
 *     children: [
 *       ChildSpec.make({ id: "poller", start: Effect.never, shutdown: "30 seconds" }), // at its next restart
 *       ChildSpec.make({ id: "reporter", start: Effect.never }) // added, stopped
 *     ]
 *   })
 *   yield* Supervisor.restartChild(supervisor, "reporter")
 * }))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const reconfigure: {
  <R = never>(options: ReconfigureOptions<R>): (self: Supervisor) => Effect.Effect<void, ReconfigureError, R>
  <R = never>(self: Supervisor, options: ReconfigureOptions<R>): Effect.Effect<void, ReconfigureError, R>
} = dual(
  2,
  <R>(self: Supervisor, options: ReconfigureOptions<R>) =>
    Effect.flatMap(Effect.context<R>(), (context) => reconfigureNow(impl(self), options, context))
)
