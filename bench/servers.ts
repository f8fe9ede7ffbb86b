/**
 * The server every workload uses, twice: as a GenServer, and as the raw Effect
 * equivalent (a fiber taking requests from a `Queue` and replying by completing each
 * request's `Deferred`). Both run the same handler functions.
 */
import { GenServer } from "@effect-otp/supervisor"
import { Deferred, Effect, Queue, Request } from "effect"

/** A call: replies with the state (a counter). */
export class Ping extends Request.TaggedClass("Ping")<number, never, {}> {}

/** A cast: adds one to the counter. */
export class Bump {
  readonly _tag = "Bump"
}

export const ping = new Ping()
export const bump = new Bump()

export const handlePing = (_: Ping, count: number) => Effect.succeed([count, count] as const)
export const handleBump = (_: Bump, count: number) => Effect.succeed(count + 1)

export const Server = GenServer.make({
  requests: [Ping],
  init: (initial: number) => Effect.succeed(initial),
  handlers: { Ping: handlePing },
  handleCast: handleBump
})

export const ServerName = GenServer.name(Server, "bench-server")

/**
 * The same server whose call handler runs an effect (`Effect.sync`): a GenServer answers
 * it from its own fiber (a handler that answers at once, as `Server`'s does, is answered
 * in the caller's fiber when the server is idle).
 */
export const FiberServer = GenServer.make({
  requests: [Ping],
  init: (initial: number) => Effect.succeed(initial),
  handlers: { Ping: (_: Ping, count: number) => Effect.sync(() => [count, count] as const) },
  handleCast: handleBump
})

// -----------------------------------------------------------------------------
// Raw Effect
// -----------------------------------------------------------------------------

/** A message of the raw server: a call carries the Deferred its reply completes; a cast has none. */
export interface RawMessage {
  readonly message: Ping | Bump
  readonly reply: Deferred.Deferred<number> | undefined
}

export type RawMailbox = Queue.Queue<RawMessage>

/** The raw server loop: take, handle, reply; runs until interrupted. */
export const rawServer = (mailbox: RawMailbox, initial: number): Effect.Effect<never> => {
  let state = initial
  const onCast = (next: number) => {
    state = next
    return Effect.void
  }
  const step = Effect.flatMap(Queue.take(mailbox), (envelope): Effect.Effect<unknown> => {
    if (envelope.reply === undefined) return Effect.flatMap(handleBump(envelope.message as Bump, state), onCast)
    const reply = envelope.reply
    return Effect.flatMap(handlePing(envelope.message as Ping, state), ([answer, next]) => {
      state = next
      return Deferred.succeed(reply, answer)
    })
  })
  return Effect.forever(step)
}

/** A call to the raw server: offer the request with a fresh Deferred, await the reply. */
export const rawCall = (mailbox: RawMailbox, message: Ping): Effect.Effect<number> =>
  Effect.flatMap(
    Deferred.make<number>(),
    (reply) => Effect.zipRight(Queue.offer(mailbox, { message, reply }), Deferred.await(reply))
  )

const castMessage: RawMessage = { message: bump, reply: undefined }

/** A cast to the raw server. */
export const rawCast = (mailbox: RawMailbox): Effect.Effect<boolean> => Queue.offer(mailbox, castMessage)

/** Runs `effect` `n` times in sequence. */
export const times = <E, R>(n: number, effect: Effect.Effect<unknown, E, R>): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    for (let i = 0; i < n; i++) yield* effect
  })
