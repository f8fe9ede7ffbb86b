/**
 * A supervisor of one-off tasks (Elixir's `Task.Supervisor`): a `DynamicSupervisor` whose
 * children are temporary tasks. `async` starts a task linked to the caller, `asyncNolink`
 * one that is not, `startChild` fire-and-forget work, `asyncStream` a bounded concurrent
 * map over a stream. When the supervisor stops, its running tasks stop within their
 * shutdown deadline (5 seconds by default).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start({ name: "MyApp.TaskSupervisor" })
 *   const task = yield* TaskSupervisor.async(tasks, Effect.succeed("done"))
 *   return yield* Task.await(task)
 * }))
 * ```
 *
 * @since 0.1.0
 */
import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import type * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as ChildSpecModule from "@effect-otp/supervisor/ChildSpec"
import type * as Process from "@effect-otp/supervisor/Process"
import type * as Restart from "@effect-otp/supervisor/Restart"
import type * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { availableParallelism } from "node:os"
import * as internal from "./internal/taskSupervisor.js"
import type * as Task from "./Task.js"

/**
 * A task supervisor: a `DynamicSupervisor` (every `DynamicSupervisor` operation applies
 * to it), and any dynamic supervisor can run tasks.
 *
 * @since 0.1.0
 * @category models
 */
export type TaskSupervisor = DynamicSupervisor.DynamicSupervisor<unknown>

/**
 * What `start`, `layer` and `childSpec` take (Elixir's `Task.Supervisor.start_link/1`
 * options): the supervisor's name in logs and events, its restart policy and
 * `maxChildren`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default `"task_supervisor"`. */
  readonly name?: string | undefined
  /** Default 3 restarts in 5 seconds (only tasks started with a `restart` other than `temporary` restart). */
  readonly restartPolicy?: Restart.Policy | undefined
  /** Default unlimited: past it, starting a task fails with `MaxChildren`. */
  readonly maxChildren?: number | undefined
}

/**
 * What starting a task can fail with: an invalid `shutdown` option
 * (`InvalidChildSpec`), a full supervisor (`MaxChildren`), a stopped one.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartError = internal.StartError

/**
 * A task's shutdown deadline: how long it has to stop when its supervisor stops or it is
 * shut down (default 5 seconds; `"brutal_kill"`: no grace period).
 *
 * @since 0.1.0
 * @category models
 */
export type Shutdown = Duration.DurationInput | "brutal_kill" | "infinity"

/**
 * Starts a task supervisor in the current scope; closing the scope stops its running
 * tasks at once, each within its shutdown deadline.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (
  options: Options = {}
): Effect.Effect<TaskSupervisor, SupervisorError.InvalidOptions, Scope.Scope> =>
  DynamicSupervisor.start({ ...options, name: options.name ?? "task_supervisor" })

/**
 * A layer that starts a task supervisor when built and stops it when released.
 *
 * **Example**
 *
 * ```ts
 * import { Context } from "effect"
 * import { TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * class Tasks extends Context.Tag("Tasks")<Tasks, TaskSupervisor.TaskSupervisor>() {}
 *
 * const TasksLive = TaskSupervisor.layer(Tasks, { name: "MyApp.TaskSupervisor" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <I>(
  tag: Context.Tag<I, TaskSupervisor>,
  options: Options = {}
): Layer.Layer<I, SupervisorError.InvalidOptions> => Layer.scoped(tag, start(options))

/**
 * A child spec for a task supervisor under a `Supervisor` (`type: "supervisor"`), its
 * `id` the name as in Elixir's `{Task.Supervisor, name: ...}`.
 *
 * **Example**
 *
 * ```ts
 * import { Supervisor } from "@effect-otp/supervisor"
 * import { TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const app = Supervisor.start({
 *   children: [TaskSupervisor.childSpec({ id: "MyApp.TaskSupervisor" })]
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const childSpec = (
  options: Options & Omit<ChildSpec.Options, "type">
): ChildSpec.ChildSpec<TaskSupervisor, SupervisorError.InvalidOptions> =>
  DynamicSupervisor.childSpec({ ...options, name: options.name ?? options.id })

/**
 * Starts a task linked to the caller (Elixir's `Task.Supervisor.async`): a crash of the
 * task (a failure or a defect) interrupts the calling fiber, unless it is awaiting the
 * task, which then fails with the task's error; a caller that fails or is interrupted
 * stops the task. Await the result with `Task.await`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const [a, b] = yield* Effect.all([
 *     TaskSupervisor.async(tasks, Effect.succeed(1)),
 *     TaskSupervisor.async(tasks, Effect.succeed(2))
 *   ])
 *   return (yield* Task.await(a)) + (yield* Task.await(b)) // 3
 * }))
 * ```
 *
 * @since 0.1.0
 * @category tasks
 */
