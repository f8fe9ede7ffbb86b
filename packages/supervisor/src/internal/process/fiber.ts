/**
 * A process's fibers: the first one, forked when it starts, and, for a process that
 * hibernates, each one run to wake it; the runtime they run with, and the value a fiber
 * ends with to hibernate.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as Runtime from "effect/Runtime"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as Scope from "effect/Scope"
import type { ProcessImpl } from "./processImpl.js"
import { running, track } from "./running.js"
import { Self } from "./self.js"

/**
 * Where a process is forked from: its context and the fiber refs and runtime flags it
 * starts with.
 */
export type Origin = Runtime.Runtime<never>

/**
 * The origin of a process started from `parent`, whose runtime flags are `runtimeFlags`.
 * @internal
 */
export const originOf = (
  parent: Fiber.RuntimeFiber<unknown, unknown>,
  runtimeFlags: RuntimeFlags.RuntimeFlags
): Origin => Runtime.make({ context: parent.currentContext, fiberRefs: parent.getFiberRefs(), runtimeFlags })

/**
 * A process's own value meaning "the fiber ends here, the process does not": the body of
 * a process that hibernates succeeds with it (see `hibernate`).
 */
const HIBERNATE: unique symbol = Symbol.for("@effect-otp/supervisor/Process/hibernate")

/**
 * Ends the current fiber of a process that hibernates, keeping the process (its scope,
 * its context, its identity): `resume` runs a fiber for it again.
 * @internal
 */
export const hibernate: Effect.Effect<typeof HIBERNATE> = Effect.succeed(HIBERNATE)

/** @internal */
export const isHibernation = (u: unknown): u is typeof HIBERNATE => u === HIBERNATE

/**
 * Whether a fiber set a fiber ref (other than the ones every fiber sets) to another value than `origin`.
 * @internal
 */
export const refsChanged = (refs: FiberRefs.FiberRefs, origin: FiberRefs.FiberRefs): boolean => {
  for (const ref of FiberRefs.fiberRefs(refs)) {
    if (ref === FiberRef.currentContext || ref === FiberRef.currentRuntimeFlags) continue
    if (FiberRefs.getOrDefault(refs, ref) !== FiberRefs.getOrDefault(origin, ref)) return true
  }
  return false
}

/**
 * Runs a fiber for a process that hibernates: `effect`, then the process's scope is
 * closed as when its first fiber ends. The fiber is scheduled, not started on the
 * current thread, so that whoever wakes the process (a sender) goes on first; or, to end
 * the process (`immediate`), started at once: it runs its finalizers until they suspend,
 * with no trip through the scheduler.
 * @internal
 */
export const resume = (process: ProcessImpl, effect: Effect.Effect<unknown, unknown>, immediate = false): void => {
  const scope = process.scope
  const fiber = Runtime.runFork(runtimeOf(process, process.origin!, scope))(processMain(process, effect, scope), {
    immediate
  })
  // a fiber started at once recorded itself, and may have ended already
  if (!immediate) process.fiber = fiber
  watchFiber(process, fiber)
}

/**
 * Tells the process when its fiber ends. Made apart from `fork`: a closure made there
 * would keep the whole start (its body, `init`) alive as long as the fiber runs.
 */
const watchFiber = (process: ProcessImpl, fiber: Fiber.RuntimeFiber<unknown, unknown>): void =>
  fiber.addObserver((exit) => process.fiberEnded(fiber, exit))

/**
 * The runtime of a process's fibers: the origin's context plus the process's `Self` and
 * `Scope` (added by `processMain` if the process has none yet), the origin's fiber refs,
 * and its runtime flags with interruption enabled (whatever the starter's region: no flag
 * frame to keep).
 */
const runtimeOf = (
  process: ProcessImpl,
  origin: Origin,
  scope: Scope.CloseableScope | undefined
): Runtime.Runtime<never> =>
  Runtime.make({
    context: (scope === undefined
      ? Context.add(origin.context, Self, process)
      : Context.add(Context.add(origin.context, Self, process), Scope.Scope, scope)) as Context.Context<never>,
    fiberRefs: origin.fiberRefs,
    runtimeFlags: RuntimeFlags.enable(origin.runtimeFlags, RuntimeFlags.Interruption)
  })

/**
 * The effect a process's fiber runs: it records its fiber (the body may run before
 * `runFork` returns), runs the body and closes the process's scope, unless the body ended
 * to hibernate. The first fiber of a process started hibernated makes its scope.
 */
const processMain = (
  process: ProcessImpl,
  body: Effect.Effect<unknown, unknown>,
  scope: Scope.CloseableScope | undefined
): Effect.Effect<unknown, unknown> =>
  Effect.withFiberRuntime<unknown, unknown>((self) => {
    process.fiber = self
    if (scope !== undefined) return Effect.onExit(body, (exit) => process.closeScope(scope, exit))
    return Effect.flatMap(Scope.make(), (scope) => {
      process.scope = scope
      return Effect.onExit(Effect.provideService(body, Scope.Scope, scope), (exit) => process.closeScope(scope, exit))
    })
  })

/** `effect`, to be run once: it is not kept after it started. */
const once = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> => {
  let pending: Effect.Effect<A, E> | undefined = effect
  return Effect.suspend(() => {
    const run = pending
    pending = undefined
    return run === undefined ? Effect.dieMessage("a process body ran twice") : run
  })
}

/**
 * Forks the process's fiber and starts it at once, on the current thread, until it first
 * suspends (a plain `fork` would only schedule it): a start whose `init` needs no I/O is
 * then over when `fork` returns, with no trip through the scheduler. The fiber is a
 * daemon with the origin's fiber refs and runtime flags (the current fiber's by default),
 * and the origin's context plus the process's `Self` and `Scope` (closed by the process's
 * own last fiber when it ends).
 * @internal
 */
export const fork = <P extends ProcessImpl, R>(
  process: P,
  body: Effect.Effect<unknown, unknown, R | Scope.Scope | Self>,
  origin: Origin | undefined
): Effect.Effect<P, never, Exclude<R, Scope.Scope | Self>> =>
  Effect.flatMap(Scope.make(), (scope) =>
    Effect.withFiberRuntime((parent, status) => {
      const from = origin ?? originOf(parent, status.runtimeFlags)
      if (process.hibernates) {
        process.origin = from
        process.scope = scope
      }
      if (running !== undefined) track(running, process)
      // `onExit` keeps the effect it wraps as long as the fiber runs: a thin one, which
      // lets go of the body (its start, `init` and the like) once running
      watchFiber(
        process,
        Runtime.runFork(runtimeOf(process, from, scope))(
          processMain(process, once(body as Effect.Effect<unknown, unknown>), scope)
        )
      )
      return Effect.succeed(process)
    }))

/**
 * Makes `process` a process that started hibernated, with no fiber: its start ran
 * nothing of its own (see `GenServer`'s start), so it has no scope either until a fiber
 * of its own first runs, when something wakes it (see `resume`). Forked from `origin`.
 * @internal
 */
export const startHibernated = (process: ProcessImpl, origin: Origin): void => {
  process.origin = origin
  if (running !== undefined) track(running, process)
}

/**
 * `Effect.addFinalizer` without its fiber-ref bookkeeping (it diffs and patches every
 * fiber ref when the finalizer runs): a process adds its finalizers from its own fiber,
 * and its scope is closed by that same fiber (see `fork`), with the same context.
 * @internal
 */
export const addFinalizer = (
  finalizer: (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<unknown>
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.flatMap(Effect.scope, (scope) => Scope.addFinalizerExit(scope, finalizer))
