/**
 * No leaks (DESIGN decision 7), for one scenario: after it, no process and no fiber a
 * supervisor started is still running, and no registry entry of an ended process remains.
 *
 * A `Leaks` tracker collects every `ProcessRef` the scenario sees (through
 * `whichChildren` of static and dynamic supervisors, `Process.Self` in a child's body, or
 * the values `startChild` returns) and, through Effect's own fiber-tracking `Supervisor`,
 * every fiber forked while the scenario ran under {@link Leaks.supervise} (process fibers,
 * restart timers, the supervisors' loops). After the scenario's scope has closed,
 * {@link Leaks.check} fails with the pids and fiber ids that are still running, and
 * {@link Leaks.checkNames} with the names left in the `Registry`.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { Process, Registry, Supervisor } from "@effect-otp/supervisor"
import { Effect, Option, Supervisor as EffectSupervisor } from "effect"

export interface Leaks {
  /** Remembers a process (idempotent). */
  readonly track: (process: Process.ProcessRef) => void
  /** In a child's body or `init`: remembers the running process. */
  readonly trackSelf: Effect.Effect<void, never, Process.Self>
  /** Remembers a static supervisor's process and each running child's process, recursively into child supervisors. */
  readonly trackTree: (supervisor: Supervisor.Supervisor) => Effect.Effect<void>
  /** Remembers a dynamic supervisor's process and its children's processes, recursively into child supervisors. */
  readonly trackDynamic: <Extra>(supervisor: DynamicSupervisor.DynamicSupervisor<Extra>) => Effect.Effect<void>
  /** Runs `effect` with every fiber it forks (at any depth, daemons included) tracked. */
  readonly supervise: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Every process tracked so far. */
  readonly processes: () => ReadonlyArray<Process.ProcessRef>
  /** The tracked processes that are still running. */
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
  /** A child's value: descends into it when it is a supervisor. */
  const trackValue = (value: unknown): Effect.Effect<void> =>
    Supervisor.isSupervisor(value)
      ? trackTree(value)
      : DynamicSupervisor.isDynamicSupervisor(value)
      ? trackDynamic(value)
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
    trackTree,
    trackDynamic,
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
