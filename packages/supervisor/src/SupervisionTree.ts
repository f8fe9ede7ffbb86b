/**
 * The live tree under a supervisor, as data (ids, types, status, restart counts,
 * incarnation ages, nested supervisors) and as text for people.
 *
 * **Example**
 *
 * ```ts
 * import { Console, Effect } from "effect"
 * import { ChildSpec, Supervisor, SupervisionTree } from "@effect-otp/supervisor"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const app = yield* Supervisor.start({
 *     name: "app",
 *     children: [
 *       ChildSpec.make({ id: "cache", start: Effect.never }),
 *       Supervisor.childSpec({ id: "db", children: [ChildSpec.make({ id: "pool", start: Effect.never })] })
 *     ]
 *   })
 *   yield* Console.log(SupervisionTree.render(yield* Supervisor.tree(app)))
 *   // app <1> one_for_one
 *   // ├─ cache <2> worker running, restarts 0, up 0 ms
 *   // └─ db <3> supervisor running, restarts 0, up 0 ms
 *   //    └─ pool <4> worker running, restarts 0, up 0 ms
 * }))
 * ```
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ChildSpec from "./ChildSpec.js"
import { formatDuration } from "./internal/duration.js"
import type * as Process from "./Process.js"

/**
 * A supervisor and what runs under it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tree {
  /** The supervisor's path (see `Supervisor.Options.name`). */
  readonly name: string
  readonly process: Process.ProcessRef
  /** `one_for_one`, `one_for_all`, `rest_for_one`, or `dynamic`. */
  readonly strategy: string
  /** In start order. */
  readonly children: ReadonlyArray<Node>
}

/**
 * One child.
 *
 * @since 0.1.0
 * @category models
 */
export interface Node {
  readonly id: string
  readonly type: ChildSpec.ChildType
  readonly status: "running" | "restarting" | "stopped"
  readonly process: Option.Option<Process.ProcessRef>
  readonly restarts: number
  /** How long the running incarnation has been up. */
  readonly uptime: Option.Option<Duration.Duration>
  /** The tree under the child, when it is a running supervisor. */
  readonly tree: Option.Option<Tree>
}

/**
 * @since 0.1.0
 * @category protocol
 */
export const TypeId: unique symbol = Symbol.for("@effect-otp/supervisor/SupervisionTree")

/**
 * A running supervisor that can describe its tree (both `Supervisor` and
 * `DynamicSupervisor` do), so that a parent can include it.
 *
 * @since 0.1.0
 * @category protocol
 */
export interface HasTree {
  readonly [TypeId]: () => Effect.Effect<Tree>
}

/**
 * The tree of a child's value, if it is a supervisor.
 *
 * @since 0.1.0
 * @category protocol
 */
export const of = (value: unknown): Option.Option<Effect.Effect<Tree>> =>
  typeof value === "object" && value !== null && TypeId in value
    ? Option.some((value as HasTree)[TypeId]())
    : Option.none()

/**
 * A child as a supervisor implementation sees it when it describes its tree: a `Node`
 * without the subtree, plus what the running incarnation's start returned.
 *
 * @since 0.1.0
 * @category protocol
 */
export interface ChildSnapshot extends Omit<Node, "tree"> {
  readonly value: unknown
}

/**
 * Builds a supervisor's tree from a snapshot of its children, asking each running child
 * that is itself a supervisor for its own tree. Used by supervisor implementations.
 *
 * @since 0.1.0
 * @category protocol
 */
export const make = (options: {
  readonly name: string
  readonly process: Process.ProcessRef
  readonly strategy: string
  readonly children: ReadonlyArray<ChildSnapshot>
}): Effect.Effect<Tree> =>
  Effect.map(
    Effect.forEach(options.children, ({ value, ...child }) =>
      Effect.map(
        // a worker's value is no supervisor: no failure (and no exception object) per leaf
        Option.isNone(child.process) ? Effect.succeedNone : Option.match(of(value), {
          onNone: () => Effect.succeedNone,
          onSome: Effect.asSome
        }),
        (tree): Node => ({ ...child, tree })
      )),
    (children): Tree => ({ name: options.name, process: options.process, strategy: options.strategy, children })
  )

const line = (node: Node): string => {
  const pid = Option.match(node.process, { onNone: () => "", onSome: (process) => ` <${process.pid}>` })
  const uptime = Option.match(node.uptime, { onNone: () => "", onSome: (d) => `, up ${formatDuration(d)}` })
  return `${node.id}${pid} ${node.type} ${node.status}, restarts ${node.restarts}${uptime}`
}

/**
 * The tree as text, one line per supervisor and child.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (tree: Tree): string => {
  const lines = [`${tree.name} <${tree.process.pid}> ${tree.strategy}`]
  const walk = (children: ReadonlyArray<Node>, indent: string) => {
    children.forEach((node, index) => {
      const last = index === children.length - 1
      lines.push(`${indent}${last ? "└─ " : "├─ "}${line(node)}`)
      if (Option.isSome(node.tree)) walk(node.tree.value.children, `${indent}${last ? "   " : "│  "}`)
    })
  }
  walk(tree.children, "")
  return lines.join("\n")
}
