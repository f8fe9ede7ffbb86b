/**
 * How a supervisor starts a child's incarnation, and what it reads of the fiber it starts in.
 */
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import type * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Process from "../../Process.js"
import * as SupervisorError from "../../SupervisorError.js"
import type { Origin, SpawnImpl, Started, StartingImpl } from "../process.js"
import { runScoped } from "../process/run.js"
import { startSpan, tracing } from "../report.js"
import type { ChildRecord } from "./record.js"

/**
 * What a supervisor reads of the fiber it starts in: its fiber refs and runtime flags
 * (which its children inherit), its clock, and whether a tracer is installed.
 */
export interface Self {
  readonly origin: Origin
  readonly clock: Clock.Clock
  readonly tracing: boolean
}

/** Waits for a start, within the child's `startTimeout` if it has one. */
export const awaitStart = (
  starting: { readonly await: Effect.Effect<Started<unknown>, unknown> },
  id: string,
  startTimeout: Option.Option<Duration.Duration>
): Effect.Effect<Started<unknown>, unknown> =>
  Option.isNone(startTimeout) ? starting.await : Effect.timeoutFail(starting.await, {
    duration: startTimeout.value,
    onTimeout: () => new SupervisorError.StartTimeout({ id, timeout: startTimeout.value })
  })

/**
 * One start of `spawn` for a child, in a span when tracing, within its `startTimeout`.
 */
export const spawnChild = (
  path: string,
  traced: boolean,
  record: Pick<ChildRecord, "id" | "startTimeout" | "origin">,
  spawn: Process.Spawn<unknown, unknown, unknown>,
  restart: boolean
): Effect.Effect<Exit.Exit<Started<unknown>, unknown>> => {
  const start: Effect.Effect<Started<unknown>, unknown> = Effect.flatMap(
    (spawn as SpawnImpl<unknown, unknown, unknown>).start(true, record.origin) as Effect.Effect<
      StartingImpl<unknown, unknown>
    >,
    (starting) => awaitStart(starting, record.id, record.startTimeout)
  )
  return Effect.exit(
    traced
      ? startSpan(`${path}/${record.id} ${restart ? "restart" : "start"}`, {
        "supervisor": path,
        "child": record.id
      }, start)
      : start
  )
}

/**
 * Starts a supervised incarnation of `spawn` from `origin` at once when it needs no
 * fiber to start: the start, over; otherwise the effect that starts it.
 */
export const startAtOnce = <A, E, R>(
  spawn: Process.Spawn<A, E, R>,
  origin: Origin
): Process.Starting<A, E> | Effect.Effect<Process.Starting<A, E>, never, R> => {
  const impl = spawn as SpawnImpl<A, E, R>
  return impl.startAtOnce !== undefined ? impl.startAtOnce(true, origin) : impl.start(true, origin)
}

/**
 * The engine's {@link Self}, read in the supervisor's starting fiber (after its hub has
 * set the path its children inherit).
 */
export const engineSelf: Effect.Effect<Self> = Effect.all({
  origin: Effect.runtime<never>(),
  clock: Effect.clock,
  tracing
})

/** A name clash found by a child's start, as the error that names the child (`id`). */
const renamed = (id: string, error: unknown): unknown =>
  error instanceof SupervisorError.AlreadyStarted && error.registryName !== undefined && error.id !== id
    ? new SupervisorError.AlreadyStarted({ id, registryName: error.registryName, process: error.process })
    : error

/**
 * How a failed start of child `id` is reported by `startChild`: a name clash (the start
 * failed with `AlreadyStarted` only) as that `AlreadyStarted`, naming the child (OTP
 * returns `{error, {already_started, Pid}}` as is); anything else as `StartFailed`.
 */
export const startFailure = (
  id: string,
  cause: Cause.Cause<unknown>
): SupervisorError.AlreadyStarted | SupervisorError.StartFailed => {
  if (
    cause._tag === "Fail" && cause.error instanceof SupervisorError.AlreadyStarted &&
    cause.error.registryName !== undefined
  ) {
    return renamed(id, cause.error) as SupervisorError.AlreadyStarted
  }
  return startFailed(id, cause)
}

/**
 * `StartFailed` for child `id`, whose cause names the child in a name clash (at a
 * supervisor's start: OTP's `{failed_to_start_child, Id, {already_started, Pid}}`).
 */
export const startFailed = (id: string, cause: Cause.Cause<unknown>): SupervisorError.StartFailed =>
  new SupervisorError.StartFailed({
    id,
    cause: Cause.failures(cause).pipe(Chunk.some((error) => renamed(id, error) !== error))
      ? Cause.map(cause, (error) => renamed(id, error))
      : cause
  })

/**
 * Starts a supervisor in the current scope and returns it (documented in `Engine.ts`).
 * @internal
 */
export const startScoped = <A, E, R>(spawn: Process.Spawn<A, E, R>): Effect.Effect<A, E, R | Scope.Scope> =>
  Effect.flatMap(
    runScoped(spawn),
    (started) =>
      started._tag === "Ignored"
        ? Effect.dieMessage("a supervisor never declines to start")
        : Effect.succeed(started.value)
  )
