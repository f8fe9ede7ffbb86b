/**
 * The client side of a GenServer: calls (with their timeouts), casts, lookups by name and
 * typed names.
 */
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Request from "effect/Request"
import type { Any, AnyRequest, GenServer } from "../../GenServer.js"
import type {
  CallOptions,
  CastOf,
  Name,
  NameTypeId as GenServerNameTypeId,
  Ref,
  RequestOf
} from "../../GenServerClient.js"
import type * as Registry from "../../Registry.js"
import * as internalProcess from "../process.js"
import * as internalRegistry from "../registry.js"
import { type Cancel, schedule } from "../timer.js"
import { CALL, CAST, Envelope, type Handled, type Resume } from "./envelope.js"
import { CallTimeout, type ProcessExited } from "./errors.js"
import { CLOSED, GenServerProcess, PARKED, RefTypeId, refVariance } from "./server.js"

/** @internal */
export const NameTypeId: GenServerNameTypeId = Symbol.for(
  "@effect-otp/supervisor/GenServer/Name"
) as GenServerNameTypeId

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
  handled: Handled | undefined,
  resume: Resume,
  clock: Clock.Clock | undefined,
  timeout: Duration.Duration,
  reported: Duration.Duration
): Effect.Effect<void> | undefined => {
  const envelope = new Envelope(CALL, request, resume, handled)
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

/** Sends a call (`handled`: what its handler already returned) and waits for the reply. */
const awaitReply = (
  server: GenServerProcess,
  request: unknown,
  handled: Handled | undefined,
  timeout: Duration.Duration | undefined,
  reported: Duration.Duration | undefined
): Effect.Effect<unknown, unknown> =>
  timeout === undefined
    ? Effect.async<unknown, unknown>((resume) =>
      registerCall(server, request, handled, resume, undefined, Duration.zero, Duration.zero)
    )
    : Effect.clockWith((clock) =>
      Effect.async<unknown, unknown>((resume) =>
        registerCall(server, request, handled, resume, clock, timeout, reported!)
      )
    )

/**
 * A call. An idle server's handler is run at once, in the caller's fiber (see
 * `GenServerProcess.idleNow`): when it answers at once (an `Exit`), the caller has its
 * reply with no trip to the server's fiber; otherwise the server's fiber carries on with
 * what it returned.
 * @internal
 */
export const callProcess = (
  server: GenServerProcess,
  request: unknown,
  timeout: Duration.Duration | undefined,
  reported: Duration.Duration | undefined = timeout
): Effect.Effect<unknown, unknown> =>
  Effect.suspend(() => {
    if (!server.idleNow) return awaitReply(server, request, undefined, timeout, reported)
    const handled = server.handleAtOnce(request)
    return server.answerAtOnce(handled) ?? awaitReply(server, request, handled, timeout, reported)
  })

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

const whereisKey = (key: string): Effect.Effect<Option.Option<GenServerProcess>, never, Registry.Registry> =>
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

/**
 * `true` for a running GenServer's ref (documented in `GenServerClient.ts`). Not stripped from the declarations: the public module re-exports it.
 */
export const isRef = (u: unknown): u is Ref<AnyRequest, unknown> =>
  typeof u === "object" && u !== null && RefTypeId in u

/**
 * A typed name (documented in `GenServerClient.ts`). Not stripped from the declarations: the public module re-exports it.
 */
export const name: {
  <Args, State, Req extends AnyRequest, Cast, InitError, R>(
    server: GenServer<Args, State, Req, Cast, InitError, R>,
    key: string
  ): Name<Req, Cast>
  <G extends Any>(key: string): Name<RequestOf<G>, CastOf<G>>
} =
  ((serverOrKey: Any | string, key?: string) =>
    makeName(typeof serverOrKey === "string" ? serverOrKey : key!)) as typeof name

/**
 * Sends a request and waits for its reply (documented in `GenServerClient.ts`). Not stripped from the declarations: the public module re-exports it.
 */
export const call: {
  <Req extends AnyRequest, Cast, Q extends Req>(
    target: Name<Req, Cast>,
    request: Q,
    options?: CallOptions
  ): Effect.Effect<
    Request.Request.Success<Q>,
    Request.Request.Error<Q> | CallTimeout | ProcessExited | internalRegistry.NoProcess,
    Registry.Registry
  >
  <Req extends AnyRequest, Q extends Req>(
    target: Ref<Req, never>,
    request: Q,
    options?: CallOptions
  ): Effect.Effect<
    Request.Request.Success<Q>,
    Request.Request.Error<Q> | CallTimeout | ProcessExited
  >
} = ((
  target: Name<AnyRequest, unknown> | Ref<AnyRequest, never>,
  request: AnyRequest,
  options?: CallOptions
): Effect.Effect<unknown, unknown, Registry.Registry> => {
  const timeout = decodeTimeout(options?.timeout)
  return target instanceof GenServerProcess
    ? callProcess(target, request, timeout)
    : callName((target as Name<AnyRequest, unknown>).key, request, timeout)
}) as typeof call

/**
 * Sends a message without waiting for a reply (documented in `GenServerClient.ts`). Not stripped from the declarations: the public module re-exports it.
 */
export const cast: {
  <Req extends AnyRequest, Cast>(target: Name<Req, Cast>, message: Cast): Effect.Effect<void, never, Registry.Registry>
  <Cast>(target: Ref<never, Cast>, message: Cast): Effect.Effect<void>
} = ((
  target: Name<AnyRequest, unknown> | Ref<never, unknown>,
  message: unknown
): Effect.Effect<void, never, Registry.Registry> =>
  target instanceof GenServerProcess
    ? castProcess(target, message)
    : castName((target as Name<AnyRequest, unknown>).key, message)) as typeof cast

/**
 * The server registered under a name (documented in `GenServerClient.ts`). Not stripped from the declarations: the public module re-exports it.
 */
export const whereis = <Req extends AnyRequest, Cast>(
  name: Name<Req, Cast>
): Effect.Effect<Option.Option<Ref<Req, Cast>>, never, Registry.Registry> =>
  whereisKey(name.key) as unknown as Effect.Effect<Option.Option<Ref<Req, Cast>>, never, Registry.Registry>
