/**
 * Crash storm: N dynamic children, a tenth of whose incarnations crash at a random time
 * within the storm; run for a fixed time and report the restart rate, the heap before and
 * after the storm, and that nothing is left running once the supervisor has stopped.
 * (Not a comparison with raw Effect: raw Effect has no restarts to compare with.)
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, Restart } from "@effect-otp/supervisor"
import { Effect, Exit, Logger, LogLevel, Scope } from "effect"
import { heapUsed } from "./harness.js"

export interface CrashStormResult {
  readonly children: number
  readonly seconds: number
  readonly restarts: number
  readonly restartsPerSecond: number
  readonly heapBeforeMB: number
  readonly heapAfterMB: number
  readonly runningAfterStop: number
}

export const crashStorm = (children: number, seconds: number): Promise<CrashStormResult> => {
  let running = 0
  let starts = 0
  const stormMillis = seconds * 1000
  // each incarnation: with probability 0.1 it crashes at a random time within the storm
  const body = Effect.acquireRelease(
    Effect.sync(() => {
      running++
      starts++
    }),
    () =>
      Effect.sync(() => {
        running--
      })
  ).pipe(
    Effect.zipRight(
      Effect.suspend(() =>
        Math.random() < 0.1
          ? Effect.zipRight(Effect.sleep(Math.random() * stormMillis), Effect.dieMessage("storm"))
          : Effect.never
      )
    )
  )
  const spec = ChildSpec.make({ id: "stormy", start: body })
  const program = Effect.gen(function*() {
    const scope = yield* Scope.make()
    const supervisor = yield* Scope.extend(
      DynamicSupervisor.start({ name: "storm", restartPolicy: Restart.unlimited }),
      scope
    )
    for (let i = 0; i < children; i++) yield* DynamicSupervisor.startChild(supervisor, spec)
    const heapBefore = heapUsed()
    const startsBefore = starts
    const t0 = performance.now()
    yield* Effect.sleep(stormMillis)
    const elapsed = (performance.now() - t0) / 1000
    const restarts = starts - startsBefore
    const heapAfter = heapUsed()
    yield* Scope.close(scope, Exit.void)
    return {
      children,
      seconds: elapsed,
      restarts,
      restartsPerSecond: restarts / elapsed,
      heapBeforeMB: heapBefore / 2 ** 20,
      heapAfterMB: heapAfter / 2 ** 20,
      runningAfterStop: running
    }
  }).pipe(Effect.orDie, Logger.withMinimumLogLevel(LogLevel.None))
  return Effect.runPromise(program)
}

export const crashStormTable = (result: CrashStormResult): string =>
  [
    "| crash storm | figure |",
    "|---|---|",
    `| children | ${result.children.toLocaleString("en-US")} |`,
    `| storm | ${result.seconds.toFixed(1)} s |`,
    `| restarts | ${result.restarts.toLocaleString("en-US")} (${
      Math.round(result.restartsPerSecond).toLocaleString("en-US")
    } /s) |`,
    `| heap before / after the storm | ${result.heapBeforeMB.toFixed(0)} MB / ${result.heapAfterMB.toFixed(0)} MB |`,
    `| children still running after the supervisor stopped | ${result.runningAfterStop} |`
  ].join("\n")
