/**
 * A handler's request to stop its server with a reason, optionally after replying and
 * with a last state (Elixir's `{:stop, reason, reply, state}`).
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ExitReason from "../../ExitReason.js"
import type { Stop, StopTypeId as GenServerStopTypeId } from "../../GenServer.js"
import { ExitRequestTypeId } from "../exitReason.js"
import { describeReason } from "../report.js"

/** @internal */
export const StopTypeId: GenServerStopTypeId = Symbol.for(
  "@effect-otp/supervisor/GenServer/Stop"
) as GenServerStopTypeId

const variance = { _A: (_: never) => _, _S: (_: never) => _ }

/** @internal */
export class StopImpl extends Data.TaggedError("Stop")<{
  readonly reason: ExitReason.ExitReason
  readonly reply: Option.Option<unknown>
  readonly state: Option.Option<unknown>
}> {
  readonly [StopTypeId] = variance
  /** The exit reason of the process that fails with it (see `classify`). */
  get [ExitRequestTypeId](): ExitReason.ExitReason {
    return this.reason
  }
  get message() {
    return `the server stops (${describeReason(this.reason)})`
  }
}

/**
 * The failure a handler returns to stop its server (documented in `GenServer.ts`). Not
 * stripped from the declarations: the public module re-exports it.
 */
export const stop = <A = never, S = never>(
  reason: ExitReason.ExitReason,
  options?: { readonly reply?: A; readonly state?: S }
): Effect.Effect<never, Stop<A, S>> =>
  Effect.fail(
    new StopImpl({
      reason,
      reply: options !== undefined && "reply" in options ? Option.some(options.reply) : Option.none(),
      state: options !== undefined && "state" in options ? Option.some(options.state) : Option.none()
    }) as unknown as Stop<A, S>
  )

/**
 * `true` for a handler's stop request (documented in `GenServer.ts`). Not stripped from
 * the declarations: the public module re-exports it.
 */
export const isStop = (u: unknown): u is Stop<unknown, unknown> => u instanceof StopImpl
