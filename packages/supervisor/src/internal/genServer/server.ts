/**
 * A running GenServer: its process, its state and its mailbox, and the step of its loop.
 */
import * as Cause from "effect/Cause"
import type * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as ExitReason from "../../ExitReason.js"
import type { RefTypeId as GenServerRefTypeId } from "../../GenServerClient.js"
import * as internalProcess from "../process.js"
import { type Cancel, schedule } from "../timer.js"
import type { Definition } from "./definition.js"
import { CALL, CAST, Envelope, type Handled } from "./envelope.js"
import { ProcessExited } from "./errors.js"
import { StopImpl } from "./stop.js"

/** @internal */
export const RefTypeId: GenServerRefTypeId = Symbol.for(
  "@effect-otp/supervisor/GenServer/Ref"
) as GenServerRefTypeId

/** @internal */
export const refVariance = { _Req: (_: unknown) => _, _Cast: (_: unknown) => _ }

/** @internal */
export const CLOSED = 0
const ACCEPTED = 1
/** @internal */
export const PARKED = 2

/** `Exit.isExit`, keeping the effect's types. */
const isExit = <A, E>(effect: Effect.Effect<A, E, unknown>): effect is Exit.Exit<A, E> => Exit.isExit(effect)

interface OnCall {
  readonly onSuccess: (result: readonly [unknown, unknown]) => Effect.Effect<void>
  readonly onFailure: (cause: Cause.Cause<unknown>) => Effect.Effect<void, unknown>
}

/**
 * The loop of every GenServer, one message after another: each step finds its server in
 * the process's context (`Self`), so that a server holds no loop of its own. The loop
 * ends when its server hibernates (the process goes on, without a fiber).
 * @internal
 */
export const serverLoop: Effect.Effect<unknown, unknown> = Effect.suspend(() => loop)

// the handlers' requirements are in the process's context, which every fiber of it runs with
const step = Effect.withFiberRuntime((fiber) =>
  (Context.unsafeGet(fiber.currentContext, internalProcess.Self) as GenServerProcess).next()
) as Effect.Effect<unknown, unknown>

const continueLoop = (result: unknown): Effect.Effect<unknown, unknown> =>
  internalProcess.isHibernation(result) ? internalProcess.hibernate : loop

const loop: Effect.Effect<unknown, unknown> = Effect.flatMap(step, continueLoop)

/**
 * What every server started by one spawn shares: its definition, its mailbox's capacity,
 * and the milliseconds of idleness after which it hibernates (0: as soon as its mailbox
 * is empty; `Infinity`: never).
 * @internal
 */
export interface ServerConfig {
  readonly definition: Definition
  readonly capacity: number
  readonly hibernateAfter: number
}

/**
 * What a server holds once it has been active: its loop's continuations and its park
 * (made once, then kept), the call it is handling, its idle timer and clock, the senders
 * waiting for room in its full mailbox, and the reply to calls made after its end. Made
 * on first use: a server started hibernated that never woke holds none of it.
 * @internal
 */
class ActiveState {
  waker: ((effect: Effect.Effect<void>) => void) | undefined = undefined
  current: Envelope | undefined = undefined
  parkEffect: Effect.Effect<void> | undefined = undefined
  onCall: OnCall | undefined = undefined
  onCast: ((state: unknown) => Effect.Effect<void>) | undefined = undefined
  onCastFailure: ((cause: Cause.Cause<unknown>) => Effect.Effect<never, unknown>) | undefined = undefined
  /** The clock of the idle timer (a `hibernateAfter` above 0 and finite), read at start. */
  clock: Clock.Clock | undefined = undefined
  /** When the server last parked, in the clock's milliseconds. */
  idleSince = 0
  idleTimer: Cancel | undefined = undefined
  overflowHead: Envelope | undefined = undefined
  overflowTail: Envelope | undefined = undefined
  exitReply: Exit.Exit<never, ProcessExited> | undefined = undefined
}

const OPEN = 0
const STOPPING = 1
const ENDED = 2

