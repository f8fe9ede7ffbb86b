/**
 * A task: a one-off computation running as a supervised process, with a result to await
 * (Elixir's `Task`, as `Task.Supervisor.async` returns it). `await` waits for the result
 * within a timeout, `yield` gives the result or nothing yet, `shutdown` stops the task.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const task = yield* TaskSupervisor.async(tasks, Effect.succeed(42))
 *   return yield* Task.await(task) // 42
 * }))
 * ```
 *
 * @since 0.1.0
 */
import * as Process from "@effect-otp/supervisor/Process"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import * as internal from "./internal/task.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TaskTypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A running (or ended) task whose result is an `A`, or a failure `E`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Task<out A, out E = never> extends Pipeable {
  readonly [TypeId]: TypeId
  /** The task's process: a temporary child of its task supervisor. */
  readonly process: Process.ProcessRef
  /** @internal */
  readonly exit: Exit.Exit<A, E> | undefined
}

/**
 * `true` for a task (what `TaskSupervisor.async` and `asyncNolink` return).
 *
 * @since 0.1.0
 * @category refinements
 */
export const isTask = (u: unknown): u is Task<unknown, unknown> => internal.isTask(u)

export {
  /**
   * The task ended without a result of its own: it was killed or shut down (its exit
   * `reason` says which). A task that failed fails `await` with its own error instead.
   *
   * @since 0.1.0
   * @category errors
   */
  TaskExited,
  /**
   * The task did not end within the time it was given: `Task.await`'s timeout, or
   * `asyncStream`'s (Elixir's `{:timeout, ...}` exit).
   *
   * @since 0.1.0
   * @category errors
   */
  TaskTimeout
} from "./internal/task.js"

/**
 * A timeout as `await` and `yield` take it: a duration or `"infinity"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Timeout = Duration.DurationInput | "infinity"

const impl = <A, E>(self: Task<A, E>) => self as unknown as internal.TaskImpl<A, E>

const defaultTimeout = "5 seconds"

/**
 * Waits for the task's result, at most `timeout` (default 5 seconds, as Elixir's
 * `Task.await`). A task that failed fails with its error (its whole `Cause`: defects
 * too); one that was killed or shut down fails with `TaskExited`; past the timeout,
 * `TaskTimeout` (the task goes on: a linked task stops when its caller fails).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const slow = yield* TaskSupervisor.asyncNolink(tasks, Effect.sleep("1 minute"))
 *   const error = yield* Effect.flip(Task.await(slow, "1 second"))
 *   return error._tag // "TaskTimeout"
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const await_: {
  (timeout?: Timeout): <A, E>(
    self: Task<A, E>
  ) => Effect.Effect<A, E | internal.TaskTimeout | internal.TaskExited | SupervisorError.InvalidOptions>
  <A, E>(
    self: Task<A, E>,
    timeout?: Timeout
  ): Effect.Effect<A, E | internal.TaskTimeout | internal.TaskExited | SupervisorError.InvalidOptions>
} = dual(
  (args) => isTask(args[0]),
  <A, E>(self: Task<A, E>, timeout: Timeout = defaultTimeout) =>
    Effect.flatMap(internal.decodeDeadline("timeout", timeout, false), (deadline) => {
      const task = impl(self)
      return Effect.flatMap(
        Effect.ensuring(
          Effect.suspend(() => {
            task.awaiting++
            return internal.waitFor(task.process.await, deadline)
          }),
          Effect.sync(() => task.awaiting--)
        ),
        Option.match({
          onNone: (): Effect.Effect<A, E | internal.TaskTimeout | internal.TaskExited> =>
            Effect.fail(
              new internal.TaskTimeout({ timeout: Duration.isDuration(deadline) ? deadline : Duration.infinity })
            ),
          onSome: (reason) => task.result(reason)
        })
      )
    })
)

export {
  /**
   * Waits for the task's result (`await_` under its Elixir name).
   *
   * @since 0.1.0
   * @category operations
   */
  await_ as await
}

/**
 * The task's outcome if it ends within `timeout` (default 5 seconds), `None` if it is
 * still running (Elixir's `Task.yield`: `{:ok, value}` / `{:exit, reason}` / `nil`). The
 * task goes on either way; `yield` may be called again.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Exit, Option } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const task = yield* TaskSupervisor.asyncNolink(tasks, Effect.fail("boom"))
 *   const outcome = yield* Task.yield(task)
 *   return Option.exists(outcome, Exit.isFailure) // true
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const yield_: {
  (timeout?: Timeout): <A, E>(
    self: Task<A, E>
  ) => Effect.Effect<Option.Option<Exit.Exit<A, E>>, SupervisorError.InvalidOptions>
  <A, E>(
    self: Task<A, E>,
    timeout?: Timeout
  ): Effect.Effect<Option.Option<Exit.Exit<A, E>>, SupervisorError.InvalidOptions>
} = dual(
  (args) => isTask(args[0]),
  <A, E>(self: Task<A, E>, timeout: Timeout = defaultTimeout) =>
    Effect.flatMap(internal.decodeDeadline("timeout", timeout, false), (deadline) => {
      const task = impl(self)
      return Effect.map(internal.waitFor(task.process.await, deadline), Option.map(() => task.exitOf()))
    })
)

export {
  /**
   * The task's outcome if it ends within the timeout (`yield_` under its Elixir name).
   *
   * @since 0.1.0
   * @category operations
   */
  yield_ as yield
}

/**
 * Stops the task within `shutdown` (default 5 seconds; `"brutal_kill"`: at once) and
 * unlinks it from its caller first, so that stopping it never reaches the caller.
 * Returns the task's outcome if it had ended by itself before it was stopped
 * (`Some`), or `None` (Elixir's `Task.shutdown`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const task = yield* TaskSupervisor.async(tasks, Effect.never)
 *   return yield* Task.shutdown(task) // Option.none(): it was still running
 * }))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const shutdown: {
  (shutdown?: Duration.DurationInput | "brutal_kill"): <A, E>(
    self: Task<A, E>
  ) => Effect.Effect<Option.Option<Exit.Exit<A, E>>, SupervisorError.InvalidOptions>
  <A, E>(
    self: Task<A, E>,
    shutdown?: Duration.DurationInput | "brutal_kill"
  ): Effect.Effect<Option.Option<Exit.Exit<A, E>>, SupervisorError.InvalidOptions>
} = dual(
  (args) => isTask(args[0]),
  <A, E>(self: Task<A, E>, shutdown: Duration.DurationInput | "brutal_kill" = defaultTimeout) =>
    Effect.flatMap(internal.decodeDeadline("shutdown", shutdown, true), (deadline) =>
      Effect.suspend(() => {
        const task = impl(self)
        task.unlink()
        if (Option.isSome(task.process.poll)) return Effect.succeed(Option.some(task.exitOf()))
        return Effect.map(Process.shutdown(task.process, deadline), () => {
          const exit = task.exit
          // it ended by itself before the signal reached it
          return exit !== undefined && !(Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause))
            ? Option.some(exit)
            : Option.none()
        })
      }))
)
