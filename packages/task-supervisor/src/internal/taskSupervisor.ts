import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import * as ChildSpec from "@effect-otp/supervisor/ChildSpec"
import * as Process from "@effect-otp/supervisor/Process"
import * as SupervisorError from "@effect-otp/supervisor/SupervisorError"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as task from "./task.js"

/** A task supervisor is a dynamic supervisor (as in Elixir); any `Extra` will do. @internal */
export type Supervisor = DynamicSupervisor.DynamicSupervisor<unknown>

/** What starting a task can fail with. */
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

/** A running task of a stream, with its deadline. */
interface Running<B, E> {
  readonly index: number
  readonly self: task.TaskImpl<B, E>
  readonly deadline: number
  /** Set when the timer has given up on the task: its watcher then sends nothing. */
  readonly timedOut: { done: boolean }
}

type Message<B, E> =
  | { readonly _tag: "Result"; readonly index: number; readonly value: B }
  | { readonly _tag: "Failed"; readonly cause: Cause.Cause<E> }
  | { readonly _tag: "End"; readonly count: number }

/**
 * Runs `f` on every element of `input` as tasks under the supervisor. A producer fiber
 * starts a task per element when a permit is free (`maxConcurrency` permits, each given
 * back when its task ends, as Elixir: results that wait for their turn in an ordered
 * stream do not hold one); a watcher per task (in a `FiberSet`: all stopped at once with the stream)
 * waits for it and sends its result, and one timer per stream gives up on the tasks past
 * their deadline (start + `timeout`, in start order); the pull puts results back in
 * input order when `ordered`. A crash or a timeout with `onTimeout: "exit"` fails the
 * stream as soon as it happens; closing the stream stops the tasks still running.
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
  RIn | Exclude<R, Scope.Scope | Process.Self>
> => {
  type Out = B | Either.Either<B, task.TaskTimeout>
  type Err = EIn | E | StartError | task.TaskTimeout | task.TaskExited
  const wrap = options.onTimeout === "kill_task"
  return Stream.unwrapScoped(Effect.gen(function*() {
    const permits = yield* Effect.makeSemaphore(options.maxConcurrency)
    const messages = yield* Queue.unbounded<Message<Out, Err>>()
    const watchers = yield* FiberSet.make()
    const send = (message: Message<Out, Err>) => Queue.offer(messages, message)
    const timeout = options.timeout
    const timedOut = new task.TaskTimeout({ timeout: Duration.isDuration(timeout) ? timeout : Duration.infinity })
    // one timer per stream: every task has the same timeout from its start, so deadlines come in start order
    const deadlines = yield* Queue.unbounded<Running<B, E>>()
    const watch = (running: Running<B, E>) => Effect.ensuring(watchTask(running), permits.release(1))
    const watchTask = ({ index, self, ...running }: Running<B, E>) =>
      Effect.flatMap(
        Effect.onInterrupt(self.process.await, () => Process.shutdown(self.process, options.shutdown)),
        (reason) =>
          running.timedOut.done
            ? Effect.void
            : Effect.flatMap(
              Effect.exit(self.result(reason)),
              (exit): Effect.Effect<boolean> =>
                Exit.isSuccess(exit)
                  ? send({ _tag: "Result", index, value: wrap ? Either.right(exit.value) : exit.value })
                  : send({ _tag: "Failed", cause: exit.cause })
            )
      )
    const expire = (running: Running<B, E>) =>
      Effect.suspend(() => {
        if (Option.isSome(running.self.process.poll)) return Effect.void
        running.timedOut.done = true
        return Effect.zipRight(
          send(
            wrap
              ? { _tag: "Result", index: running.index, value: Either.left(timedOut) }
              : { _tag: "Failed", cause: Cause.fail(timedOut) }
          ),
          Process.kill(running.self.process)
        )
      })
    if (Duration.isDuration(timeout)) {
      yield* Effect.forkScoped(
        Effect.forever(
          Effect.flatMap(
            Queue.take(deadlines),
            (running) =>
              Option.isSome(running.self.process.poll) ? Effect.void : Effect.flatMap(
                Clock.currentTimeMillis,
                (now) => Effect.zipRight(Effect.sleep(Math.max(0, running.deadline - now)), expire(running))
              )
          )
        )
      )
    }
    const timeoutMillis = Duration.isDuration(timeout) ? Duration.toMillis(timeout) : Infinity
    const producer = Stream.runFoldEffect(input, 0, (index, element) =>
      Effect.zipRight(
        permits.take(1),
        Effect.flatMap(
          startTask(supervisor, Effect.suspend(() => f(element)), options.shutdown, false),
          (self) =>
            Effect.flatMap(Clock.currentTimeMillis, (now) => {
              const running: Running<B, E> = { index, self, deadline: now + timeoutMillis, timedOut: { done: false } }
              return Effect.zipRight(
                timeoutMillis === Infinity ? Effect.void : Queue.offer(deadlines, running),
                Effect.as(FiberSet.run(watchers, watch(running)), index + 1)
              )
            })
        )
      ))
    yield* Effect.forkScoped(Effect.matchCauseEffect(producer, {
      onFailure: (cause) => send({ _tag: "Failed", cause }),
      onSuccess: (count) => send({ _tag: "End", count })
    }))

    let next = 0
    let total = -1
    const buffer = new Map<number, Out>()
    const deliver = (values: Array<Out>) => Effect.succeed(Chunk.unsafeFromArray(values))
    const pull: Effect.Effect<Chunk.Chunk<Out>, Option.Option<Err>> = Effect.suspend(() => {
      if (options.ordered && buffer.has(next)) {
        const values: Array<Out> = []
        while (buffer.has(next)) {
          values.push(buffer.get(next) as Out)
          buffer.delete(next)
          next++
        }
        return deliver(values)
      }
      if (total >= 0 && next >= total) return Effect.fail(Option.none())
      return Effect.flatMap(Queue.take(messages), (message) => {
        switch (message._tag) {
          case "Result": {
            if (options.ordered) {
              buffer.set(message.index, message.value)
              return pull
            }
            next++
            return deliver([message.value])
          }
          case "Failed":
            return Effect.failCause(Cause.map(message.cause, Option.some))
          case "End": {
            total = message.count
            return pull
          }
        }
      })
    })
    return Stream.repeatEffectChunkOption(pull)
  }))
}
