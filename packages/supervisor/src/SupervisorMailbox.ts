/**
 * The mailbox of a supervisor's loop, for those who write supervisors (`Supervisor` and
 * `DynamicSupervisor` are built on it): messages handled one after another by one
 * fiber, and calls (operations that run in the loop, between messages, and answer their
 * caller). Offering never blocks; the loop parks on an empty mailbox.
 *
 * A caller may also run an operation in its own fiber while the loop is idle, by holding
 * the mailbox: messages that arrive meanwhile wait until it is released.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as internal from "./internal/supervisorMailbox.js"
import type * as SupervisorError from "./SupervisorError.js"

/**
 * A call in the mailbox: `run` runs the operation and answers its caller
 * (`SupervisorStopped` once the mailbox is closed). A supervisor's own messages should
 * not be tagged `"Call"`: {@link isCall} tells them apart by their tag and `run`.
 *
 * @since 0.2.0
 * @category models
 */
export interface Call {
  readonly _tag: "Call"
  readonly run: Effect.Effect<void>
}

/**
 * The mailbox of one supervisor, holding its own messages `M` and calls.
 *
 * @since 0.2.0
 * @category models
 */
export interface SupervisorMailbox<in out M> {
  /** `false` once closed: calls then fail with `SupervisorStopped`, offers are dropped. */
  readonly alive: boolean
  /** The loop is parked on the empty mailbox and nobody holds it. */
  readonly idle: boolean
  /** Adds a message at the end, and wakes the loop (unless the mailbox is held). */
  offer(message: M | Call): void
  /** Adds a message before all others. */
  offerFirst(message: M | Call): void
  /**
   * Offers `message` after `delay` on the `Clock` (a restart timer, no fiber); returns a
   * function that cancels it (nothing once offered).
   */
  offerAfter(delay: Duration.DurationInput, message: M): Effect.Effect<() => void>
  /** The next message, if any. */
  take(): M | Call | undefined
  /** Waits until a message arrives (the loop runs it when `take` found nothing). */
  readonly park: Effect.Effect<void>
  /** Keeps the loop from waking: the holder is running an operation in its own fiber. */
  hold(): void
  /** Ends a hold: the loop goes on with what arrived meanwhile. */
  release(): void
  /**
   * Runs `operation` in the loop, between messages, and waits for its answer. The caller
   * may give up waiting (be interrupted); the operation still runs.
   */
  call<A, E>(operation: Effect.Effect<A, E>): Effect.Effect<A, E | SupervisorError.SupervisorStopped>
  /**
   * Like `call`, but offers the call now and returns only the wait. `first`: before all
   * other messages. `cleanUp` runs instead of the operation if the mailbox closes first.
   */
  post<A, E>(
    operation: Effect.Effect<A, E>,
    options?: { readonly first?: boolean | undefined; readonly cleanUp?: Effect.Effect<void> | undefined }
  ): Effect.Effect<A, E | SupervisorError.SupervisorStopped>
  /** Stops accepting messages and calls (the supervisor is stopping). */
  close(): void
  /** Answers the calls still in the mailbox with `SupervisorStopped` (after `close`). */
  readonly answerPending: Effect.Effect<void>
}

/**
 * Makes a mailbox. Its loop is one fiber running, over and over: take a message (`park`
 * when there is none) and handle it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SupervisorMailbox } from "@effect-otp/supervisor"
 *
 * type Message = { readonly _tag: "Ping" }
 *
 * const mailbox = SupervisorMailbox.make<Message>()
 * const loop: Effect.Effect<never> = Effect.flatMap(
 *   Effect.suspend(() => {
 *     const message = mailbox.take()
 *     if (message === undefined) return mailbox.park
 *     return message._tag === "Call" ? message.run : Effect.log("ping")
 *   }),
 *   () => loop
 * )
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <M>(): SupervisorMailbox<M> => new internal.SupervisorMailboxImpl<M>()

/**
 * `true` for a call (as opposed to a supervisor's own message).
 *
 * @since 0.2.0
 * @category refinements
 */
export const isCall: (message: unknown) => message is Call = internal.isCall
