import * as Cause from "effect/Cause"
import type * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as ExitReason from "../ExitReason.js"
import type * as GenServer from "../GenServer.js"
import type * as Process from "../Process.js"
import type * as Registry from "../Registry.js"
import * as SupervisorError from "../SupervisorError.js"
import { show } from "./issue.js"
import * as internalProcess from "./process.js"
import * as internalRegistry from "./registry.js"
import { type Cancel, schedule } from "./timer.js"

// -----------------------------------------------------------------------------
// Errors
// -----------------------------------------------------------------------------

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

// -----------------------------------------------------------------------------
// Definitions
// -----------------------------------------------------------------------------

/** @internal */
export const TypeId: GenServer.TypeId = Symbol.for("@effect-otp/supervisor/GenServer") as GenServer.TypeId

/** @internal */
export const RefTypeId: GenServer.RefTypeId = Symbol.for("@effect-otp/supervisor/GenServer/Ref") as GenServer.RefTypeId

/** @internal */
export const NameTypeId: GenServer.NameTypeId = Symbol.for(
  "@effect-otp/supervisor/GenServer/Name"
) as GenServer.NameTypeId

const variance = {
  _Args: (_: unknown) => _,
  _State: (_: unknown) => _,
  _Req: (_: unknown) => _,
  _Cast: (_: unknown) => _,
  _InitError: (_: never) => _,
  _R: (_: never) => _
}

const refVariance = { _Req: (_: unknown) => _, _Cast: (_: unknown) => _ }

type AnyEffect<A> = Effect.Effect<A, unknown, unknown>

/** @internal */
export type Handler = (request: unknown, state: unknown) => AnyEffect<readonly [unknown, unknown]>

/** @internal */
export interface Definition {
  readonly init: (args: unknown) => AnyEffect<unknown>
  readonly handlers: ReadonlyMap<string, Handler>
  readonly handleCast: ((message: unknown, state: unknown) => AnyEffect<unknown>) | undefined
  readonly terminate:
    | ((reason: ExitReason.ExitReason, state: unknown) => Effect.Effect<void, never, unknown>)
    | undefined
}

/** @internal */
export class GenServerImpl implements Definition {
  readonly [TypeId] = variance
  constructor(
    readonly init: (args: unknown) => AnyEffect<unknown>,
    readonly handlers: ReadonlyMap<string, Handler>,
    readonly handleCast: ((message: unknown, state: unknown) => AnyEffect<unknown>) | undefined,
    readonly terminate:
      | ((reason: ExitReason.ExitReason, state: unknown) => Effect.Effect<void, never, unknown>)
      | undefined
  ) {}
  pipe() {
    return pipeArguments(this, arguments)
  }
  toJSON() {
    return { _id: "GenServer", requests: Array.from(this.handlers.keys()) }
  }
}

/** @internal */
export const make = (definition: {
  readonly init: (args: never) => AnyEffect<unknown>
  readonly handlers?: object | undefined
  readonly handleCast?: ((message: never, state: never) => AnyEffect<unknown>) | undefined
  readonly terminate?:
    | ((reason: ExitReason.ExitReason, state: never) => Effect.Effect<void, never, unknown>)
    | undefined
}): GenServerImpl => {
  const handlers = new Map<string, Handler>()
  if (definition.handlers !== undefined) {
    for (const [tag, handler] of Object.entries(definition.handlers)) {
      if (typeof handler === "function") handlers.set(tag, handler as Handler)
    }
  }
  return new GenServerImpl(
    definition.init as (args: unknown) => AnyEffect<unknown>,
    handlers,
    definition.handleCast as ((message: unknown, state: unknown) => AnyEffect<unknown>) | undefined,
    definition.terminate as
      | ((reason: ExitReason.ExitReason, state: unknown) => Effect.Effect<void, never, unknown>)
      | undefined
  )
}

// -----------------------------------------------------------------------------
// Mailbox
// -----------------------------------------------------------------------------

const CALL = 0
const CAST = 1

const CLOSED = 0
const ACCEPTED = 1
const PARKED = 2

type Resume = (effect: Effect.Effect<unknown, unknown>) => void

