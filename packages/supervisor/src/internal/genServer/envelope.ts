/**
 * A GenServer's messages: a call (with its caller's resume, its timeout, and what its
 * handler returned if it was run at once) or a cast.
 */
import * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { Cancel } from "../timer.js"
import { CallTimeout } from "./errors.js"

/** @internal */
export const CALL = 0
/** @internal */
export const CAST = 1

/** @internal */
export type Resume = (effect: Effect.Effect<unknown, unknown>) => void

/**
 * One message: a call (with its caller's resume) or a cast.
 * @internal
 */
export class Envelope {
  next: Envelope | undefined = undefined
  /** The sender gave up (timed out or interrupted): skip it while it is not accepted. */
  canceled = false
  cancelTimer: Cancel | undefined = undefined
  /**
   * @param handled what the handler returned for this call, when it was called at once
   *   (see `GenServerProcess.handleAtOnce`): the server carries on with it
   */
  constructor(
    readonly kind: 0 | 1,
    readonly message: unknown,
    public resume: Resume | undefined,
    readonly handled: Handled | undefined = undefined
  ) {}

  reply(exit: Exit.Exit<unknown, unknown>): void {
    const resume = this.resume
    if (resume === undefined) return
    this.resume = undefined
    const cancelTimer = this.cancelTimer
    if (cancelTimer !== undefined) {
      this.cancelTimer = undefined
      cancelTimer()
    }
    resume(exit)
  }

  expire(timeout: Duration.Duration): void {
    this.cancelTimer = undefined
    this.canceled = true
    this.reply(Exit.fail(new CallTimeout({ timeout })))
  }

  cancel(): void {
    this.canceled = true
    this.resume = undefined
    const cancelTimer = this.cancelTimer
    if (cancelTimer !== undefined) {
      this.cancelTimer = undefined
      cancelTimer()
    }
  }
}

/**
 * What a request's handler returns: the reply and the next state.
 * @internal
 */
export type Handled = Effect.Effect<readonly [unknown, unknown], unknown, unknown>
