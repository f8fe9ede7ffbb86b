/**
 * Scaffolding of the model-based property tests (Supervisor.model, DynamicSupervisor.model):
 * the run settings, the arbitraries both command languages share, the "real world" side
 * (children that register their id and wait to be told how to end, whose next starts can
 * be made to fail, and the map from model incarnations to processes), bounded waits, and
 * the runner that checks random sequences against the model.
 *
 * Runs: `EFFECT_OTP_MODEL_RUNS` (default 1000), seed `EFFECT_OTP_MODEL_SEED`;
 * `EFFECT_OTP_MODEL_STATS=1` asks a test to print what its sequences did.
 */
import { ChildSpec, ExitReason, Process, Registry } from "@effect-otp/supervisor"
import { assert } from "@effect/vitest"
import { Deferred, Effect, Exit, FastCheck as fc, FiberId, Option, Runtime, Scope } from "effect"
import type { Leaks } from "./Leaks.js"

// -----------------------------------------------------------------------------
// Settings
// -----------------------------------------------------------------------------

const env = globalThis.process.env

/** Sequences per property: `EFFECT_OTP_MODEL_RUNS` (default 1000). */
export const RUNS = Number(env.EFFECT_OTP_MODEL_RUNS ?? 1000)

/** The base seed: `EFFECT_OTP_MODEL_SEED` (default 72024); each property offsets it. */
export const SEED = Number(env.EFFECT_OTP_MODEL_SEED ?? 7_2024)

/** Whether to print what the sequences did (`EFFECT_OTP_MODEL_STATS` set). */
export const STATS = env.EFFECT_OTP_MODEL_STATS !== undefined

// -----------------------------------------------------------------------------
// Commands
// -----------------------------------------------------------------------------

/** How a child is made to end: by itself (normal, `ShutdownRequest`, failure, defect, self-interruption) or `Process.kill`. */
export type Reason = "normal" | "shutdown" | "fail" | "die" | "interrupt" | "kill"
export type RestartType = ChildSpec.RestartType
/** Shutdowns without a deadline timer (cheap on the TestClock). */
export type ShutdownMode = "infinity" | "brutal_kill"

export const restartArb = fc.constantFrom<RestartType>("permanent", "transient", "temporary")
export const shutdownArb = fc.constantFrom<ShutdownMode>("infinity", "brutal_kill")
export const reasonArb = fc.constantFrom<Reason>("normal", "shutdown", "fail", "die", "interrupt", "kill")
/** The `N` of `Restart.intensity(N, T)`. */
export const maxRestartsArb = fc.constantFrom(0, 1, 2, 3, 3, 5, 10)
/** The `T` of `Restart.intensity(N, T)`, in milliseconds. */
export const windowMillisArb = fc.constantFrom(3000, 5000)
/** Which child a command is about (modulo the number there is). */
export const targetArb = fc.nat({ max: 11 })
/** How many of a crashed child's next starts fail, so that its restart is tried again. */
export const failingRestartsArb = fc.constantFrom(0, 0, 0, 0, 1, 2)

/** Moves the clock in coarse steps. */
export const advanceArb = fc.record({
  _tag: fc.constant("Advance" as const),
  millis: fc.constantFrom(0 as const, 1000 as const, 3000 as const, 6000 as const)
})

/** A sequence of 1 to 30 commands. */
export const sequenceOf = <Cmd>(cmdArb: fc.Arbitrary<Cmd>) =>
  fc.array(cmdArb, { minLength: 1, maxLength: 30, size: "max" })

// -----------------------------------------------------------------------------
// The reference models' restart bookkeeping
// -----------------------------------------------------------------------------

/**
 * What both reference models keep the same way: the children (each with a `status`),
 * the starts armed to fail, the sliding inclusive restart window `intensity(N, T)` at the
 * model's `now`, the incarnation numbers, and the failed restart attempt that is tried
 * again (its queued "try again" message) until it works or the supervisor stops.
 */
export abstract class RestartModel<Child extends { status: string }> {
  children: Array<Child> = []
  readonly failures = new Map<string, number>()
  stamps: Array<number> = []
  now = 0
  alive = true
  nextInc = 0
  /** The child whose failed restart the supervisor will try again (its queued "try again" message). */
  pending: Child | undefined = undefined

  constructor(readonly maxRestarts: number, readonly windowMillis: number) {}

  /** One restart attempt of `child` (counted with {@link countRestart}). */
  abstract attempt(child: Child): void

  remove(child: Child) {
    this.children = this.children.filter((other) => other !== child)
  }

  /** A start: consumes one armed failure if there is one. */
  tryStart(id: string): boolean {
    const left = this.failures.get(id) ?? 0
    if (left > 0) {
      this.failures.set(id, left - 1)
      return false
    }
    return true
  }

  /** Steps the window at `now`: `false` when this restart is one too many (the supervisor gives up). */
  countRestart(): boolean {
    const now = this.now
    const live = this.stamps.filter((stamp) => now - stamp <= this.windowMillis)
    live.push(now)
    if (live.length > this.maxRestarts) return false
    this.stamps = live
    return true
  }

  /** The queued attempts again: a child that is no longer restarting (terminated meanwhile) is not. */
  drain() {
    while (this.pending !== undefined && this.alive) {
      const child = this.pending
      this.pending = undefined
      if (this.children.includes(child) && child.status === "restarting") this.attempt(child)
    }
  }
}

// -----------------------------------------------------------------------------
// The real world: children that can be told how to end, or made to fail to start
// -----------------------------------------------------------------------------

