import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Engine from "@effect-otp/supervisor/Engine"
import type * as ExitReason from "@effect-otp/supervisor/ExitReason"
import * as Process from "@effect-otp/supervisor/Process"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Task from "../Task.js"

/** @internal */
export const TaskTypeId: Task.TypeId = Symbol.for("@effect-otp/task-supervisor/Task") as Task.TypeId

/**
 * The task did not end within the time it was given (Elixir's `{:timeout, ...}` exit of
 * `Task.await`, and of `async_stream` with `on_timeout: :exit`).
 */
export class TaskTimeout extends Data.TaggedError("TaskTimeout")<{
  readonly timeout: Duration.Duration
}> {
  get message() {
    return `the task did not end within ${Duration.format(this.timeout)}`
  }
}

/**
 * The task ended without a result of its own: it was killed or shut down.
 */
export class TaskExited extends Data.TaggedError("TaskExited")<{
  readonly reason: ExitReason.ExitReason
}> {
  get message() {
    return `the task exited without a result (${this.reason._tag})`
  }
}

export const show: (u: unknown) => string = Engine.show

/** A deadline or timeout as the caller gave it. @internal */
export type DeadlineInput = Duration.DurationInput | "infinity" | "brutal_kill"

/**
 * Reads a timeout or shutdown deadline given by a caller (maybe from JavaScript):
 * `brutal_kill` only where `allowBrutalKill`.
 * @internal
 */
export const decodeDeadline = (
  field: string,
  input: unknown,
  allowBrutalKill: boolean
): Effect.Effect<ChildSpec.Shutdown, SupervisorError.InvalidOptions> => {
  if (input === "infinity" || (allowBrutalKill && input === "brutal_kill")) return Effect.succeed(input)
  if (Duration.isDuration(input)) return Effect.succeed(input)
  if (typeof input === "number" && !(Number.isFinite(input) && input >= 0)) return invalidDeadline(field, input)
  if (typeof input === "bigint" && input < BigInt(0)) return invalidDeadline(field, input)
  if (typeof input === "string" && input.trimStart().startsWith("-")) return invalidDeadline(field, input)
  const decoded = Duration.decodeUnknown(input)
  return Option.isSome(decoded) ? Effect.succeed(decoded.value) : invalidDeadline(field, input)
}

const invalidDeadline = (field: string, input: unknown) =>
  Effect.fail(
    new SupervisorError.InvalidOptions({
      message: `${field}: expected a non-negative duration or "infinity", got ${show(input)}`
    })
  )

/** A duration, or forever (`"infinity"`), for `Effect.timeoutOption`. @internal */
export const waitFor = <A>(
  effect: Effect.Effect<A>,
  timeout: ChildSpec.Shutdown
): Effect.Effect<Option.Option<A>> =>
  timeout === "infinity" ? Effect.map(effect, Option.some) : Effect.timeoutOption(
    effect,
    timeout === "brutal_kill" ? Duration.zero : timeout
  )

/** The caller a linked task is tied to (Elixir's link between the caller and the task). @internal */
interface Owner {
  readonly id: FiberId.FiberId
  readonly alive: () => boolean
  readonly interrupt: (by: FiberId.FiberId) => void
  readonly unobserve: () => void
}

/** @internal */
export class TaskImpl<A, E> implements Task.Task<A, E> {
  readonly [TaskTypeId]: Task.TypeId = TaskTypeId
  /** The task's process, set once the supervisor has started it. */
  process: Process.ProcessRef = undefined as unknown as Process.ProcessRef
  /** How the task's body ended, once it has. */
  exit: Exit.Exit<A, E> | undefined = undefined
  /** The owner, while the link holds (`async`, until `shutdown`). */
  owner: Owner | undefined = undefined
  /** How many `await`s wait for the task: a crash then reaches them rather than interrupting the owner. */
  awaiting = 0
  /** Interrupts the task's fiber, once it runs. */
  interruptSelf: ((by: FiberId.FiberId) => void) | undefined = undefined
  /** Set when the owner ended before the task's fiber first ran. */
  ownerGone: FiberId.FiberId | undefined = undefined

  pipe() {
    return pipeArguments(this, arguments)
  }

  toJSON() {
    return { _id: "Task", process: this.process?.pid, linked: this.owner !== undefined }
  }

  toString() {
    return `Task<${this.process?.pid}>`
  }

  /** The body run as the task's process: records how it ended and applies the link. */
  body<R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.withFiberRuntime<A, E, R>((fiber) => {
      this.interruptSelf = (by) => fiber.unsafeInterruptAsFork(by)
      if (this.ownerGone !== undefined) return Effect.interruptWith(this.ownerGone)
      const taskId = fiber.id()
      return Effect.onExit(effect, (exit) =>
        Effect.sync(() => {
          this.exit = exit
          const owner = this.owner
          if (owner === undefined) return
          this.unlink()
          // a crash (not a stop) reaches the owner, unless the owner is awaiting the task
          if (
            Exit.isFailure(exit) && Process.exitReasonOf(exit)._tag === "Abnormal" && this.awaiting === 0 &&
            owner.alive()
          ) {
            owner.interrupt(taskId)
          }
        }))
    })
  }

  /** Ties the task to the caller: its crash interrupts the caller; the caller's failure stops it. */
  link(owner: {
    readonly id: () => FiberId.FiberId
    readonly unsafePoll: () => Exit.Exit<unknown, unknown> | null
    readonly unsafeInterruptAsFork: (by: FiberId.FiberId) => void
    readonly addObserver: (observer: (exit: Exit.Exit<unknown, unknown>) => void) => void
    readonly removeObserver: (observer: (exit: Exit.Exit<unknown, unknown>) => void) => void
  }): void {
    const id = owner.id()
    const observer = (exit: Exit.Exit<unknown, unknown>) => {
      // as a link: an owner that ends normally leaves the task running
      if (Exit.isSuccess(exit) || this.exit !== undefined) return
      this.owner = undefined
      if (this.interruptSelf !== undefined) this.interruptSelf(id)
      else this.ownerGone = id
    }
    owner.addObserver(observer)
    this.owner = {
      id,
      alive: () => owner.unsafePoll() === null,
      interrupt: (by) => owner.unsafeInterruptAsFork(by),
      unobserve: () => owner.removeObserver(observer)
    }
  }

  unlink(): void {
    const owner = this.owner
    this.owner = undefined
    if (owner !== undefined) owner.unobserve()
  }

  /** How the task ended, for `yield` and `shutdown`: a task killed before it ran counts as interrupted. */
  exitOf(): Exit.Exit<A, E> {
    return this.exit ?? Exit.interrupt(this.ownerGone ?? FiberId.none)
  }

  /** The task's result as `await` gives it. */
  result(reason: ExitReason.ExitReason): Effect.Effect<A, E | TaskExited> {
    const exit = this.exit
    if (exit === undefined) return Effect.fail(new TaskExited({ reason }))
    if (Exit.isSuccess(exit)) return Effect.succeed(exit.value)
    if (Cause.isInterruptedOnly(exit.cause)) return Effect.fail(new TaskExited({ reason }))
    return Effect.failCause(exit.cause)
  }
}

/** `true` for a task. @internal */
export const isTask = (u: unknown): u is TaskImpl<unknown, unknown> =>
  typeof u === "object" && u !== null && TaskTypeId in u