export const async = <A, E, R>(
  supervisor: TaskSupervisor,
  effect: Effect.Effect<A, E, R>,
  options?: { readonly shutdown?: Shutdown | undefined }
): Effect.Effect<Task.Task<A, E>, StartError, Exclude<R, Scope.Scope | Process.Self>> =>
  internal.startTask(supervisor, effect, options?.shutdown, true)

/**
 * Starts a task that is not linked to the caller (Elixir's `Task.Supervisor.async_nolink`):
 * whatever happens to the task, the caller learns it from `Task.await` or `Task.yield`
 * and is never taken down; the task outlives a caller that fails.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Exit, Option } from "effect"
 * import { Task, TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const risky = yield* TaskSupervisor.asyncNolink(tasks, Effect.dieMessage("boom"))
 *   const outcome = yield* Task.yield(risky)
 *   return Option.exists(outcome, Exit.isFailure) // true, and the caller is still running
 * }))
 * ```
 *
 * @since 0.1.0
 * @category tasks
 */
export const asyncNolink = <A, E, R>(
  supervisor: TaskSupervisor,
  effect: Effect.Effect<A, E, R>,
  options?: { readonly shutdown?: Shutdown | undefined }
): Effect.Effect<Task.Task<A, E>, StartError, Exclude<R, Scope.Scope | Process.Self>> =>
  internal.startTask(supervisor, effect, options?.shutdown, false)

/**
 * Starts fire-and-forget work under the supervisor (Elixir's `Task.Supervisor.start_child`):
 * not linked to the caller, `temporary` by default (never restarted); with `restart:
 * "transient"` it is restarted after a crash, with `"permanent"` always. Returns its
 * process.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   yield* TaskSupervisor.startChild(tasks, Effect.log("sending the welcome e-mail"))
 * }))
 * ```
 *
 * @since 0.1.0
 * @category tasks
 */
export const startChild = <E, R>(
  supervisor: TaskSupervisor,
  effect: Effect.Effect<unknown, E, R>,
  options?: {
    readonly restart?: ChildSpec.RestartType | undefined
    readonly shutdown?: Shutdown | undefined
  }
): Effect.Effect<Process.ProcessRef, StartError, Exclude<R, Scope.Scope | Process.Self>> =>
  Effect.map(
    DynamicSupervisor.startChild(
      supervisor,
      ChildSpecModule.make({
        id: "task",
        restart: options?.restart ?? "temporary",
        shutdown: options?.shutdown ?? "5 seconds",
        start: effect
      })
    ),
    (child) => child.value
  )

/**
 * The processes of the running tasks (Elixir's `Task.Supervisor.children`; tasks being
 * restarted are left out).
 *
 * @since 0.1.0
 * @category operations
 */
export const children = (
  supervisor: TaskSupervisor
): Effect.Effect<ReadonlyArray<Process.ProcessRef>, SupervisorError.SupervisorStopped> =>
  Effect.map(
    DynamicSupervisor.whichChildren(supervisor),
    (infos) => infos.flatMap((info) => info.status === "running" ? Option.toArray(info.process) : [])
  )

/**
 * Stops a task started by this supervisor, by its process, within its shutdown deadline
 * (Elixir's `Task.Supervisor.terminate_child`). `NotFound` if it is not a running task.
 *
 * @since 0.1.0
 * @category operations
 */
export const terminateChild = (
  supervisor: TaskSupervisor,
  process: Process.ProcessRef
): Effect.Effect<void, SupervisorError.NotFound | SupervisorError.SupervisorStopped> =>
  DynamicSupervisor.terminateChild(supervisor, process)

