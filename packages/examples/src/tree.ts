/**
 * Prints a supervision tree for people: ids, status, pids and restart counts, with a
 * dynamic supervisor's children listed under it.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { Supervisor } from "@effect-otp/supervisor"
import { Effect, Option } from "effect"

const pid = (process: Option.Option<{ readonly pid: number }>) =>
  Option.match(process, { onNone: () => "-", onSome: (p) => `<${p.pid}>` })

const isDynamicSupervisor = (u: unknown): u is DynamicSupervisor.DynamicSupervisor =>
  typeof u === "object" && u !== null && DynamicSupervisor.TypeId in u

export const render = (
  name: string,
  supervisor: Supervisor.Supervisor
): Effect.Effect<string, never> =>
  Effect.gen(function*() {
    const lines = [`${name} <${supervisor.process.pid}> (${supervisor.strategy})`]
    const children = [...(yield* Effect.orDie(Supervisor.whichChildren(supervisor)))].reverse()
    for (const [i, child] of children.entries()) {
      const last = i === children.length - 1
      lines.push(
        `${last ? "└─" : "├─"} ${child.id} ${
          pid(child.process)
        } ${child.type} ${child.status}, restarts: ${child.restarts}`
      )
      const value = child.value
      if (Option.isSome(value) && isDynamicSupervisor(value.value)) {
        const rooms = yield* Effect.orDie(DynamicSupervisor.whichChildren(value.value))
        for (const [j, room] of rooms.entries()) {
          lines.push(
            `${last ? "   " : "│  "}${j === rooms.length - 1 ? "└─" : "├─"} ${room.id} ${
              pid(room.process)
            } ${room.status}, restarts: ${room.restarts}`
          )
        }
      }
    }
    return lines.join("\n")
  })