/**
 * A GenServer process: the process itself (its ref), its state and its mailbox (a
 * linked list of envelopes; when bounded, senders beyond the capacity wait in an
 * overflow list). When the mailbox is empty, the server loop parks on one `Effect.async`
 * resume, or hibernates (OTP's `hibernate_after`): its fiber ends, and the next message
 * runs a new one, from the same context, scope and fiber refs. An idle server holds few
 * fields (each costs 8 bytes per server): what only an active one needs is in its
 * {@link ActiveState}.
 * @internal
 */
export class GenServerProcess extends internalProcess.ProcessImpl {
  get [RefTypeId]() {
    return refVariance
  }
  state: unknown = undefined
  private phase: 0 | 1 | 2 = OPEN
  private head: Envelope | undefined = undefined
  private tail: Envelope | undefined = undefined
  private size = 0
  private activeState: ActiveState | undefined = undefined

  /** @param config what every server started by one spawn shares */
  constructor(readonly config: ServerConfig) {
    super()
  }

  get definition(): Definition {
    return this.config.definition
  }

  get capacity(): number {
    return this.config.capacity
  }

  get hibernateAfter(): number {
    return this.config.hibernateAfter
  }

  get hibernates(): boolean {
    return this.hibernateAfter !== Infinity
  }

  /** Set when the process starts stopping: calls by name wait for the next incarnation. */
  get stopping(): boolean {
    return this.phase !== OPEN
  }

  private get active(): ActiveState {
    if (this.activeState === undefined) this.activeState = new ActiveState()
    return this.activeState
  }

  /** Sets the clock of the idle timer (a `hibernateAfter` above 0 and finite). */
  set clock(clock: Clock.Clock) {
    this.active.clock = clock
  }

  /** The next step of the server's loop: handle one message, or wait until one arrives. */
  next(): Effect.Effect<unknown, unknown, unknown> {
    const envelope = this.take()
    const active = this.active
    if (envelope === undefined) return this.idle(active)
    if (envelope.kind === CAST) {
      const handleCast = this.definition.handleCast
      if (handleCast === undefined) return Effect.dieMessage("the GenServer received a cast but has no handleCast")
      if (active.onCast === undefined) {
        active.onCast = (state) => {
          this.state = state
          return Effect.void
        }
      }
      if (active.onCastFailure === undefined) {
        active.onCastFailure = (cause) => {
          // a stop's last state is the one `terminate` gets
          if (Cause.isFailType(cause) && cause.error instanceof StopImpl && Option.isSome(cause.error.state)) {
            this.state = cause.error.state.value
          }
          return Effect.failCause(cause)
        }
      }
      return Effect.matchCauseEffect(handleCast(envelope.message, this.state), {
        onSuccess: active.onCast,
        onFailure: active.onCastFailure
      })
    }
    active.current = envelope
    if (active.onCall === undefined) active.onCall = this.makeOnCall(active)
    return Effect.matchCauseEffect(envelope.handled ?? this.handle(envelope.message), active.onCall)
  }

  /** What the request's handler returns for the current state (run in the server's fiber). */
  handle(message: unknown): Handled {
    const request = message as { readonly _tag: string }
    const handler = this.definition.handlers.get(request._tag)
    if (handler === undefined) {
      return Effect.dieMessage(`the GenServer has no handler for requests tagged "${request._tag}"`)
    }
    return handler(request, this.state)
  }

  /**
   * What the request's handler returns for the current state, run outside the server's
   * fiber (see `idleNow`): a handler that throws gives the defect the server's fiber
   * would have died with.
   */
  handleAtOnce(message: unknown): Handled {
    try {
      return this.handle(message)
    } catch (defect) {
      return Effect.die(defect)
    }
  }

  /**
   * Whether a call may be handled at once, in its caller's fiber: the server is idle (its
   * mailbox empty, its fiber parked or none), and nothing asked it to stop. It would take
   * the call next, with the same state, and its handler would run in the same thread.
   */
  get idleNow(): boolean {
    if (this.phase !== OPEN || this.head !== undefined || this.interruptor !== undefined) return false
    const active = this.activeState
    return (active !== undefined && active.waker !== undefined) || this.isHibernating
  }

