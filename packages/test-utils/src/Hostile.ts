/**
 * Scaffolding of the hostile-input tests (Supervisor.hostile, DynamicSupervisor.hostile):
 * siblings that must stay unaffected (a named echo GenServer answering `Ping`), specs as
 * a JavaScript caller could build them (fields unchecked by the types), a start that
 * hangs until a gate opens, a typed error read out of an `Exit` and described as
 * `{ _tag, message, id? }`, and a bounded wait that lets other fibers run without moving
 * the clock.
 */
import { ChildKind, ChildSpec, GenServer, Process } from "@effect-otp/supervisor"
import { Cause, Deferred, Effect, Exit, Option, ParseResult, Request } from "effect"

// -----------------------------------------------------------------------------
// A sibling that must stay unaffected: a named GenServer answering Ping
// -----------------------------------------------------------------------------

export class Ping extends Request.TaggedClass("Ping")<string, never, {}> {}

export const Echo = GenServer.make({
  requests: [Ping],
  init: (name: string) => Effect.succeed(name),
  handlers: { Ping: (_, name) => Effect.succeed([`pong from ${name}`, name]) }
})

/** An echo server registered under `id` (also its child id), stopped without a deadline. */
export const echoSpec = (id: string) => GenServer.childSpec(Echo, id, { id, name: id, shutdown: "infinity" })

/** `"pong from <id>"` from the echo server named `id`. */
export const ping = (id: string) => GenServer.call(GenServer.name(Echo, id), new Ping(), { timeout: "infinity" })

// -----------------------------------------------------------------------------
// Waiting and reading failures
// -----------------------------------------------------------------------------

/** Lets other fibers run (bounded), without moving the clock. */
export const settle = Effect.gen(function*() {
  for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
})

/** The typed failure of `exit` (throws if it succeeded or failed otherwise). */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got a success: ${String(exit.value)}`)
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return failure.value
}

/** A typed error as `{ _tag, message }` (ParseErrors formatted as `path: message` lines). */
export const described = (
  error: unknown
): { readonly _tag: string; readonly message: string; readonly id?: string } => {
  if (ParseResult.isParseError(error)) return { _tag: "ParseError", message: ChildKind.formatError(error) }
  const tagged = error as { readonly _tag: string; readonly message: string; readonly id?: unknown }
  return tagged.id === undefined
    ? { _tag: tagged._tag, message: tagged.message }
    : { _tag: tagged._tag, message: tagged.message, id: String(tagged.id) }
}

// -----------------------------------------------------------------------------
// Specs
// -----------------------------------------------------------------------------

export const never = Effect.never

/** A spec as a JavaScript caller (or bad configuration) could build it: fields unchecked by the types. */
export const spec = (fields: Record<string, unknown>) =>
  ChildSpec.make({ start: never, ...fields } as unknown as ChildSpec.Options & { readonly start: typeof never })

/** What a bad `shutdown` is told it should have been. */
export const shutdownExpectation =
  "expected \"brutal_kill\", \"infinity\", a number of milliseconds >= 0 or a duration such as \"5 seconds\""

/** A child whose start (its `init`) waits until `gate` is opened. */
export const slowStart = (id: string, gate: Deferred.Deferred<void>) =>
  ChildSpec.make({ id, shutdown: "infinity", start: Process.withInit(Deferred.await(gate), () => never) })
