/**
 * What a dynamic supervisor checks of its options and of a child spec before it starts
 * anything.
 */
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Restart from "@effect-otp/supervisor/Restart"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Either from "effect/Either"

/** @internal */
export const validateOptions = (options: {
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

/**
 * The spec's problem, if it has one: an invalid field, or `significant` (a dynamic
 * supervisor's children cannot be).
 * @internal
 */
export const validateSpec = (
  spec: ChildSpec.ChildSpec<unknown, unknown, never>
): SupervisorError.InvalidChildSpec | undefined => {
  const valid = ChildSpec.validate(spec)
  if (Either.isLeft(valid)) return new SupervisorError.InvalidChildSpec({ id: String(spec.id), message: valid.left })
  if (spec.significant) {
    return new SupervisorError.InvalidChildSpec({
      id: spec.id,
      message: "significant: a dynamic supervisor's children cannot be significant"
    })
  }
  return undefined
}