  /**
   * The answer to a call whose handler returned `handled` at once (see `idleNow`), when
   * it needs nothing of the server's fiber: a reply (the state moves on) or a typed
   * failure for the caller, as `Exit`s. Anything else (an effect to run, a stop, a
   * defect) is `undefined`: the server's fiber carries on with it.
   */
  answerAtOnce(handled: Handled): Exit.Exit<unknown, unknown> | undefined {
    if (!isExit(handled)) return undefined
    if (Exit.isSuccess(handled)) {
      const result = handled.value
      this.state = result[1]
      this.handledAtOnce()
      return Exit.succeed(result[0])
    }
    const cause = handled.cause
    if (
      !Cause.isFailType(cause) || cause.error instanceof StopImpl || cause.error instanceof ExitReason.ShutdownRequest
    ) {
      return undefined
    }
    this.handledAtOnce()
    return Exit.fail(cause.error)
  }

  /** A parked server handled a message: its idleness starts again (see `hibernateAfter`). */
  private handledAtOnce(): void {
    const active = this.activeState
    if (active !== undefined && active.waker !== undefined && active.clock !== undefined) {
      active.idleSince = active.clock.unsafeCurrentTimeMillis()
    }
  }

  /** Nothing to do: hibernate, or park (with a timer to hibernate after `hibernateAfter`). */
  private idle(active: ActiveState): Effect.Effect<unknown> {
    if (this.hibernateAfter === 0) return internalProcess.hibernate
    if (this.hibernateAfter !== Infinity) {
      active.idleSince = active.clock!.unsafeCurrentTimeMillis()
      // a timer armed earlier, still pending, checks the idleness when it fires
      if (active.idleTimer === undefined) this.armIdleTimer(active, this.hibernateAfter)
    }
    if (active.parkEffect === undefined) {
      active.parkEffect = Effect.async<unknown>((resume) => {
        active.waker = resume
      })
    }
    return active.parkEffect
  }

  private armIdleTimer(active: ActiveState, millis: number): void {
    active.idleTimer = schedule(active.clock!, Duration.millis(millis), () => this.idleTimerFired(active))
  }

  /** Hibernates a server parked for `hibernateAfter`; one parked for less is checked again later. */
  private idleTimerFired(active: ActiveState): void {
    active.idleTimer = undefined
    const waker = active.waker
    // busy: its next park arms the timer again
    if (waker === undefined) return
    const idle = active.clock!.unsafeCurrentTimeMillis() - active.idleSince
    if (idle < this.hibernateAfter) return this.armIdleTimer(active, this.hibernateAfter - idle)
    active.waker = undefined
    waker(internalProcess.hibernate)
  }

  protected hibernating(fiber: Fiber.RuntimeFiber<unknown, unknown>): void {
    super.hibernating(fiber)
    // a message that arrived while the fiber was ending runs a new one at once (unless
    // the process was interrupted meanwhile: it is running to its end, or has ended)
    if (this.isHibernating && this.head !== undefined) internalProcess.resume(this, serverLoop)
  }

  private makeOnCall(active: ActiveState): OnCall {
    /** The call being handled, which is answered now. */
    const answered = (): Envelope => {
      const envelope = active.current!
      active.current = undefined
      return envelope
    }
    return {
      onSuccess: (result: readonly [unknown, unknown]) => {
        this.state = result[1]
        answered().reply(Exit.succeed(result[0]))
        return Effect.void
      },
      onFailure: (cause: Cause.Cause<unknown>): Effect.Effect<void, unknown> => {
        if (Cause.isFailType(cause) && cause.error instanceof StopImpl) {
          // a stop: the last state, the reply (if any) to the caller, then the process ends
          const stop = cause.error
          if (Option.isSome(stop.state)) this.state = stop.state.value
          if (Option.isSome(stop.reply)) answered().reply(Exit.succeed(stop.reply.value))
          return Effect.failCause(cause)
        }
        if (Cause.isFailType(cause) && !(cause.error instanceof ExitReason.ShutdownRequest)) {
          // a typed failure of the request goes back to its caller only
          answered().reply(Exit.fail(cause.error))
          return Effect.void
        }
        // a defect, an interruption or a ShutdownRequest ends the process; the caller is told on exit
        return Effect.failCause(cause)
      }
    }
  }

