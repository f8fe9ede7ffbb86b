/**
 * The typed errors of the observer.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * The observer's options are invalid; `message` names the option and the value.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Observer } from "@effect-otp/observer"
 *
 * const program = Observer.make({ port: 70000 }).pipe(
 *   Effect.catchTag("InvalidOptions", (error) => Effect.logError(error.message)),
 *   Effect.scoped
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidOptions extends Data.TaggedError("InvalidOptions")<{
  readonly message: string
}> {}

/**
 * The HTTP server could not listen (the port is taken, the host is not an address of
 * this machine, ...).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Observer } from "@effect-otp/observer"
 *
 * const program = Observer.make({ port: 9700 }).pipe(
 *   Effect.catchTag("ServeFailed", (error) => Effect.logError(error.message)),
 *   Effect.scoped
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ServeFailed extends Data.TaggedError("ServeFailed")<{
  readonly host: string
  readonly port: number
  readonly cause: unknown
}> {
  get message(): string {
    const reason = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return `the observer could not listen on ${this.host}:${this.port}: ${reason}`
  }
}
