/**
 * Workload 5, static trees: boot and shut down a `Supervisor` of N children (plain
 * `Effect.never` children; GenServers) and a 3-level tree of supervisors (10 × 10 × 10
 * leaves); vs raw Effect forking the same number of fibers into scopes (a scope per
 * supervisor, its fiber included) and closing them.
 */
import { ChildSpec, GenServer, Supervisor } from "@effect-otp/supervisor"
import { Effect, ExecutionStrategy, Exit, Queue, Scope } from "effect"
import { compare, count, type Row, run } from "./harness.js"
import { type RawMessage, rawServer, Server } from "./servers.js"

interface Sample extends Record<"boot" | "shutdown", number> {}

export type TreeKind = "flat-effect" | "flat-genserver" | "nested"

const leaf = (id: string) => ChildSpec.make({ id, start: Effect.never })

const specsOf = (kind: TreeKind, n: number, fanout: number) => {
  switch (kind) {
    case "flat-effect":
      return Array.from({ length: n }, (_, i) => leaf(`c${i}`))
    case "flat-genserver":
      return Array.from({ length: n }, (_, i) => GenServer.childSpec(Server, 0, { id: `s${i}` }))
    case "nested":
      return Array.from({ length: fanout }, (_, i) =>
        Supervisor.childSpec({
          id: `a${i}`,
          children: Array.from({ length: fanout }, (_, j) =>
            Supervisor.childSpec({
              id: `b${j}`,
              children: Array.from({ length: fanout }, (_, k) => leaf(`c${k}`))
            }))
        }))
  }
}

const library = (kind: TreeKind, n: number, fanout: number) =>
  Effect.gen(function*() {
    const children = specsOf(kind, n, fanout) as ReadonlyArray<ChildSpec.ChildSpec<unknown, unknown, never>>
    const scope = yield* Scope.make()
    const t0 = performance.now()
    yield* Scope.extend(Supervisor.start({ strategy: "one_for_one", children }), scope)
    const t1 = performance.now()
    yield* Scope.close(scope, Exit.void)
    const t2 = performance.now()
    return { boot: t1 - t0, shutdown: t2 - t1 }
  }).pipe(Effect.orDie)

/** One library sample (for profiling). */
export const librarySample = (kind: TreeKind, n: number, fanout: number): Promise<Sample> =>
  run(library(kind, n, fanout))

/** A raw supervisor: a fiber in its parent's scope, and its own scope for its children. */
const rawNode = (parent: Scope.Scope) =>
  Effect.zipRight(
    Effect.forkIn(Effect.never, parent),
    Scope.fork(parent, ExecutionStrategy.sequential)
  )

const rawChildren = (kind: TreeKind, scope: Scope.Scope, n: number, fanout: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    switch (kind) {
      case "flat-effect":
        for (let i = 0; i < n; i++) yield* Effect.forkIn(Effect.never, scope)
        return
      case "flat-genserver":
        for (let i = 0; i < n; i++) {
          const mailbox = yield* Queue.unbounded<RawMessage>()
          yield* Effect.forkIn(rawServer(mailbox, 0), scope)
        }
        return
      case "nested":
        for (let i = 0; i < fanout; i++) {
          const middle = yield* rawNode(scope)
          for (let j = 0; j < fanout; j++) {
            const bottom = yield* rawNode(middle)
            for (let k = 0; k < fanout; k++) yield* Effect.forkIn(Effect.never, bottom)
          }
        }
    }
  })

const raw = (kind: TreeKind, n: number, fanout: number) =>
  Effect.gen(function*() {
    const outer = yield* Scope.make()
    const t0 = performance.now()
    const root = yield* rawNode(outer)
    yield* rawChildren(kind, root, n, fanout)
    yield* Effect.yieldNow()
    const t1 = performance.now()
    yield* Scope.close(outer, Exit.void)
    const t2 = performance.now()
    return { boot: t1 - t0, shutdown: t2 - t1 }
  })

export const treeRows = async (
  kind: TreeKind,
  n: number,
  fanout: number,
  repetitions: number,
  warmup: number
): Promise<Array<Row>> => {
  const label = kind === "nested"
    ? `tree of supervisors ${fanout} × ${fanout} × ${fanout} (${count(fanout ** 3)} leaves)`
    : `supervisor of ${count(n)} ${kind === "flat-effect" ? "Effect.never" : "GenServer"} children`
  const result = await compare(
    label,
    repetitions,
    { rounds: warmup },
    () => run(raw(kind, n, fanout)),
    () => run(library(kind, n, fanout))
  )
  return [
    { workload: label, metric: "boot", unit: "ms", library: result.library.boot, raw: result.raw.boot },
    { workload: label, metric: "shut down", unit: "ms", library: result.library.shutdown, raw: result.raw.shutdown }
  ]
}