/** The error a model child's start fails with. */
export class StartError {
  readonly _tag = "StartError"
  constructor(readonly id: string) {}
}

/** The body's ending for `reason` (`kill` is sent from outside with `Process.kill`, never acted). */
export const act = (reason: Reason): Effect.Effect<void, unknown> => {
  switch (reason) {
    case "normal":
      return Effect.void
    case "shutdown":
      return Effect.fail(new ExitReason.ShutdownRequest({}))
    case "fail":
      return Effect.fail("boom")
    case "die":
      return Effect.die("defect")
    case "interrupt":
      return Effect.interrupt
    case "kill":
      return Effect.dieMessage("a kill is sent with Process.kill")
  }
}

/** The children of one sequence, and which process is which model incarnation. */
export class World {
  readonly failures = new Map<string, number>()
  readonly controls = new Map<number, Deferred.Deferred<Reason>>()
  /** Model incarnation -> the process that is that incarnation. */
  readonly incarnations = new Map<number, Process.ProcessRef>()
  readonly pidToInc = new Map<number, number>()
  constructor(readonly leaks: Leaks) {}

  /**
   * A child `id` that (after its armed start failures, `StartError`) registers `id` and
   * waits for the reason it is told to end with. `significant` is left out when not given.
   */
  spec(id: string, restart: RestartType, shutdown: ShutdownMode, significant?: boolean) {
    const { controls, failures, leaks } = this
    const init = Effect.gen(function*() {
      const self = yield* Process.Self
      leaks.track(self)
      const left = failures.get(id) ?? 0
      if (left > 0) {
        failures.set(id, left - 1)
        return yield* Effect.fail(new StartError(id))
      }
      yield* Registry.register(id)
      controls.set(self.pid, Deferred.unsafeMake<Reason>(FiberId.none))
      return self
    })
    return ChildSpec.make({
      id,
      restart,
      shutdown,
      ...(significant === undefined ? {} : { significant }),
      start: Process.withInit(
        init,
        (self) =>
          Effect.flatMap(Deferred.await(controls.get(self.pid)!), (reason) => {
            controls.delete(self.pid)
            return act(reason)
          })
      )
    })
  }

  /** The process of a model incarnation: the same pid every time, a new pid for a new incarnation. */
  bind(inc: number, process: Process.ProcessRef, what: string, where: string) {
    const known = this.incarnations.get(inc)
    if (known !== undefined) {
      assert.strictEqual(process.pid, known.pid, `${where}: ${what} should still be pid ${known.pid}`)
      return
    }
    const other = this.pidToInc.get(process.pid)
    assert.isUndefined(other, `${where}: ${what} should be a new incarnation, but pid ${process.pid} is not new`)
    this.incarnations.set(inc, process)
    this.pidToInc.set(process.pid, inc)
  }
}

// -----------------------------------------------------------------------------
// Waiting, boundedly
// -----------------------------------------------------------------------------

/** Waits by yielding (bounded) until `process` has ended. */
export const awaitEnd = (process: Process.ProcessRef, what: string) =>
  Effect.gen(function*() {
    for (let i = 0; i < 5000; i++) {
      if (Option.isSome(process.poll)) return process.poll.value
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage(`${what}: process ${process.pid} never ended`)
  })

/**
 * The supervisor's children and counts once it is quiet (no child `restarting`: without
 * backoff that only lasts while failed restart attempts are being retried), or
 * `undefined` when it has stopped.
 */
export const observeQuiet = <Info extends { readonly status: string }, Counts, E1, E2>(
  whichChildren: Effect.Effect<ReadonlyArray<Info>, E1>,
  countChildren: Effect.Effect<Counts, E2>,
  context: string
) =>
  Effect.gen(function*() {
    for (let i = 0; i < 200; i++) {
      const infos = yield* Effect.either(whichChildren)
      if (infos._tag === "Left") return undefined
      if (infos.right.some((info) => info.status === "restarting")) {
        yield* Effect.yieldNow()
        continue
      }
      const counts = yield* Effect.either(countChildren)
      if (counts._tag === "Left") return undefined
      return { infos: infos.right, counts: counts.right }
    }
    return yield* Effect.dieMessage(`${context}: a child stays "restarting"`)
  })

// -----------------------------------------------------------------------------
// Running sequences
// -----------------------------------------------------------------------------

/**
 * Runs one sequence in a scope of its own; a failed sequence does not wait for its
 * leftovers: they are stopped in the background.
 */
export const inOwnScope = <A, E, R>(sequence: (scope: Scope.CloseableScope) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(Scope.make(), (scope) =>
    sequence(scope).pipe(
      Effect.onError(() => Effect.forkDaemon(Scope.close(scope, Exit.void)))
    ))

/**
 * Checks `RUNS` random sequences (seeded, shrunk by fast-check on failure), each with a
 * fresh `Registry`, on the current runtime (one TestClock shared by the sequences: the
 * models read the time relative to the start of each sequence, and a sequence leaves no
 * sleeper behind).
 */
export const checkSequences = <Config, Cmds, E>(
  configArb: fc.Arbitrary<Config>,
  cmdsArb: fc.Arbitrary<Cmds>,
  seed: number,
  sequence: (config: Config, cmds: Cmds) => Effect.Effect<void, E, Registry.Registry>
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const run = Runtime.runPromise(yield* Effect.runtime<never>())
    yield* Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          configArb,
          cmdsArb,
          (config, cmds) =>
            run(sequence(config, cmds).pipe(Effect.provideServiceEffect(Registry.Registry, Registry.make)))
        ),
        { seed, numRuns: RUNS, endOnFailure: false }
      )
    )
  })
