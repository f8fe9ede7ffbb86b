/**
 * A handler's request to stop its server with a reason, optionally after replying and
 * with a last state (Elixir's `{:stop, reason, reply, state}`).
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ExitReason from "../../ExitReason.js"
import type { Stop } from "../../GenServer.js"
import { ExitRequestTypeId } from "../exitReason.js"
import { describeReason } from "../report.js"
import { StopTypeId } from "./models.js"

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
 * Stops the server from a handler (Elixir's `{:stop, reason, reply, state}`): a handler
 * (or `handleCast`) fails with it: `return yield* GenServer.stop(reason, options)`. The server ends with exit reason `reason`:
 *
 * - `ExitReason.normal`, `ExitReason.shutdown`, `ExitReason.shutdownWith(x)`: normal
 *   exits; a `transient` child is not restarted (a `permanent` one is), no crash is
 *   reported;
 * - `ExitReason.abnormal(cause)` (or `ExitReason.killed`): a crash; `permanent` and
 *   `transient` children are restarted.
 *
 * With `reply`, the caller of the request being handled gets that reply first (typed:
 * it must be the request's reply type); without, it gets `ProcessExited` with the
 * reason, as every caller still queued does. With `state`, that is the server's last
 * state, the one `terminate` gets. `terminate` runs with `reason`.
 *
 * @example
 * ```ts
 * import { Effect, Request } from "effect"
 * import { ExitReason, GenServer } from "@effect-otp/supervisor"
 *
 * class Close extends Request.TaggedClass("Close")<number, never, {}> {}
 *
 * const Account = GenServer.make({
 *   requests: [Close],
 *   init: (balance: number) => Effect.succeed(balance),
 *   handlers: {
 *     // reply with the final balance, then end normally: a transient child stays stopped
 *     Close: (_, balance) => GenServer.stop(ExitReason.normal, { reply: balance, state: 0 })
 *   },
 *   terminate: (reason, balance) => Effect.log(`closed (${reason._tag}) with ${balance}`)
 * })
 * ```
 *
 * @since 0.3.0
 * @category constructors
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
 * `true` for a handler's stop request (see {@link stop}).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ExitReason, GenServer } from "@effect-otp/supervisor"
 *
 * const program = Effect.flip(GenServer.stop(ExitReason.normal)).pipe(Effect.map(GenServer.isStop)) // true
 * ```
 *
 * @since 0.3.0
 * @category refinements
 */
export const isStop = (u: unknown): u is Stop<unknown, unknown> => u instanceof StopImpl
