/**
 * The typed errors of cluster children. They are `Schema.TaggedError`s: they travel
 * between runners and reach the caller as values in the error channel, wherever the
 * child lives.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * No child with this id: never started, terminated, or a temporary child lost with its
 * runner.
 *
 * **Example**
 *
 * ```ts
 * import { ClusterError } from "@effect-otp/cluster"
 *
 * const error = new ClusterError.ChildNotFound({ id: "room-1" })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ChildNotFound extends Schema.TaggedError<ChildNotFound>()("ChildNotFound", {
  id: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `no cluster child "${this.id}"`
  }
}

/**
 * A child with this id is already running (ids are unique across the cluster).
 *
 * @since 0.1.0
 * @category errors
 */
export class ChildAlreadyStarted extends Schema.TaggedError<ChildAlreadyStarted>()("ChildAlreadyStarted", {
  id: Schema.String,
  kind: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}" is already started (kind "${this.kind}")`
  }
}

/**
 * The kind is not registered on the runner that owns the child (every runner must
 * register the same kinds), or a call named a kind other than the child's.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownKind extends Schema.TaggedError<UnknownKind>()("UnknownKind", {
  id: Schema.String,
  kind: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}": unknown kind "${this.kind}", expected one of: ${
      this.known.map((name) => `"${name}"`).join(", ")
    }`
  }
}

/**
 * Input that did not decode: a child's arguments or spec fields, or a message. `path`
 * and `issue` name the field and the value.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  id: Schema.String,
  field: Schema.String,
  issue: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}": invalid ${this.field}: ${this.issue}`
  }
}

/**
 * The child's start failed (its `init` failed or died).
 *
 * @since 0.1.0
 * @category errors
 */
export class ChildStartFailed extends Schema.TaggedError<ChildStartFailed>()("ChildStartFailed", {
  id: Schema.String,
  cause: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}" failed to start: ${this.cause}`
  }
}

/**
 * The child crashed more often than its kind's restart policy allows and was given up:
 * it is not restarted (not even on another runner) until it is started again.
 *
 * @since 0.1.0
 * @category errors
 */
export class ChildGaveUp extends Schema.TaggedError<ChildGaveUp>()("ChildGaveUp", {
  id: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}" was given up: it crashed more often than its restart policy allows`
  }
}

/**
 * The child is between two incarnations (waiting for its restart); try again later.
 *
 * @since 0.1.0
 * @category errors
 */
export class ChildRestarting extends Schema.TaggedError<ChildRestarting>()("ChildRestarting", {
  id: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}" is restarting`
  }
}

/**
 * The call did not complete: the child crashed while handling it (the child is
 * restarted per its policy; the message is not replayed), or the handler died.
 *
 * @since 0.1.0
 * @category errors
 */
export class CallFailed extends Schema.TaggedError<CallFailed>()("CallFailed", {
  id: Schema.String,
  cause: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `call to cluster child "${this.id}" failed: ${this.cause}`
  }
}

/**
 * No answer within the call's timeout (e.g. while the child moves to another runner).
 *
 * @since 0.1.0
 * @category errors
 */
export class CallTimeout extends Schema.TaggedError<CallTimeout>()("CallTimeout", {
  id: Schema.String,
  timeoutMillis: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `call to cluster child "${this.id}" got no answer within ${this.timeoutMillis} ms`
  }
}

/**
 * The cluster could not deliver the message (a full mailbox, a storage error).
 *
 * @since 0.1.0
 * @category errors
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", {
  id: Schema.String,
  cause: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `cluster child "${this.id}" is unavailable: ${this.cause}`
  }
}

/**
 * What starting a child can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartError = ChildAlreadyStarted | UnknownKind | InvalidInput | ChildStartFailed | Unavailable

/**
 * What reaching a child (call, cast) can fail with, besides the kind's own errors.
 *
 * @since 0.1.0
 * @category errors
 */
export type CallError =
  | ChildNotFound
  | UnknownKind
  | InvalidInput
  | ChildGaveUp
  | ChildRestarting
  | CallFailed
  | CallTimeout
  | Unavailable

/** @internal */
export const StartErrorSchema = Schema.Union(ChildAlreadyStarted, UnknownKind, InvalidInput, ChildStartFailed)

/** @internal */
export const CallErrorSchema = Schema.Union(
  ChildNotFound,
  UnknownKind,
  InvalidInput,
  ChildGaveUp,
  ChildRestarting,
  CallFailed
)
