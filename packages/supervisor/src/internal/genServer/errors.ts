/**
 * The errors of a call: no reply in time, or no reply because the server ended.
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import type * as ExitReason from "../../ExitReason.js"
import type * as Process from "../../Process.js"

/**
 * A call got no reply within its timeout (OTP's `{:timeout, ...}` exit, as a typed
 * error). The request may still be handled later; its reply is then dropped.
 *
 * @since 0.1.0
 * @category errors
 */
export class CallTimeout extends Data.TaggedError("CallTimeout")<{
  readonly timeout: Duration.Duration
}> {
  get message() {
    return `the call got no reply within ${Duration.format(this.timeout)}`
  }
}

/**
 * The process ended before it replied: it crashed or stopped while handling this call or
 * while the call was queued, or it had already ended. `reason` is why it ended.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProcessExited extends Data.TaggedError("ProcessExited")<{
  readonly process: Process.ProcessRef
  readonly reason: ExitReason.ExitReason
}> {
  get message() {
    return `${this.process} exited (${this.reason._tag}) before replying`
  }
}
