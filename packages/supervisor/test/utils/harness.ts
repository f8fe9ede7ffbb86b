/**
 * Test helpers for supervisors: children that record their starts and stops (with the
 * TestClock time), that can be told to exit in a chosen way, and whose starts can be
 * made to fail; plus ways to let a supervisor react without real sleeps.
 */
import { Clock, Data, Duration, Effect, Exit, Fiber, Option, Queue, Ref, Scope } from "effect"
import type { ChildSpec as ChildSpecNs } from "../../src/index.js"
import { ChildSpec, ExitReason, Process, Supervisor } from "../../src/index.js"

/** What a harness child records. */
export interface Event {
  readonly kind: "start" | "stop" | "stopping" | "fail"
  readonly id: string
  readonly at: number
  readonly pid: number
}

/** How a harness child is told to end. */
export type Command =
  | { readonly _tag: "Normal" }
  | { readonly _tag: "Fail"; readonly error: unknown }
  | { readonly _tag: "Die"; readonly defect: unknown }
  | { readonly _tag: "Shutdown"; readonly reason?: unknown }
  | { readonly _tag: "Interrupt" }

export const Normal: Command = { _tag: "Normal" }
export const Fail = (error: unknown = "boom"): Command => ({ _tag: "Fail", error })
export const Die = (defect: unknown = "defect"): Command => ({ _tag: "Die", defect })
export const ShutdownCmd = (reason?: unknown): Command =>
  reason === undefined ? { _tag: "Shutdown" } : { _tag: "Shutdown", reason }
export const Interrupt: Command = { _tag: "Interrupt" }

/** The error a harness child's start fails with. */
export class StartError extends Data.TaggedError("StartError")<{ readonly id: string }> {}

export interface ChildOptions extends Omit<ChildSpecNs.Options, "id"> {
  /** How long (TestClock) every start of this child takes before it succeeds or fails. */
  readonly initDelay?: Duration.DurationInput | undefined
  /** How long (TestClock) the child's finalizer takes. */
  readonly stopDelay?: Duration.DurationInput | undefined
}

export interface Harness {
  /** A child spec whose incarnations record `start id` (after init) and `stop id` (in their finalizer). */
  readonly child: (id: string, options?: ChildOptions) => ChildSpec.ChildSpec<Process.ProcessRef, StartError>
  /** `"start a"`, `"stop a"`, `"stopping a"` (finalizer began, with a `stopDelay`), `"fail a"` (a start failed). */
  readonly log: Effect.Effect<ReadonlyArray<string>>
  /** The log, then clears it. */
  readonly takeLog: Effect.Effect<ReadonlyArray<string>>
  readonly events: Effect.Effect<ReadonlyArray<Event>>
  /** The next `n` starts of `id` fail with `StartError` (after the child's `initDelay`). */
  readonly failNextStarts: (id: string, n: number) => Effect.Effect<void>
  /** How many times a start of `id` began (successful or not). */
  readonly startAttempts: (id: string) => Effect.Effect<number>
  /** The latest incarnation of `id` that started. */
  readonly processOf: (id: string) => Effect.Effect<Process.ProcessRef>
  /** Every incarnation of every child that started, in start order. */
  readonly allProcesses: Effect.Effect<ReadonlyArray<Process.ProcessRef>>
  /** Tells the running incarnation of `id` how to end. */
  readonly send: (id: string, command: Command) => Effect.Effect<void>
  /** Kills the latest incarnation of `id` (`Process.kill`), then lets supervisors react. */
  readonly kill: (id: string) => Effect.Effect<ExitReason.ExitReason>
}

