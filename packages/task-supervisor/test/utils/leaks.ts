/**
 * No leaks (DESIGN decision 7), for task supervisors (a copy of dynamic-supervisor's): the same checks as
 * `packages/supervisor/test/utils/leaks.ts` (a test project cannot import another's
 * test files). Every `ProcessRef` the scenario sees is tracked, and every fiber forked
 * under {@link Leaks.supervise}; after the scope has closed, {@link Leaks.check} fails if
 * one still runs and {@link Leaks.checkNames} if the registry still holds a name.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { Process, Registry, Supervisor } from "@effect-otp/supervisor"
import { Effect, Option, Supervisor as EffectSupervisor } from "effect"

export interface Leaks {
  /** Remembers a process (idempotent). */
  readonly track: (process: Process.ProcessRef) => void
  /** In a child's body or `init`: remembers the running process. */
  readonly trackSelf: Effect.Effect<void, never, Process.Self>
  /** Remembers a dynamic supervisor's process and its children's processes. */
  readonly trackDynamic: <Extra>(supervisor: DynamicSupervisor.DynamicSupervisor<Extra>) => Effect.Effect<void>
  /** Remembers a static supervisor's process and its children's, recursively. */
  readonly trackTree: (supervisor: Supervisor.Supervisor) => Effect.Effect<void>
  /** Runs `effect` with every fiber it forks (at any depth, daemons included) tracked. */
  readonly supervise: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly processes: () => ReadonlyArray<Process.ProcessRef>
  readonly running: () => ReadonlyArray<Process.ProcessRef>
  /** Fails (as a defect naming them) if a tracked process or a tracked fiber is still running. */
  readonly check: Effect.Effect<void>
  /** Fails (as a defect naming them) if the registry still holds a name. */
  readonly checkNames: Effect.Effect<void, never, Registry.Registry>
}

export const makeLeaks: Effect.Effect<Leaks> = Effect.gen(function*() {
  const fibers = yield* EffectSupervisor.track
  const seen = new Map<number, Process.ProcessRef>()
  const track = (process: Process.ProcessRef) => {
    if (!seen.has(process.pid)) seen.set(process.pid, process)
  }
  const trackValue = (value: unknown): Effect.Effect<void> =>
    Supervisor.isSupervisor(value)
      ? trackTree(value)
      : typeof value === "object" && value !== null && DynamicSupervisor.TypeId in value
      ? trackDynamic(value as DynamicSupervisor.DynamicSupervisor<unknown>)
      : Effect.void
  const trackTree = (supervisor: Supervisor.Supervisor): Effect.Effect<void> =>
    Effect.suspend(() => {
      track(supervisor.process)
      if (Option.isSome(supervisor.process.poll)) return Effect.void
      return Effect.flatMap(
        Effect.orElseSucceed(Supervisor.whichChildren(supervisor), () => []),
        (infos) =>
          Effect.forEach(infos, (info) => {
            if (Option.isSome(info.process)) track(info.process.value)
            return trackValue(Option.getOrUndefined(info.value))
          }, { discard: true })
      )
    })
  const trackDynamic = <Extra>(supervisor: DynamicSupervisor.DynamicSupervisor<Extra>): Effect.Effect<void> =>
    Effect.suspend(() => {
      track(supervisor.process)
      if (Option.isSome(supervisor.process.poll)) return Effect.void
      return Effect.flatMap(
        Effect.orElseSucceed(DynamicSupervisor.whichChildren(supervisor), () => []),
        (infos) =>
          Effect.forEach(infos, (info) => {
            track(info.child.initial)
            if (Option.isSome(info.process)) track(info.process.value)
            return trackValue(info.child.value)
          }, { discard: true })
      )
    })
  const running = () => Array.from(seen.values()).filter((process) => Option.isNone(process.poll))
  return {
    track,
    trackSelf: Effect.map(Process.Self, track),
    trackDynamic,
    trackTree,
    supervise: (effect) => Effect.supervised(effect, fibers),
    processes: () => Array.from(seen.values()),
    running,
    check: Effect.gen(function*() {
      const processes = running()
      const live = (yield* fibers.value).filter((fiber) => fiber.unsafePoll() === null)
      if (processes.length > 0 || live.length > 0) {
        return yield* Effect.dieMessage(
          `leaked: processes ${JSON.stringify(processes.map((process) => process.pid))} still running; ` +
            `${live.length} fiber(s) still running (${live.map((fiber) => fiber.id().id).join(", ")})`
        )
      }
    }),
    checkNames: Effect.flatMap(Registry.names, (names) =>
      names.length === 0
        ? Effect.void
        : Effect.dieMessage(`registry entries left behind: ${JSON.stringify(names)}`))
  } satisfies Leaks
})
