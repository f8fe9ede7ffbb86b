/**
 * Bounded retries: an attempt repeated until it returns a value, for the tests that wait
 * on other processes (no clock to drive: real time).
 */
import { Effect } from "effect"

/** Retries `attempt` until it returns a value, every `everyMs`, for at most `timeoutMs` (then dies). */
export const eventually = <A, E, R>(
  attempt: Effect.Effect<A | undefined, E, R>,
  timeoutMs: number,
  everyMs: number,
  what: string
): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const value = yield* attempt
      if (value !== undefined) return value
      if (performance.now() > deadline) return yield* Effect.die(new Error(`${what}: not within ${timeoutMs} ms`))
      yield* Effect.sleep(everyMs)
    }
  })

/** {@link eventually} of an async function: rejects after `timeoutMs`, or as soon as an attempt rejects. */
export const eventuallyAsync = <A>(
  attempt: () => Promise<A | undefined>,
  timeoutMs: number,
  everyMs: number,
  what: string
): Promise<A> => Effect.runPromise(eventually(Effect.promise(attempt), timeoutMs, everyMs, what))
