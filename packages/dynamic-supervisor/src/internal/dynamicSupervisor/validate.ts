/**
 * What a dynamic supervisor checks of its options and of a child spec before it starts
 * anything.
 */
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import * as Restart from "@effect-otp/supervisor/Restart"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Either from "effect/Either"

const show = (u: unknown): string => {
  if (typeof u === "string") return JSON.stringify(u)
  if (typeof u === "function") return "<function>"
  if (typeof u !== "object" || u === null) return String(u)
  try {
    return JSON.stringify(u) ?? String(u)
  } catch {
    return String(u)
  }
}

const invalid = (message: string) => Either.left(new SupervisorError.InvalidOptions({ message }))

const knownOptions: ReadonlySet<string> = new Set([
  "name",
  "restartPolicy",
  "maxChildren",
  "extraArguments",
  "strategy"
])

/** @internal */
export const validateOptions = (options: unknown): Either.Either<
  { policy: Restart.Policy; maxChildren: number },
  SupervisorError.InvalidOptions
> => {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return invalid(`expected an options object, got ${show(options)}`)
  }
  const given = options as {
    readonly name?: unknown
    readonly restartPolicy?: unknown
    readonly maxChildren?: unknown
    readonly strategy?: unknown
    readonly autoShutdown?: unknown
  }
  // what Elixir's DynamicSupervisor does not have is refused, not ignored
  if (given.strategy !== undefined && given.strategy !== "one_for_one") {
    return invalid(`strategy: a dynamic supervisor supports only "one_for_one", got ${show(given.strategy)}`)
  }
  if (given.autoShutdown !== undefined) {
    return invalid(`autoShutdown: a dynamic supervisor has no auto-shutdown, got ${show(given.autoShutdown)}`)
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) {
      return invalid(`${key}: unknown option (expected name, restartPolicy, maxChildren or extraArguments)`)
    }
  }
  if (given.name !== undefined && typeof given.name !== "string" && Engine.registeredKey(given.name) === undefined) {
    return invalid(`name: expected a string or a DynamicSupervisor.Name, got ${show(given.name)}`)
  }
  const policy = given.restartPolicy ?? Restart.defaultPolicy
  const valid = Restart.validate(policy as Restart.Policy)
  if (Either.isLeft(valid)) return invalid(valid.left)
  const maxChildren = given.maxChildren ?? Infinity
  if (
    maxChildren !== Infinity && (typeof maxChildren !== "number" || !Number.isInteger(maxChildren) || maxChildren < 0)
  ) {
    return invalid(`maxChildren: expected an integer >= 0 or Infinity, got ${show(maxChildren)}`)
  }
  return Either.right({ policy: policy as Restart.Policy, maxChildren: maxChildren as number })
}

const reconfigurable: ReadonlySet<string> = new Set(["maxChildren", "restartPolicy", "extraArguments"])

/**
 * The options of a reconfiguration, checked whole: only `maxChildren`, `restartPolicy`
 * and `extraArguments` can change.
 * @internal
 */
export const validateReconfigure = (options: unknown): Either.Either<
  { readonly policy: Restart.Policy | undefined; readonly maxChildren: number | undefined },
  SupervisorError.InvalidOptions
> => {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return invalid(`expected an options object, got ${show(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!reconfigurable.has(key)) {
      return invalid(`${key}: cannot be reconfigured (expected maxChildren, restartPolicy or extraArguments)`)
    }
  }
  const given = options as { readonly restartPolicy?: unknown; readonly maxChildren?: unknown }
  if (given.restartPolicy !== undefined) {
    const valid = Restart.validate(given.restartPolicy as Restart.Policy)
    if (Either.isLeft(valid)) return invalid(valid.left)
  }
  const maxChildren = given.maxChildren
  if (
    maxChildren !== undefined && maxChildren !== Infinity &&
    (typeof maxChildren !== "number" || !Number.isInteger(maxChildren) || maxChildren < 0)
  ) {
    return invalid(`maxChildren: expected an integer >= 0 or Infinity, got ${show(maxChildren)}`)
  }
  return Either.right({
    policy: given.restartPolicy as Restart.Policy | undefined,
    maxChildren: maxChildren as number | undefined
  })
}

/**
 * The spec's problem, if it has one: `significant` (a dynamic supervisor's children
 * cannot be; checked first, as OTP checks the combination first), or an invalid field.
 * @internal
 */
export const validateSpec = (
  spec: ChildSpec.ChildSpec<unknown, unknown, never>
): SupervisorError.InvalidChildSpec | undefined => {
  if (typeof spec !== "object" || spec === null) {
    return new SupervisorError.InvalidChildSpec({
      id: String(spec),
      message: `expected a child spec, got ${show(spec)}`
    })
  }
  if (spec.significant === true) {
    return new SupervisorError.InvalidChildSpec({
      id: String(spec.id),
      message: "significant: a dynamic supervisor's children cannot be significant"
    })
  }
  const valid = ChildSpec.validate(spec)
  if (Either.isLeft(valid)) return new SupervisorError.InvalidChildSpec({ id: String(spec.id), message: valid.left })
  return undefined
}
