/**
 * The supervisor engine, for people who write supervisors: `Supervisor` and
 * `DynamicSupervisor` (and any supervisor of your own) are an {@link Engine} with a few
 * clauses of their own, as OTP's `supervisor.erl` is one module whose static and dynamic
 * supervisors differ in a handful of clauses.
 *
 * **This module is not for applications** and may change between minor versions:
 * applications use `Supervisor`, `DynamicSupervisor`, `ChildSpec` and `Process`. It is
 * left out of the user API reference; `docs/engine.md` explains how to build on it.
 *
 * **Example** (the clauses a supervisor provides)
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Engine } from "@effect-otp/supervisor"
 *
 * // children kept in a Set, all restarted alone, all stopped at once
 * class SetSupervisor extends Engine.Engine<Engine.ChildRecord> {
 *   readonly strategy = "set"
 *   readonly set = new Set<Engine.ChildRecord>()
 *   children() {
 *     return this.set
 *   }
 *   isCurrent(record: Engine.ChildRecord) {
 *     return this.set.has(record)
 *   }
 *   protected detach(record: Engine.ChildRecord) {
 *     this.set.delete(record)
 *   }
 *   unsafeDropChild(record: Engine.ChildRecord) {
 *     this.unsafeRemove(record)
 *   }
 *   get stopAll(): Effect.Effect<void> {
 *     return this.stopAllAtOnce(Array.from(this.set))
 *   }
 * }
 * ```
 *
 * @implementers
 * @since 0.3.0
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as ChildSpec from "./ChildSpec.js"
import type * as ExitReason from "./ExitReason.js"
import * as internal from "./internal/engine/engine.js"
import * as name from "./internal/engine/name.js"
import * as record from "./internal/engine/record.js"
import * as start from "./internal/engine/start.js"
import * as target from "./internal/engine/target.js"
import * as exitReason from "./internal/exitReason.js"
import * as hub from "./internal/hub.js"
import * as issue from "./internal/issue.js"
import * as internalProcess from "./internal/process.js"
import type * as Process from "./Process.js"
import type * as Registry from "./Registry.js"
import type * as SupervisorError from "./SupervisorError.js"

/**
 * A supervisor: its mailbox and loop, its restart decisions (`shouldRestart`, the
 * restart policy, per-child backoff, giving up), stops within deadlines and their
 * reports, the live tree and the counts. A supervisor extends it and provides how its
 * children are kept (`children`, `isCurrent`, `detach`), what becomes of a child that will
 * not run again (`unsafeDropChild`), how all stop (`stopAll`), and optionally which children a
 * restart concerns (`affected`, `stopSiblings`).
 *
 * @since 0.3.0
 * @category engine
 */
export const Engine: typeof internal.Engine = internal.Engine

/**
 * @since 0.3.0
 * @category engine
 */
export type Engine<C extends ChildRecord> = internal.Engine<C>

/**
 * A supervisor's record of one child, stable across its incarnations: its spec's fields,
 * its status, its running process and value, its restarts and its pending restart.
 *
 * @since 0.3.0
 * @category engine
 */
export const ChildRecord: typeof record.ChildRecord = record.ChildRecord

/**
 * @since 0.3.0
 * @category engine
 */
export type ChildRecord = record.ChildRecord

/**
 * What the engine reads of the fiber a supervisor starts in; see {@link self}.
 *
 * @since 0.3.0
 * @category engine
 */
export type Self = start.Self

/**
 * Reads the engine's {@link Self} in the supervisor's starting fiber, after
 * {@link makeHub} (whose path its children inherit).
 *
 * @since 0.3.0
 * @category engine
 */
export const self: Effect.Effect<Self> = start.engineSelf

/**
 * The events, logs and metrics of one supervisor.
 *
 * @since 0.3.0
 * @category engine
 */
export type Hub = hub.Hub

/**
 * Makes the hub of a supervisor starting in the current fiber, named `name` under the
 * supervisor that starts it.
 *
 * @since 0.3.0
 * @category engine
 */
export const makeHub: (name: string) => Effect.Effect<Hub> = hub.makeHub

/**
 * What a supervisor falls back on for a child whose spec has no backoff; {@link noDefaults}
 * for none.
 *
 * @since 0.3.0
 * @category engine
 */
export type Defaults = record.Defaults

