/**
 * Spawns: how to start a process, from a plain effect or from an `init` and a body, each
 * start forking the process's fiber (see `fork`).
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Scope from "effect/Scope"
import type * as Process from "../../Process.js"
import { fork, type Origin } from "./fiber.js"
import { isSpawn as isPublicSpawn, SpawnTypeId, type Started } from "./models.js"
import { ProcessImpl } from "./processImpl.js"
import type { Self } from "./self.js"
import { StartIgnored, StartingImpl } from "./starting.js"

export interface SpawnImpl<A, E, R> extends Process.Spawn<A, E, R> {
  /** Starts a process whose registrations its supervisor releases (see `ProcessImpl.supervised`). */
  readonly runSupervised: Effect.Effect<Started<A>, E, R>
  /**
   * Forks the process and starts it at once (see `fork`); `origin` defaults to the
   * current fiber. Never suspends: the start may still be going on when it returns.
   */
  start(supervised: boolean, origin: Origin | undefined): Effect.Effect<Process.Starting<A, E>, never, R>
  /**
   * Starts the process from `origin` at once when it needs no fiber to start (a
   * GenServer whose `init` gives its state at once): the start, over. Otherwise the
   * effect that starts it, as `start` would. Spawns that always fork have none.
   */
  readonly startAtOnce?:
    | ((
      supervised: boolean,
      origin: Origin
    ) => Process.Starting<A, E> | Effect.Effect<Process.Starting<A, E>, never, R>)
    | undefined
}

/** @internal */
export const isSpawn = (u: unknown): u is SpawnImpl<unknown, unknown, unknown> => isPublicSpawn(u)

const SpawnProto = {
  [SpawnTypeId]: SpawnTypeId,
  pipe() {
    return pipeArguments(this, arguments)
  }
}

const awaitStart = <A, E>(starting: Process.Starting<A, E>): Effect.Effect<Started<A>, E> => starting.await

/**
 * A spawn from its `start`; `run` and `runSupervised` start from the current fiber and
 * wait for the outcome.
 * @internal
 */
export const makeSpawn = <A, E, R>(
  start: (supervised: boolean, origin: Origin | undefined) => Effect.Effect<Process.Starting<A, E>, never, R>,
  startAtOnce?: SpawnImpl<A, E, R>["startAtOnce"]
): SpawnImpl<A, E, R> => {
  const self = Object.create(SpawnProto) as {
    run: Effect.Effect<Started<A>, E, R>
    runSupervised: Effect.Effect<Started<A>, E, R>
    start: typeof start
    startAtOnce: SpawnImpl<A, E, R>["startAtOnce"]
  } & SpawnImpl<A, E, R>
  self.start = start
  if (startAtOnce !== undefined) self.startAtOnce = startAtOnce
  self.run = Effect.flatMap(start(false, undefined), awaitStart)
  self.runSupervised = Effect.flatMap(start(true, undefined), awaitStart)
  return self
}

/**
 * A spawn whose every start fails with `error`, starting nothing (e.g. invalid options).
 * @internal
 */
export const spawnFailure = <E>(error: E): SpawnImpl<never, E, never> =>
  makeSpawn(() =>
    Effect.sync(() => {
      const starting = new StartingImpl<never, E>()
      starting.done(Exit.fail(error))
      return starting
    })
  )

/**
 * A process whose body is a plain effect: started as soon as it is forked.
 * @internal
 */
export const spawnEffect = <E, R>(
  body: Effect.Effect<unknown, E, R>
): SpawnImpl<ProcessImpl, never, Exclude<R, Scope.Scope | Self>> =>
  makeSpawn((supervised, origin) =>
    Effect.suspend(() => {
      const process = new ProcessImpl()
      process.supervised = supervised
      return Effect.map(
        fork(process, body as Effect.Effect<unknown, E, Exclude<R, Scope.Scope | Self> | Scope.Scope | Self>, origin),
        (process) => {
          const starting = new StartingImpl<ProcessImpl, never>()
          starting.done(Exit.succeed({ _tag: "Started", process, value: process }))
          return starting
        }
      )
    })
  )

/**
 * A process with an initialization step: started when `init` has succeeded. A failing
 * `init` fails the start with its cause, once the process has ended; an `init` that
 * fails with `StartIgnored` makes the start decline. `makeProcess` lets a behaviour
 * (e.g. a GenServer) use its own subclass of `ProcessImpl` as the process.
 * @internal
 */
export const spawnWithInit = <S, E, R, E2, R2, A, P extends ProcessImpl = ProcessImpl>(
  init: Effect.Effect<S, E, R>,
  run: (state: S, process: P) => Effect.Effect<unknown, E2, R2>,
  value: (process: P, state: S) => A,
  makeProcess?: () => P
): SpawnImpl<A, E, Exclude<R | R2, Scope.Scope | Self>> =>
  makeSpawn((supervised, origin) =>
    Effect.suspend(() =>
      startWithInit(
        makeProcess === undefined ? new ProcessImpl() as P : makeProcess(),
        supervised,
        origin,
        init,
        run,
        value
      )
    )
  )

/**
 * One start of `process` (new, not started yet) with an initialization step (see
 * {@link spawnWithInit}), forked from `origin` or from the current fiber.
 * @internal
 */
export const startWithInit = <S, E, R, E2, R2, A, P extends ProcessImpl>(
  process: P,
  supervised: boolean,
  origin: Origin | undefined,
  init: Effect.Effect<S, E, R>,
  run: (state: S, process: P) => Effect.Effect<unknown, E2, R2>,
  value: (process: P, state: S) => A
): Effect.Effect<Process.Starting<A, E>, never, Exclude<R | R2, Scope.Scope | Self>> => {
  // marked before it starts: its registrations then stay reserved if it ends at once
  process.supervised = supervised
  const starting = new StartingImpl<A, E>()
  let failure: Cause.Cause<E> | undefined = undefined
  let observing = false
  // a start that did not succeed is over once the process has ended
  const onEnd = (exit: Exit.Exit<unknown, unknown>) => {
    if (starting.exit !== undefined) return
    const cause = failure ?? (Exit.isFailure(exit) ? exit.cause as Cause.Cause<E> : Cause.empty)
    const reason = Cause.failureOption(cause)
    starting.done(
      Option.isSome(reason) && reason.value instanceof StartIgnored
        ? Exit.succeed({ _tag: "Ignored" })
        : Exit.failCause(cause)
    )
  }
  const body = Effect.matchCauseEffect(init, {
    onFailure: (cause) => {
      failure = cause
      return Effect.failCause(cause)
    },
    onSuccess: (state) => {
      // started: the process no longer needs to keep its start around
      if (observing) process.removeObserver(onEnd)
      starting.done(Exit.succeed({ _tag: "Started", process, value: value(process, state) }))
      return run(state, process)
    }
  })
  return Effect.map(
    fork(
      process,
      body as Effect.Effect<unknown, unknown, Exclude<R | R2, Scope.Scope | Self> | Scope.Scope | Self>,
      origin
    ),
    (process) => {
      starting.process = process
      if (starting.exit === undefined) {
        observing = true
        process.addObserver(onEnd)
      }
      return starting
    }
  )
}