/** One message: a call (with its caller's resume) or a cast. */
class Envelope {
  next: Envelope | undefined = undefined
  /** The sender gave up (timed out or interrupted): skip it while it is not accepted. */
  canceled = false
  cancelTimer: Cancel | undefined = undefined
  constructor(readonly kind: 0 | 1, readonly message: unknown, public resume: Resume | undefined) {}

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

interface OnCall {
  readonly onSuccess: (result: readonly [unknown, unknown]) => Effect.Effect<void>
  readonly onFailure: (cause: Cause.Cause<unknown>) => Effect.Effect<void, unknown>
}

/**
 * A GenServer process: the process itself (its ref), its state and its mailbox (a
 * linked list of envelopes; when bounded, senders beyond the capacity wait in an
 * overflow list). The server loop parks on one `Effect.async` resume when the mailbox
 * is empty.
 * @internal
 */
export class GenServerProcess extends internalProcess.ProcessImpl {
  readonly [RefTypeId] = refVariance
  state: unknown = undefined
  /** Set when the process starts stopping: calls by name wait for the next incarnation. */
  stopping = false
  closed = false
  private exitReply: Exit.Exit<never, ProcessExited> | undefined = undefined
  private head: Envelope | undefined = undefined
  private tail: Envelope | undefined = undefined
  private size = 0
  private overflowHead: Envelope | undefined = undefined
  private overflowTail: Envelope | undefined = undefined
  private waker: ((effect: Effect.Effect<void>) => void) | undefined = undefined
  private current: Envelope | undefined = undefined
  // made on first use, and kept: an idle server holds no more than its park
  private parkEffect: Effect.Effect<void> | undefined = undefined
  private onCall: OnCall | undefined = undefined
  private onCast: ((state: unknown) => Effect.Effect<void>) | undefined = undefined

  constructor(readonly definition: Definition, readonly capacity: number) {
    super()
  }

  /** The next step of the server's loop: handle one message, or park until one arrives. */
  next(): Effect.Effect<void, unknown, unknown> {
    const envelope = this.take()
    if (envelope === undefined) {
      if (this.parkEffect === undefined) {
        this.parkEffect = Effect.async<void>((resume) => {
          this.waker = resume
        })
      }
      return this.parkEffect
    }
    if (envelope.kind === CAST) {
      const handleCast = this.definition.handleCast
      if (handleCast === undefined) return Effect.dieMessage("the GenServer received a cast but has no handleCast")
      if (this.onCast === undefined) {
        this.onCast = (state) => {
          this.state = state
          return Effect.void
        }
      }
      return Effect.flatMap(handleCast(envelope.message, this.state), this.onCast)
    }
    this.current = envelope
    const request = envelope.message as { readonly _tag: string }
    const handler = this.definition.handlers.get(request._tag)
    if (handler === undefined) {
      return Effect.dieMessage(`the GenServer has no handler for requests tagged "${request._tag}"`)
    }
    if (this.onCall === undefined) this.onCall = this.makeOnCall()
    return Effect.matchCauseEffect(handler(request, this.state), this.onCall)
  }

  private makeOnCall(): OnCall {
    return {
      onSuccess: (result: readonly [unknown, unknown]) => {
        this.state = result[1]
        const envelope = this.current!
        this.current = undefined
        envelope.reply(Exit.succeed(result[0]))
        return Effect.void
      },
      onFailure: (cause: Cause.Cause<unknown>): Effect.Effect<void, unknown> => {
        if (Cause.isFailType(cause) && !(cause.error instanceof ExitReason.ShutdownRequest)) {
          // a typed failure of the request goes back to its caller only
          const envelope = this.current!
          this.current = undefined
          envelope.reply(Exit.fail(cause.error))
          return Effect.void
        }
        // a defect, an interruption or a ShutdownRequest ends the process; the caller is told on exit
        return Effect.failCause(cause)
      }
    }
  }

  offer(envelope: Envelope): 0 | 1 | 2 {
    if (this.closed) return CLOSED
    if (this.size < this.capacity) {
      this.size++
      if (this.tail === undefined) this.head = envelope
      else this.tail.next = envelope
      this.tail = envelope
      const waker = this.waker
      if (waker !== undefined) {
        this.waker = undefined
        waker(Effect.void)
      }
      return ACCEPTED
    }
    if (this.overflowTail === undefined) this.overflowHead = envelope
    else this.overflowTail.next = envelope
    this.overflowTail = envelope
    return PARKED
  }