/**
 * No default backoff.
 *
 * @since 0.3.0
 * @category engine
 */
export const noDefaults: Defaults = record.noDefaults

/**
 * Whether a child that ended with `reason` is restarted: `permanent` always, `transient`
 * after an abnormal exit, `temporary` never.
 *
 * @example
 * ```ts
 * import { Engine, ExitReason } from "@effect-otp/supervisor"
 *
 * Engine.shouldRestart("transient", ExitReason.normal) // false
 * Engine.shouldRestart("transient", ExitReason.killed) // true
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const shouldRestart: (restart: ChildSpec.RestartType, reason: ExitReason.ExitReason) => boolean =
  exitReason.shouldRestart

/**
 * Where a child starts from: a context, with the supervisor's fiber refs and runtime
 * flags (see `Engine.originFor`).
 *
 * @since 0.3.0
 * @category engine
 */
export type Origin = internalProcess.Origin

/**
 * Waits for a start within the child's `startTimeout`, failing with `StartTimeout`.
 *
 * @since 0.3.0
 * @category engine
 */
export const awaitStart: (
  starting: Process.Starting<unknown, unknown>,
  id: string,
  startTimeout: Option.Option<Duration.Duration>
) => Effect.Effect<Process.Started<unknown>, unknown> = start.awaitStart

/**
 * Starts a supervised incarnation of `spawn` from `origin` at once when it needs no
 * fiber to start (a GenServer with no `terminate` whose `init` gives its state at once,
 * and a finite `hibernateAfter`): the start, already over (its `poll` is `Some`).
 * Otherwise the effect that starts it, as `Process.start` with `supervised: true` does.
 * A supervisor that runs it and adopts the child in one synchronous step needs no
 * uninterruptible region around the start.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Engine, GenServer } from "@effect-otp/supervisor"
 *
 * const Idle = GenServer.make({ requests: [], init: () => Effect.succeed(0), handlers: {} })
 *
 * const program = Effect.gen(function*() {
 *   const origin = yield* Effect.runtime<never>()
 *   const started = Engine.startAtOnce(GenServer.spawn(Idle, undefined), origin)
 *   const starting = Effect.isEffect(started) ? yield* started : started
 *   return starting.poll // Some: started with no fiber
 * })
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const startAtOnce: <A, E, R>(
  spawn: Process.Spawn<A, E, R>,
  origin: Origin
) => Process.Starting<A, E> | Effect.Effect<Process.Starting<A, E>, never, R> = start.startAtOnce

/**
 * How `startChild` reports a failed start of child `id`: a name clash (the start failed
 * with an `AlreadyStarted` that has a `registryName`, and nothing else) as that `AlreadyStarted`,
 * naming the child, as OTP's `start_child` returns `{error, {already_started, Pid}}` as
 * is; any other failure as `StartFailed`.
 *
 * @example
 * ```ts
 * import { Cause } from "effect"
 * import { Engine, SupervisorError } from "@effect-otp/supervisor"
 *
 * const error = Engine.startFailure("worker", Cause.fail("no database"))
 * error._tag // "StartFailed"
 * error instanceof SupervisorError.StartFailed // true
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const startFailure: (
  id: string,
  cause: Cause.Cause<unknown>
) => SupervisorError.AlreadyStarted | SupervisorError.StartFailed = start.startFailure

/**
 * How a supervisor's start reports a failed start of child `id` (OTP's
 * `{failed_to_start_child, Id, Reason}`): always `StartFailed`, whose cause names the
 * child in a name clash's `AlreadyStarted`.
 *
 * @since 0.3.0
 * @category engine
 */
export const startFailed: (id: string, cause: Cause.Cause<unknown>) => SupervisorError.StartFailed = start.startFailed

/**
 * The child spec of a supervisor: `start` under the spec fields of `options` (`id`,
 * `restart`, `shutdown`, `significant`, `startTimeout`, `backoff`, `resetBackoffAfter`),
 * as type `"supervisor"`. What `Supervisor.childSpec` and `DynamicSupervisor.childSpec` build.
 *
 * @since 0.3.0
 * @category engine
 */
