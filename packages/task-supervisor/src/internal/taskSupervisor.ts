import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Process from "@effect-otp/supervisor/Process"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as task from "./task.js"

/** A task supervisor is a dynamic supervisor (as in Elixir); any `Extra` will do. @internal */
export type Supervisor = DynamicSupervisor.DynamicSupervisor<unknown>

/** What starting a task can fail with. @internal */
export type StartError =
  | SupervisorError.InvalidChildSpec
  | SupervisorError.MaxChildren
  | SupervisorError.StartFailed
  | SupervisorError.SupervisorStopped

/**
 * Starts a task under the supervisor as a temporary child; `link` ties it to the calling
 * fiber before it can run.
 * @internal
 */
export const startTask = <A, E, R>(
  supervisor: Supervisor,
  effect: Effect.Effect<A, E, R>,
  shutdown: ChildSpec.Options["shutdown"],
  link: boolean
): Effect.Effect<task.TaskImpl<A, E>, StartError, Exclude<R, Scope.Scope | Process.Self>> =>
  Effect.withFiberRuntime<task.TaskImpl<A, E>, StartError, Exclude<R, Scope.Scope | Process.Self>>((caller) => {
    const self = new task.TaskImpl<A, E>()
    if (link) self.link(caller)
    const spec = ChildSpec.make({
      id: "task",
      restart: "temporary",
      shutdown: shutdown ?? "5 seconds",
      start: self.body(effect)
    })
    return Effect.matchEffect(DynamicSupervisor.startChild(supervisor, spec), {
      onFailure: (error) => {
        self.unlink()
        return Effect.fail(error)
      },
      onSuccess: (child) => {
        self.process = child.value
        return Effect.succeed(self)
      }
    })
  })

/** The options of `asyncStream`, checked. @internal */
export interface StreamOptions {
  readonly maxConcurrency: number
  readonly ordered: boolean
  readonly timeout: ChildSpec.Shutdown
  readonly onTimeout: "exit" | "kill_task"
  readonly shutdown: ChildSpec.Shutdown
}

const invalid = (message: string) => Effect.fail(new SupervisorError.InvalidOptions({ message }))

/** Reads `asyncStream`'s options (maybe given by JavaScript), defaults as Elixir's. @internal */
export const decodeStreamOptions = (
  options: {
    readonly maxConcurrency?: unknown
    readonly ordered?: unknown
    readonly timeout?: unknown
    readonly onTimeout?: unknown
    readonly shutdown?: unknown
  },
  cores: number
): Effect.Effect<StreamOptions, SupervisorError.InvalidOptions> =>
  Effect.gen(function*() {
    const maxConcurrency = options.maxConcurrency ?? cores
    if (typeof maxConcurrency !== "number" || !Number.isSafeInteger(maxConcurrency) || maxConcurrency < 1) {
      return yield* invalid(`maxConcurrency: expected a positive integer, got ${task.show(maxConcurrency)}`)
    }
    const ordered = options.ordered ?? true
    if (typeof ordered !== "boolean") return yield* invalid(`ordered: expected a boolean, got ${task.show(ordered)}`)
    const onTimeout = options.onTimeout ?? "exit"
    if (onTimeout !== "exit" && onTimeout !== "kill_task") {
      return yield* invalid(`onTimeout: expected "exit" or "kill_task", got ${task.show(onTimeout)}`)
    }
    const timeout = yield* task.decodeDeadline("timeout", options.timeout ?? "5 seconds", false)
    const shutdown = yield* task.decodeDeadline("shutdown", options.shutdown ?? "5 seconds", true)
    return { maxConcurrency, ordered, timeout, onTimeout, shutdown }
  })

/**
 * Runs `f` on every element of `input` as tasks under the supervisor, at most
 * `maxConcurrency` at a time; each task is given `timeout` from its start. A crash fails
 * the stream; a stream that ends early, fails or is interrupted stops its running tasks.
 * @internal
 */
export const asyncStream = <In, EIn, RIn, B, E, R>(
  supervisor: Supervisor,
  input: Stream.Stream<In, EIn, RIn>,
  f: (input: In) => Effect.Effect<B, E, R>,
  options: StreamOptions
): Stream.Stream<
  B | Either.Either<B, task.TaskTimeout>,
  EIn | E | StartError | task.TaskTimeout | task.TaskExited,
  RIn | R
> =>
  Stream.mapEffect(
    input,
    (element) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(startTask(supervisor, Effect.suspend(() => f(element)), options.shutdown, false), (self) =>
          Effect.flatMap(
            Effect.onInterrupt(
              restore(task.waitFor(self.process.await, options.timeout)),
              () =>
                Process.shutdown(self.process, options.shutdown)
            ),
            Option.match({
              onNone: (): Effect.Effect<
                B | Either.Either<B, task.TaskTimeout>,
                E | task.TaskTimeout | task.TaskExited
              > => {
                const timedOut = new task.TaskTimeout({
                  timeout: Duration.isDuration(options.timeout) ? options.timeout : Duration.infinity
                })
                return Effect.zipRight(
                  Process.kill(self.process),
                  options.onTimeout === "exit" ? Effect.fail(timedOut) : Effect.succeed(Either.left(timedOut))
                )
              },
              onSome: (reason): Effect.Effect<B | Either.Either<B, task.TaskTimeout>, E | task.TaskExited> =>
                options.onTimeout === "exit" ? self.result(reason) : Effect.map(self.result(reason), Either.right)
            })
          ))
      ),
    { concurrency: options.maxConcurrency, unordered: !options.ordered }
  )