  offer(envelope: Envelope): 0 | 1 | 2 {
    if (this.phase === ENDED) return CLOSED
    if (this.size < this.capacity) {
      this.size++
      if (this.tail === undefined) this.head = envelope
      else this.tail.next = envelope
      this.tail = envelope
      const active = this.activeState
      const waker = active === undefined ? undefined : active.waker
      if (waker !== undefined) {
        active!.waker = undefined
        waker(Effect.void)
      } else if (this.isHibernating) {
        internalProcess.resume(this, serverLoop)
      }
      return ACCEPTED
    }
    const active = this.active
    if (active.overflowTail === undefined) active.overflowHead = envelope
    else active.overflowTail.next = envelope
    active.overflowTail = envelope
    return PARKED
  }

  private take(): Envelope | undefined {
    const envelope = this.head
    if (envelope === undefined) return undefined
    this.head = envelope.next
    if (this.head === undefined) this.tail = undefined
    envelope.next = undefined
    this.size--
    const active = this.activeState
    if (active !== undefined && active.overflowHead !== undefined) this.admit(active)
    return envelope
  }

  /** Moves the first waiting sender from the overflow into the mailbox. */
  private admit(active: ActiveState): void {
    let envelope = active.overflowHead
    while (envelope !== undefined && envelope.canceled) envelope = envelope.next
    if (envelope === undefined) {
      active.overflowHead = active.overflowTail = undefined
      return
    }
    active.overflowHead = envelope.next
    if (active.overflowHead === undefined) active.overflowTail = undefined
    envelope.next = undefined
    this.size++
    if (this.tail === undefined) this.head = envelope
    else this.tail.next = envelope
    this.tail = envelope
    if (envelope.kind === CAST) envelope.reply(Exit.void)
  }

  protected closing(): void {
    if (this.phase === OPEN) this.phase = STOPPING
  }

  /** Closes the mailbox and tells every waiting caller why the process ended. */
  protected ended(exit: Exit.Exit<unknown, unknown>): void {
    this.phase = ENDED
    this.reasonOf(exit) // classified now: `exited` reads it
    const active = this.activeState
    if (active !== undefined) {
      const idleTimer = active.idleTimer
      if (idleTimer !== undefined) {
        active.idleTimer = undefined
        idleTimer()
      }
      const current = active.current
      active.current = undefined
      if (current !== undefined) current.reply(this.exited)
    }
    let envelope = this.head
    this.head = this.tail = undefined
    this.size = 0
    while (envelope !== undefined) {
      const next = envelope.next
      envelope.next = undefined
      if (envelope.kind === CALL) envelope.reply(this.exited)
      envelope = next
    }
    if (active === undefined) return
    envelope = active.overflowHead
    active.overflowHead = active.overflowTail = undefined
    while (envelope !== undefined) {
      const next = envelope.next
      envelope.next = undefined
      envelope.reply(envelope.kind === CALL ? this.exited : Exit.void)
      envelope = next
    }
  }

  /**
   * The reply to a call that the ended process will never answer. Built on first use:
   * most processes end with no call pending, and an error captures a stack trace.
   */
  get exited(): Exit.Exit<never, ProcessExited> {
    const active = this.active
    if (active.exitReply === undefined) {
      active.exitReply = Exit.fail(new ProcessExited({ process: this, reason: this.reason ?? ExitReason.killed }))
    }
    return active.exitReply
  }

  toString() {
    return `GenServer<${this.pid}>`
  }

  toJSON() {
    return { _id: "GenServer", pid: this.pid }
  }
}