  private take(): Envelope | undefined {
    const envelope = this.head
    if (envelope === undefined) return undefined
    this.head = envelope.next
    if (this.head === undefined) this.tail = undefined
    envelope.next = undefined
    this.size--
    if (this.overflowHead !== undefined) this.admit()
    return envelope
  }

  /** Moves the first waiting sender from the overflow into the mailbox. */
  private admit(): void {
    let envelope = this.overflowHead
    while (envelope !== undefined && envelope.canceled) envelope = envelope.next
    if (envelope === undefined) {
      this.overflowHead = this.overflowTail = undefined
      return
    }
    this.overflowHead = envelope.next
    if (this.overflowHead === undefined) this.overflowTail = undefined
    envelope.next = undefined
    this.size++
    if (this.tail === undefined) this.head = envelope
    else this.tail.next = envelope
    this.tail = envelope
    if (envelope.kind === CAST) envelope.reply(Exit.void)
  }

  /** Fiber observer: closes the mailbox and tells every waiting caller why the process ended. */
  readonly onExit = (exit: Exit.Exit<unknown, unknown>): void => {
    this.closed = true
    this.stopping = true
    this.reasonOf(exit) // classified now: `exited` reads it
    const current = this.current
    this.current = undefined
    if (current !== undefined) current.reply(this.exited)
    let envelope = this.head
    this.head = this.tail = undefined
    this.size = 0
    while (envelope !== undefined) {
      const next = envelope.next
      envelope.next = undefined
      if (envelope.kind === CALL) envelope.reply(this.exited)
      envelope = next
    }
    envelope = this.overflowHead
    this.overflowHead = this.overflowTail = undefined
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
    if (this.exitReply === undefined) {
      this.exitReply = Exit.fail(new ProcessExited({ process: this, reason: this.reason ?? ExitReason.killed }))
    }
    return this.exitReply
  }

  toString() {
    return `GenServer<${this.pid}>`
  }