export const makeHarness: Effect.Effect<Harness> = Effect.gen(function*() {
  const events = yield* Ref.make<ReadonlyArray<Event>>([])
  const failures = new Map<string, number>()
  const attempts = new Map<string, number>()
  const current = new Map<string, Process.ProcessRef>()
  const all: Array<Process.ProcessRef> = []
  const queues = new Map<string, Queue.Queue<Command>>()
  const queueOf = (id: string): Queue.Queue<Command> => {
    let queue = queues.get(id)
    if (queue === undefined) {
      queue = Effect.runSync(Queue.unbounded<Command>())
      queues.set(id, queue)
    }
    return queue
  }
  const record = (kind: Event["kind"], id: string, pid: number) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => Ref.update(events, (list) => [...list, { kind, id, at, pid }]))

  const act = (command: Command): Effect.Effect<void, unknown> => {
    switch (command._tag) {
      case "Normal":
        return Effect.void
      case "Fail":
        return Effect.fail(command.error)
      case "Die":
        return Effect.die(command.defect)
      case "Shutdown":
        return Effect.fail(
          new ExitReason.ShutdownRequest("reason" in command ? { reason: command.reason } : {})
        )
      case "Interrupt":
        return Effect.interrupt
    }
  }

  const child = (id: string, options: ChildOptions = {}) => {
    const { initDelay, stopDelay, ...specOptions } = options
    const init = Effect.gen(function*() {
      const self = yield* Process.Self
      attempts.set(id, (attempts.get(id) ?? 0) + 1)
      if (initDelay !== undefined) yield* Effect.sleep(initDelay)
      const remaining = failures.get(id) ?? 0
      if (remaining > 0) {
        failures.set(id, remaining - 1)
        yield* record("fail", id, self.pid)
        return yield* Effect.fail(new StartError({ id }))
      }
      yield* Effect.acquireRelease(record("start", id, self.pid), () =>
        stopDelay === undefined
          ? record("stop", id, self.pid)
          : Effect.zipRight(
            Effect.zipRight(record("stopping", id, self.pid), Effect.sleep(stopDelay)),
            record("stop", id, self.pid)
          ))
      current.set(id, self)
      all.push(self)
    })
    return ChildSpec.make({
      ...specOptions,
      id,
      start: Process.withInit(init, () => Effect.flatMap(Queue.take(queueOf(id)), act))
    })
  }

  const format = (list: ReadonlyArray<Event>) => list.map((event) => `${event.kind} ${event.id}`)

  const processOf = (id: string) =>
    Effect.suspend(() => {
      const process = current.get(id)
      return process === undefined ? Effect.dieMessage(`no incarnation of ${id} started`) : Effect.succeed(process)
    })

  return {
    child,
    log: Effect.map(Ref.get(events), format),
    takeLog: Effect.map(Ref.getAndSet(events, []), format),
    events: Ref.get(events),
    failNextStarts: (id, n) => Effect.sync(() => failures.set(id, n)),
    startAttempts: (id) => Effect.sync(() => attempts.get(id) ?? 0),
    processOf,
    allProcesses: Effect.sync(() => all.slice()),
    send: (id, command) => Effect.zipRight(Queue.offer(queueOf(id), command), settle),
    kill: (id) => Effect.flatMap(processOf(id), (process) => Effect.zipLeft(Process.kill(process), settle))
  } satisfies Harness
})

/**
 * Lets other fibers (supervisor loops, children) run: yields to the scheduler a bounded
 * number of times. Never sleeps.
 */
export const settle: Effect.Effect<void> = Effect.gen(function*() {
  for (let i = 0; i < 100; i++) yield* Effect.yieldNow()
})

/**
 * Waits (by yielding, a bounded number of times) until `condition` holds; dies if it
 * never does.
 */
export const eventually = <E, R>(
  condition: Effect.Effect<boolean, E, R>,
  message = "condition never held"
): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    for (let i = 0; i < 2000; i++) {
      if (yield* condition) return
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage(message)
  })

/** The children, oldest first: `[id, status, pid]`. */
export const children = (supervisor: Supervisor.Supervisor) =>
  Effect.map(
    Supervisor.whichChildren(supervisor),
    (infos) =>
      infos.map((info) =>
        [info.id, info.status, Option.getOrUndefined(Option.map(info.process, (p) => p.pid))] as const
      ).reverse()
  )

/** The pid of each running child, by id. */
export const pids = (supervisor: Supervisor.Supervisor) =>
  Effect.map(Supervisor.whichChildren(supervisor), (infos) => {
    const out: Record<string, number | undefined> = {}
    for (const info of infos) out[info.id] = Option.getOrUndefined(Option.map(info.process, (p) => p.pid))
    return out
  })

/** The current process of child `id` (dies if it is not running). */
export const processOfChild = (supervisor: Supervisor.Supervisor, id: string) =>
  Effect.flatMap(Supervisor.whichChildren(supervisor), (infos) => {
    const info = infos.find((info) => info.id === id)
    return info !== undefined && Option.isSome(info.process)
      ? Effect.succeed(info.process.value)
      : Effect.dieMessage(`child ${id} is not running`)
  })

/** Starts a supervisor in a scope of its own, which the test closes when it wants. */
export const startInScope = <R>(options: Supervisor.Options<R>) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const supervisor = yield* Supervisor.start(options).pipe(Scope.extend(scope))
    return { supervisor, scope, close: Scope.close(scope, Exit.void) } as const
  })

/** Forks the closing of a scope, so that the test can move the TestClock meanwhile. */
export const forkClose = (scope: Scope.CloseableScope) => Effect.fork(Scope.close(scope, Exit.void))

/** `true` once the fiber has ended. */
export const isDone = <A, E>(fiber: Fiber.Fiber<A, E>) => Effect.map(Fiber.poll(fiber), Option.isSome)

/** Milliseconds, for TestClock adjustments. */
export const ms = (input: Duration.DurationInput) => Duration.toMillis(Duration.decode(input))

/**
 * The exit reason of a process that is expected to have ended, or to end without the
 * clock moving: fails the test fast (instead of hanging) if it does not.
 */
export const exitOf = (process: Process.ProcessRef): Effect.Effect<ExitReason.ExitReason> =>
  Effect.zipRight(
    eventually(Effect.sync(() => Option.isSome(process.poll)), `process ${process.pid} did not exit`),
    process.await
  )
