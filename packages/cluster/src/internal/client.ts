/**
 * The callers' side of a cluster child: what is sent is checked and encoded here, sent
 * to the entity holding the child (wherever it lives), and the answer decoded.
 *
 * @internal
 */
import { ChildSpec } from "@effect-otp/supervisor"
import type * as Sharding from "@effect/cluster/Sharding"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as ClusterError from "../ClusterError.js"
import type * as ClusterKind from "../ClusterKind.js"
import type * as ClusterSupervisor from "../ClusterSupervisor.js"
import { invalidInput } from "./invalidInput.js"
import { ChildEntity } from "./protocol.js"

const decodeDuration = (id: string, field: string, input: unknown, fallback: Duration.DurationInput) =>
  Effect.suspend(() => {
    const value = input === undefined ? fallback : input
    const decoded = Duration.decodeUnknown(value)
    return decoded._tag === "Some" && Duration.greaterThanOrEqualTo(decoded.value, Duration.zero)
      ? Effect.succeed(decoded.value)
      : Effect.fail(new ClusterError.InvalidInput({ id, field, issue: `expected a duration, got ${String(value)}` }))
  })

/**
 * The handlers of `Effect.catchTags` for what `@effect/cluster` fails a message to child
 * `id`'s entity with when it cannot deliver it: `Unavailable`.
 */
const undelivered = (id: string) => {
  const unavailable = (error: { readonly _tag: string; readonly message?: string }) =>
    new ClusterError.Unavailable({ id, cause: error.message ?? error._tag })
  return { MailboxFull: unavailable, AlreadyProcessingMessage: unavailable, PersistenceError: unavailable }
}

/** The options of `Effect.timeoutFail` for an answer from child `id` within `timeout`: else `CallTimeout`. */
const answerWithin = (id: string, timeout: Duration.Duration) => ({
  duration: timeout,
  onTimeout: () => new ClusterError.CallTimeout({ id, timeoutMillis: Duration.toMillis(timeout) })
})

const client = (id: string) => Effect.map(ChildEntity.client, (make) => make(id))

/** @internal */
export const startChild = <K extends ClusterKind.Any>(
  kind: K,
  options: ClusterSupervisor.StartOptions<ClusterKind.Args<K>>
): Effect.Effect<void, ClusterError.StartError | ClusterError.CallTimeout, Sharding.Sharding> =>
  Effect.gen(function*() {
    const id = options.id
    if (typeof id !== "string" || id === "") {
      return yield* Effect.fail(
        new ClusterError.InvalidInput({
          id: String(id),
          field: "id",
          issue: `expected a non-empty string, got ${JSON.stringify(id)}`
        })
      )
    }
    const args = yield* Schema.encodeUnknown(kind.kind.args)(options.args).pipe(
      Effect.mapError(invalidInput(id, "args"))
    )
    const spec: Record<string, unknown> = { id }
    const restart = options.restart ?? kind.kind.defaults.restart
    const shutdown = options.shutdown ?? kind.kind.defaults.shutdown
    if (restart !== undefined) spec.restart = restart
    if (shutdown !== undefined) spec.shutdown = shutdown
    yield* Schema.decodeUnknown(ChildSpec.DataSchema)(spec).pipe(Effect.mapError(invalidInput(id, "spec")))
    const timeout = yield* decodeDuration(id, "timeout", options.timeout, "30 seconds")
    const child = yield* client(id)
    yield* child.Start({ kind: kind.name, args, spec }).pipe(
      Effect.catchTags(undelivered(id)),
      Effect.timeoutFail(answerWithin(id, timeout))
    )
  })

/** @internal */
export const call = <K extends ClusterKind.Any>(
  kind: K,
  id: string,
  request: ClusterKind.Request<K>,
  options: ClusterSupervisor.CallOptions
): Effect.Effect<ClusterKind.Reply<K>, ClusterKind.Error<K> | ClusterError.CallError, Sharding.Sharding> =>
  Effect.gen(function*() {
    const encoded = yield* Schema.encodeUnknown(kind.request)(request).pipe(
      Effect.mapError(invalidInput(id, "request"))
    )
    const timeout = yield* decodeDuration(id, "timeout", options.timeout, "5 seconds")
    const child = yield* client(id)
    const result = yield* child.Call({ kind: kind.name, request: encoded }).pipe(
      Effect.catchTags(undelivered(id)),
      Effect.timeoutFail(answerWithin(id, timeout))
    )
    if (result._tag === "Ok") {
      return yield* Schema.decodeUnknown(kind.reply)(result.value).pipe(
        Effect.mapError(invalidInput(id, "reply"))
      ) as Effect.Effect<ClusterKind.Reply<K>, ClusterError.InvalidInput>
    }
    const error = yield* Schema.decodeUnknown(Schema.make<unknown, unknown>(kind.error.ast))(result.error).pipe(
      Effect.mapError(invalidInput(id, "error"))
    )
    return yield* Effect.fail(error as ClusterKind.Error<K>)
  })

/** @internal */
export const cast = <K extends ClusterKind.Any>(
  kind: K,
  id: string,
  message: ClusterKind.Cast<K>
): Effect.Effect<void, ClusterError.InvalidInput | ClusterError.Unavailable, Sharding.Sharding> =>
  Effect.gen(function*() {
    const encoded = yield* Schema.encodeUnknown(Schema.make<unknown, unknown>(kind.cast.ast))(message).pipe(
      Effect.mapError(invalidInput(id, "message"))
    )
    const child = yield* client(id)
    yield* child.Cast({ kind: kind.name, message: encoded }, { discard: true }).pipe(
      Effect.catchTags(undelivered(id))
    )
  })

/** @internal */
export const terminateChild = (
  id: string,
  options: ClusterSupervisor.CallOptions
): Effect.Effect<
  void,
  ClusterError.ChildNotFound | ClusterError.Unavailable | ClusterError.CallTimeout | ClusterError.InvalidInput,
  Sharding.Sharding
> =>
  Effect.gen(function*() {
    const timeout = yield* decodeDuration(id, "timeout", options.timeout, "30 seconds")
    const child = yield* client(id)
    yield* child.Terminate().pipe(Effect.catchTags(undelivered(id)), Effect.timeoutFail(answerWithin(id, timeout)))
  })