  toJSON() {
    return { _id: "GenServer", pid: this.pid }
  }
}

// -----------------------------------------------------------------------------
// Starting
// -----------------------------------------------------------------------------

/**
 * The loop of every GenServer, one message after another: each step finds its server
 * in the process's context (`Self`), so that a server holds no loop of its own.
 */
const serverLoop: Effect.Effect<never, unknown, unknown> = Effect.flatMap(
  Effect.withFiberRuntime<void, unknown, unknown>((fiber) =>
    (Context.unsafeGet(fiber.currentContext, internalProcess.Self) as GenServerProcess).next()
  ),
  () => serverLoop
)

const markStopping = (server: GenServerProcess) =>
  internalProcess.addFinalizer(() =>
    Effect.sync(() => {
      server.stopping = true
    })
  )

const started = (server: GenServerProcess, state: unknown): Effect.Effect<void, never, unknown> => {
  server.state = state
  const terminate = server.definition.terminate
  // finalizers run in reverse order: `stopping` is set first, then `terminate` runs,
  // then what `init` acquired is released
  const finalizers = terminate === undefined
    ? markStopping(server)
    : Effect.zipRight(
      // `terminate` runs in the process's fiber, whose context provides what it needs
      internalProcess.addFinalizer((exit) =>
        Effect.suspend(() =>
          terminate(internalProcess.classify(exit, server.stopReason), server.state) as Effect.Effect<void>
        )
      ),
      markStopping(server)
    )
  return Effect.zipRight(
    finalizers,
    Effect.sync(() => server.fiber.addObserver(server.onExit))
  )
}

const initialize = (
  definition: Definition,
  args: unknown,
  name: string | undefined
): Effect.Effect<void, unknown, unknown> =>
  Effect.flatMap(internalProcess.Self, (self) => {
    const server = self as GenServerProcess
    if (name === undefined) return Effect.flatMap(definition.init(args), (state) => started(server, state))
    return internalRegistry.withRegistry((registry) => {
      // fail fast, without running `init`, when the name is held (OTP registers before `init`)
      const early = registry.holderOtherThan(name, server)
      if (early !== undefined) return Effect.fail(internalRegistry.alreadyStarted(name, early))
      return Effect.flatMap(definition.init(args), (state) => {
        const holder = registry.register(name, server)
        if (holder !== undefined) return Effect.fail(internalRegistry.alreadyStarted(name, holder))
        return started(server, state)
      })
    })
  })

/** @internal */
export interface SpawnOptions {
  readonly name?: Registry.Key | undefined
  readonly mailbox?: { readonly capacity?: number | undefined } | undefined
}

/** @internal */
export const spawn = (
  definition: Definition,
  args: unknown,
  options: SpawnOptions | undefined
): internalProcess.SpawnImpl<GenServerProcess, unknown, unknown> => {
  const capacity = options?.mailbox?.capacity ?? Infinity
  if (capacity !== Infinity && !(Number.isInteger(capacity) && capacity >= 1)) {
    // a typed failure of the start (not a defect): under a supervisor, a `StartFailed`
    return internalProcess.spawnFailure(
      new SupervisorError.InvalidOptions({
        message: `mailbox.capacity: expected a positive integer, got ${show(capacity)}`
      })
    )
  }
  const name = options?.name === undefined ? undefined : internalRegistry.keyOf(options.name)
  return internalProcess.spawnWithInit(
    initialize(definition, args, name),
    () => serverLoop,
    (server) => server,
    () => new GenServerProcess(definition, capacity)
  )
}

// -----------------------------------------------------------------------------
// Calls and casts
// -----------------------------------------------------------------------------

/** @internal */
export const defaultTimeout: Duration.Duration = Duration.seconds(5)

/**
 * The timeout of a call, `undefined` for none.
 * @internal
 */
export const decodeTimeout = (
  timeout: Duration.DurationInput | "infinity" | undefined
): Duration.Duration | undefined => {
  if (timeout === undefined) return defaultTimeout
  if (timeout === "infinity") return undefined
  const duration = Duration.decode(timeout)
  return Duration.isFinite(duration) ? duration : undefined
}

const registerCall = (
  server: GenServerProcess,
  request: unknown,
  resume: Resume,
  clock: Clock.Clock | undefined,
  timeout: Duration.Duration,
  reported: Duration.Duration
): Effect.Effect<void> | undefined => {
  const envelope = new Envelope(CALL, request, resume)
  const outcome = server.offer(envelope)
  if (outcome === CLOSED) {
    envelope.resume = undefined
    resume(server.exited)
    return undefined
  }
  if (clock !== undefined) envelope.cancelTimer = schedule(clock, timeout, () => envelope.expire(reported))
  // A canceler costs more than the rest of a call (Effect wraps the wait in `onInterrupt`),
  // so an accepted call has none: if its caller is interrupted, the request is still
  // handled (as OTP handles a message whose sender has gone) and the reply, like the
  // timer when it fires, finds the caller gone and is dropped. A call waiting for room
  // in a full mailbox is withdrawn when its caller is interrupted.
  return outcome === PARKED ? Effect.sync(() => envelope.cancel()) : undefined
}

/** @internal */
export const callProcess = (
  server: GenServerProcess,
  request: unknown,
  timeout: Duration.Duration | undefined,
  reported: Duration.Duration | undefined = timeout
): Effect.Effect<unknown, unknown> =>
  timeout === undefined
    ? Effect.async<unknown, unknown>((resume) =>
      registerCall(server, request, resume, undefined, Duration.zero, Duration.zero)
    )
    : Effect.clockWith((clock) =>
      Effect.async<unknown, unknown>((resume) => registerCall(server, request, resume, clock, timeout, reported!))
    )

const asServer = (key: string, holder: internalProcess.ProcessImpl): Effect.Effect<GenServerProcess> =>
  holder instanceof GenServerProcess
    ? Effect.succeed(holder)
    : Effect.dieMessage(`the process registered as "${key}" is not a GenServer`)

/** Waits until `key` has a usable holder again (or is removed, or the timeout passes). */
const awaitHolder = (
  registry: internalRegistry.RegistryImpl,
  key: string,
  clock: Clock.Clock | undefined,
  timeout: Duration.Duration
): Effect.Effect<internalProcess.ProcessImpl, internalRegistry.NoProcess | CallTimeout> =>
  Effect.async<internalProcess.ProcessImpl, internalRegistry.NoProcess | CallTimeout>((resume) => {
    const entry = registry.entries.get(key)
    if (entry === undefined) return resume(Effect.fail(new internalRegistry.NoProcess({ name: key })))
    const ready = entry.usable
    if (ready !== undefined) return resume(Effect.succeed(ready))
    let cancelTimer: Cancel | undefined = undefined
    const waiter: internalRegistry.Waiter = (holder) => {
      if (cancelTimer !== undefined) cancelTimer()
      resume(holder === undefined ? Effect.fail(new internalRegistry.NoProcess({ name: key })) : Effect.succeed(holder))
    }
    if (entry.waiters === undefined) entry.waiters = [waiter]
    else entry.waiters.push(waiter)
    if (clock !== undefined) {
      cancelTimer = schedule(clock, timeout, () => {
        entry.removeWaiter(waiter)
        resume(Effect.fail(new CallTimeout({ timeout })))
      })
    }
    return Effect.sync(() => {
      entry.removeWaiter(waiter)
      if (cancelTimer !== undefined) cancelTimer()
    })
  })

/** @internal */
export const callName = (
  key: string,
  request: unknown,
  timeout: Duration.Duration | undefined
): Effect.Effect<unknown, unknown, Registry.Registry> =>
  internalRegistry.withRegistry((registry) => {
    const entry = registry.entries.get(key)
    if (entry === undefined) return Effect.fail(new internalRegistry.NoProcess({ name: key }))
    const holder = entry.usable
    if (holder !== undefined) {
      return holder instanceof GenServerProcess
        ? callProcess(holder, request, timeout)
        : Effect.flatMap(asServer(key, holder), (server) => callProcess(server, request, timeout))
    }
    // the name is reserved for a process being restarted: wait for it within the timeout
    if (timeout === undefined) {
      return Effect.flatMap(
        Effect.flatMap(awaitHolder(registry, key, undefined, Duration.zero), (holder) => asServer(key, holder)),
        (server) => callProcess(server, request, undefined)
      )
    }
    return Effect.clockWith((clock) => {
      const start = clock.unsafeCurrentTimeMillis()
      return Effect.flatMap(
        Effect.flatMap(awaitHolder(registry, key, clock, timeout), (holder) => asServer(key, holder)),
        (server) => {
          const left = Duration.toMillis(timeout) - (clock.unsafeCurrentTimeMillis() - start)
          return left <= 0
            ? Effect.fail(new CallTimeout({ timeout }))
            : callProcess(server, request, Duration.millis(left), timeout)
        }
      )
    })
  })

/** @internal */
export const castProcess = (server: GenServerProcess, message: unknown): Effect.Effect<void> =>
  server.capacity === Infinity
    ? Effect.sync(() => {
      server.offer(new Envelope(CAST, message, undefined))
    })
    : Effect.async<void>((resume) => {
      const envelope = new Envelope(CAST, message, resume as Resume)
      if (server.offer(envelope) !== PARKED) {
        envelope.resume = undefined
        return resume(Effect.void)
      }
      return Effect.sync(() => envelope.cancel())
    })

/** @internal */
export const castName = (key: string, message: unknown): Effect.Effect<void, never, Registry.Registry> =>
  internalRegistry.withRegistry((registry) => {
    const holder = registry.entries.get(key)?.usable
    return holder instanceof GenServerProcess ? castProcess(holder, message) : Effect.void
  })

/** @internal */
export const whereis = (key: string): Effect.Effect<Option.Option<GenServerProcess>, never, Registry.Registry> =>
  internalRegistry.withRegistry((registry) =>
    Effect.succeed(
      Option.filter(
        registry.whereis(key),
        (process): process is GenServerProcess => process instanceof GenServerProcess
      )
    )
  )

const NameProto = {
  [NameTypeId]: refVariance,
  [internalRegistry.NameTypeId]: internalRegistry.NameTypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toString(this: { readonly key: string }) {
    return `Name<${this.key}>`
  },
  toJSON(this: { readonly key: string }) {
    return { _id: "GenServer/Name", key: this.key }
  }
}

/** @internal */
export const makeName = <N>(key: string): N => {
  const self = Object.create(NameProto)
  self.key = key
  return self
}