export const supervisorChildSpec = <A, E, R>(
  options: Omit<ChildSpec.Options, "type">,
  start: Process.Spawn<A, E, R>
): ChildSpec.ChildSpec<A, E, R> =>
  ChildSpec.make({
    id: options.id,
    start,
    type: "supervisor",
    restart: options.restart,
    shutdown: options.shutdown,
    significant: options.significant,
    startTimeout: options.startTimeout,
    backoff: options.backoff,
    resetBackoffAfter: options.resetBackoffAfter
  })

/**
 * A value as it appears in an error message, as every supervisor of the project shows an
 * invalid value: strings quoted, numbers as JavaScript prints them, bigints with `n`.
 *
 * @example
 * ```ts
 * import { Engine } from "@effect-otp/supervisor"
 *
 * Engine.show("later") // "\"later\""
 * Engine.show(-1) // "-1"
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const show: (u: unknown) => string = issue.show

/**
 * Starts a supervisor in the current scope, which stops it when it closes, and returns
 * it: `Process.runScoped` for a start that never declines (a supervisor's `init` does
 * not return `Process.ignore`; one that did would be a defect).
 *
 * @since 0.3.0
 * @category engine
 */
export const startScoped: <A, E, R>(spawn: Process.Spawn<A, E, R>) => Effect.Effect<A, E, R | Scope.Scope> =
  start.startScoped

/**
 * Runs a supervisor's `boot` (the start of its children, in its own process) registered
 * under `key` around it, as `Supervisor` and `DynamicSupervisor` do with a registered
 * `name`: a name held by another running process fails at once with `AlreadyStarted`,
 * before any child starts; the name is taken once `boot` has succeeded, and follows the
 * supervisor's restarts (see `Registry`). {@link lookup} finds the supervisor by its name.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Engine } from "@effect-otp/supervisor"
 *
 * // in the supervisor's init, with `supervisor` the engine just made
 * const init = (supervisor: object, boot: Effect.Effect<void>) => Engine.registered("Rooms", supervisor, boot)
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const registered: <A, E, R>(
  key: string,
  supervisor: object,
  boot: Effect.Effect<A, E, R>
) => Effect.Effect<A, E | SupervisorError.AlreadyStarted, R | Registry.Registry | Process.Self> = name.registered

/**
 * The supervisor registered under `key` (see {@link registered}): its running
 * incarnation, or the next one when its parent is restarting it (the lookup waits for
 * it). Fails with `NoProcess` when no process holds the name and none will; dies when the
 * name is held by something else than a supervisor `refine` accepts (`kind` names it in
 * the message).
 *
 * @example
 * ```ts
 * import { Engine, Supervisor } from "@effect-otp/supervisor"
 *
 * const app = Engine.lookup("App", Supervisor.isSupervisor, "supervisor")
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const lookup: <S>(
  key: string,
  refine: (u: unknown) => u is S,
  kind: string
) => Effect.Effect<S, Registry.NoProcess, Registry.Registry> = name.lookup

/**
 * The key of a supervisor's `name` option when it is a registered name (a `Registry.Name`,
 * such as a `Supervisor.Name`), `undefined` when it is a plain label.
 *
 * @example
 * ```ts
 * import { Engine, Supervisor } from "@effect-otp/supervisor"
 *
 * Engine.registeredKey(Supervisor.name("App")) // "App"
 * Engine.registeredKey("app") // undefined
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const registeredKey: (name: unknown) => string | undefined = name.registeredKey

/**
 * Runs an operation on what it is given, a supervisor or the name it is registered under
 * (see {@link targeting}).
 *
 * @since 0.3.0
 * @category engine
 */
export type Targeting<I> = target.Targeting<I>

/**
 * The {@link Targeting} of the supervisors `refine` accepts: an operation given one runs
 * on it, given a registered name on the supervisor {@link lookup} finds (failing with
 * `NoProcess` when there is none; `kind` names the supervisor in the defect of a name
 * held by something else). What every operation of `Supervisor` and `DynamicSupervisor`
 * runs through.
 *
 * @example
 * ```ts
 * import { Engine, Supervisor } from "@effect-otp/supervisor"
 *
 * const onSupervisor = Engine.targeting(Supervisor.isSupervisor, "supervisor")
 * // the counts of the supervisor registered as "App"
 * const counts = onSupervisor(Supervisor.name("App"), Supervisor.countChildren)
 * ```
 *
 * @since 0.3.0
 * @category engine
 */
export const targeting: <I>(refine: (u: unknown) => u is I, kind: string) => Targeting<I> = target.targeting
