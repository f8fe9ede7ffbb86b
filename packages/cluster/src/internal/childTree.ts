/**
 * The children of the cluster grouped by runner, as a text tree for people.
 *
 * @internal
 */
import type * as ClusterSupervisor from "../ClusterSupervisor.js"

/** @internal */
export const render = (children: ReadonlyArray<ClusterSupervisor.ChildInfo>): string => {
  const byRunner = new Map<string, Array<ClusterSupervisor.ChildInfo>>()
  for (const child of children) {
    const runner = child.runner ?? "(no runner)"
    const list = byRunner.get(runner) ?? []
    list.push(child)
    byRunner.set(runner, list)
  }
  const runners = Array.from(byRunner.keys()).sort()
  const lines = ["cluster"]
  runners.forEach((runner, i) => {
    const lastRunner = i === runners.length - 1
    lines.push(`${lastRunner ? "└─" : "├─"} ${runner}`)
    const list = byRunner.get(runner) ?? []
    list.forEach((child, j) => {
      const status = child.status === "running" ? "running" : "gave up"
      lines.push(
        `${lastRunner ? "   " : "│  "}${
          j === list.length - 1 ? "└─" : "├─"
        } ${child.id} (${child.kind}, ${child.restart}) ${status}`
      )
    })
  })
  return lines.join("\n")
}
