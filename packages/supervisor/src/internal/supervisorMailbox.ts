import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as SupervisorError from "../SupervisorError.js"
import { schedule } from "./timer.js"

/**
 * An operation run by a supervisor's loop between two messages, answering its caller.
 */
export interface Call {
  readonly _tag: "Call"
  readonly run: Effect.Effect<void>
}

/** A message in the mailbox (a linked list). */
class Envelope<M> {
  next: Envelope<M> | undefined = undefined
  constructor(readonly message: M) {}
}

const supervisorStopped = Exit.fail(new SupervisorError.SupervisorStopped())

/**
 * The mailbox of a supervisor's loop: its messages (child exits, restart timers) and calls
 * (operations run in the loop, between messages, that answer their caller, or fail with
 * `SupervisorStopped` once it has stopped).
 */
export class SupervisorMailboxImpl<M> {
  private head: Envelope<M | Call> | undefined = undefined
  private tail: Envelope<M | Call> | undefined = undefined
  /** Resumes the loop parked on the empty mailbox. */
  private waker: ((effect: Effect.Effect<void>) => void) | undefined = undefined
  private held = false
  private open = true

  get alive(): boolean {
    return this.open
  }

  get idle(): boolean {
    return this.waker !== undefined && this.head === undefined && !this.held && this.open
  }

  offer(message: M | Call): void {
    if (!this.open) return
    const envelope = new Envelope(message)
    if (this.tail === undefined) this.head = envelope
    else this.tail.next = envelope
    this.tail = envelope
    if (!this.held) this.wake()
  }

  offerFirst(message: M | Call): void {
    if (!this.open) return
    const envelope = new Envelope(message)
    envelope.next = this.head
    this.head = envelope
    if (this.tail === undefined) this.tail = envelope
    if (!this.held) this.wake()
  }

  offerAfter(delay: Duration.DurationInput, message: M): Effect.Effect<() => void> {
    const duration = Duration.decode(delay)
    return Effect.clockWith((clock) => Effect.sync(() => schedule(clock, duration, () => this.offer(message))))
  }

  private wake(): void {
    const waker = this.waker
    if (waker !== undefined && this.head !== undefined) {
      this.waker = undefined
      waker(Effect.void)
    }
  }

  take(): M | Call | undefined {
    const envelope = this.head
    if (envelope === undefined) return undefined
    this.head = envelope.next
    if (this.head === undefined) this.tail = undefined
    // a taken envelope that kept its successor would keep it alive through the young
    // generation's collections once promoted itself, and its successor the next one
    envelope.next = undefined
    return envelope.message
  }

  readonly park: Effect.Effect<void> = Effect.async<void>((resume) => {
    this.waker = resume
  })

  hold(): void {
    this.held = true
  }

  release(): void {
    this.held = false
    this.wake()
  }

  call<A, E>(operation: Effect.Effect<A, E>): Effect.Effect<A, E | SupervisorError.SupervisorStopped> {
    return Effect.suspend(() => this.post(operation))
  }

  post<A, E>(
    operation: Effect.Effect<A, E>,
    options?: { readonly first?: boolean | undefined; readonly cleanUp?: Effect.Effect<void> | undefined }
  ): Effect.Effect<A, E | SupervisorError.SupervisorStopped> {
    const cleanUp = options?.cleanUp ?? Effect.void
    if (!this.open) return Effect.zipRight(cleanUp, supervisorStopped)
    let answer: Exit.Exit<A, E | SupervisorError.SupervisorStopped> | undefined = undefined
    let resume: ((exit: Exit.Exit<A, E | SupervisorError.SupervisorStopped>) => void) | undefined = undefined
    const reply = (exit: Exit.Exit<A, E | SupervisorError.SupervisorStopped>) => {
      if (resume === undefined) answer = exit
      else resume(exit)
    }
    const stopped = Effect.sync(() => reply(supervisorStopped))
    // an operation cut short by the supervisor's own stop still answers its caller
    const run = Effect.onInterrupt(Effect.map(Effect.exit(operation), reply), () => stopped)
    const call: Call = {
      _tag: "Call",
      run: Effect.suspend(() => this.open ? run : Effect.zipRight(cleanUp, stopped))
    }
    if (options?.first === true) this.offerFirst(call)
    else this.offer(call)
    return Effect.suspend(() =>
      answer !== undefined ? answer : Effect.async<A, E | SupervisorError.SupervisorStopped>((callback) => {
        resume = callback
      })
    )
  }

  close(): void {
    this.open = false
    this.waker = undefined
  }

  readonly answerPending: Effect.Effect<void> = Effect.suspend(() => {
    const calls: Array<Effect.Effect<void>> = []
    for (let message = this.take(); message !== undefined; message = this.take()) {
      if (isCall(message)) calls.push(message.run)
    }
    return Effect.all(calls, { discard: true })
  })
}

export const isCall = (message: unknown): message is Call =>
  typeof message === "object" && message !== null && (message as { readonly _tag?: unknown })._tag === "Call" &&
  "run" in message