/**
 * The options of {@link asyncStream}, as Elixir's `async_stream` takes them.
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncStreamOptions {
  /** How many tasks run at once. Default: the number of cores (`os.availableParallelism()`). */
  readonly maxConcurrency?: number | undefined
  /** Whether results come in the order of the input (default `true`) or as tasks end. */
  readonly ordered?: boolean | undefined
  /** How long each task may run, from its start (default 5 seconds; `"infinity"`: no limit). */
  readonly timeout?: Duration.DurationInput | "infinity" | undefined
  /**
   * What a task past its timeout does: `"exit"` (default) fails the stream with
   * `TaskTimeout`; `"kill_task"` kills that task, whose element is then
   * `Either.left(TaskTimeout)` (Elixir's `{:exit, :timeout}`).
   */
  readonly onTimeout?: "exit" | "kill_task" | undefined
  /** Each task's shutdown deadline (default 5 seconds). */
  readonly shutdown?: Shutdown | undefined
}

/**
 * Runs `f` on each element of `input` as a task under the supervisor, at most
 * `maxConcurrency` at a time, and streams the results (Elixir's
 * `Task.Supervisor.async_stream`). The tasks are tied to the stream: a task that fails
 * fails the stream with its error, and a stream that ends early, fails or is interrupted
 * stops the tasks still running. With `onTimeout: "kill_task"` each element is an
 * `Either`: `Right` the result, `Left` a `TaskTimeout`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { TaskSupervisor } from "@effect-otp/task-supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const tasks = yield* TaskSupervisor.start()
 *   const lengths = TaskSupervisor.asyncStream(
 *     tasks,
 *     ["a", "bb", "ccc"],
 *     (word) => Effect.succeed(word.length),
 *     { maxConcurrency: 2 }
 *   )
 *   return yield* Stream.runCollect(lengths) // [1, 2, 3]
 * }))
 * ```
 *
 * @since 0.1.0
 * @category tasks
 */
export function asyncStream<In, B, E, R, EIn = never, RIn = never>(
  supervisor: TaskSupervisor,
  input: Stream.Stream<In, EIn, RIn> | Iterable<In>,
  f: (input: In) => Effect.Effect<B, E, R>,
  options: AsyncStreamOptions & { readonly onTimeout: "kill_task" }
): Stream.Stream<
  Either.Either<B, Task.TaskTimeout>,
  EIn | E | StartError | Task.TaskTimeout | Task.TaskExited | SupervisorError.InvalidOptions,
  RIn | Exclude<R, Scope.Scope | Process.Self>
>
export function asyncStream<In, B, E, R, EIn = never, RIn = never>(
  supervisor: TaskSupervisor,
  input: Stream.Stream<In, EIn, RIn> | Iterable<In>,
  f: (input: In) => Effect.Effect<B, E, R>,
  options?: AsyncStreamOptions & { readonly onTimeout?: "exit" | undefined }
): Stream.Stream<
  B,
  EIn | E | StartError | Task.TaskTimeout | Task.TaskExited | SupervisorError.InvalidOptions,
  RIn | Exclude<R, Scope.Scope | Process.Self>
>
export function asyncStream<In, B, E, R, EIn = never, RIn = never>(
  supervisor: TaskSupervisor,
  input: Stream.Stream<In, EIn, RIn> | Iterable<In>,
  f: (input: In) => Effect.Effect<B, E, R>,
  options: AsyncStreamOptions
): Stream.Stream<
  B | Either.Either<B, Task.TaskTimeout>,
  EIn | E | StartError | Task.TaskTimeout | Task.TaskExited | SupervisorError.InvalidOptions,
  RIn | Exclude<R, Scope.Scope | Process.Self>
>
export function asyncStream<In, B, E, R, EIn = never, RIn = never>(
  supervisor: TaskSupervisor,
  input: Stream.Stream<In, EIn, RIn> | Iterable<In>,
  f: (input: In) => Effect.Effect<B, E, R>,
  options: AsyncStreamOptions = {}
): Stream.Stream<unknown, unknown, unknown> {
  const stream = typeof input === "object" && input !== null && Stream.StreamTypeId in input
    ? input as Stream.Stream<In, EIn, RIn>
    : Stream.fromIterable(input as Iterable<In>)
  return Stream.unwrap(
    Effect.map(
      Effect.flatMap(Effect.sync(availableParallelism), (cores) => internal.decodeStreamOptions(options, cores)),
      (decoded) => internal.asyncStream(supervisor, stream, f, decoded)
    )
  )
}
