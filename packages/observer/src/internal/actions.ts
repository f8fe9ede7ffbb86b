/**
 * The page's actions on a child: kill, restart, terminate; each answered with an HTTP
 * status and a message for people.
 *
 * @internal
 */
import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import * as Process from "@effect-otp/supervisor/Process"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { describeReason, type Handle, type State } from "./model.js"

/** What the page sends. */
export const ActionRequest = Schema.Struct({
  action: Schema.Literal("kill", "restart", "terminate"),
  supervisor: Schema.String,
  child: Schema.String,
  pid: Schema.optional(Schema.NullOr(Schema.Number))
})

export type ActionRequest = typeof ActionRequest.Type

export interface Answer {
  readonly status: number
  readonly message: string
}

const answer = (status: number, message: string): Answer => ({ status, message })

const childSupervisor = (value: Option.Option<unknown>): Handle | undefined => {
  if (Option.isNone(value)) return undefined
  const handle = value.value
  return Supervisor.isSupervisor(handle) || DynamicSupervisor.isDynamicSupervisor(handle) ? handle : undefined
}

/** A child as an action finds it: its id, status, process and value, and how to terminate it. */
const target = <E>(
  child: {
    readonly id: string
    readonly status: string
    readonly process: Option.Option<Process.ProcessRef>
    readonly value: Option.Option<unknown>
  },
  terminate: Effect.Effect<void, E>
) => ({ id: child.id, status: child.status, process: child.process, value: child.value, terminate })

/** The running children of a supervisor, by id, with their process and value. */
const childrenOf = (handle: Handle) =>
  Supervisor.isSupervisor(handle)
    ? Effect.map(
      Supervisor.whichChildren(handle),
      (children) => children.map((child) => target(child, Supervisor.terminateChild(handle, child.id)))
    )
    : Effect.map(
      DynamicSupervisor.whichChildren(handle),
      (children) => children.map((child) => target(child, DynamicSupervisor.terminateChild(handle, child.child)))
    )

/**
 * The supervisor at `path`: a watched supervisor, or one under it (found by the ids of
 * the children leading to it, a child id may itself contain `/`).
 */
const resolve = (state: State, path: string): Effect.Effect<Handle | undefined> =>
  Effect.gen(function*() {
    for (const [id, { handle }] of state.watched) {
      const root = state.paths.get(id)
      if (root === undefined) continue
      if (root === path) return handle
      if (!path.startsWith(`${root}/`)) continue
      let current: Handle | undefined = handle
      let rest = path.slice(root.length + 1)
      while (current !== undefined && rest.length > 0) {
        const children = yield* Effect.orElseSucceed(childrenOf(current), () => [])
        const next: (typeof children)[number] | undefined = children
          .filter((child) => rest === child.id || rest.startsWith(`${child.id}/`))
          .sort((a, b) => b.id.length - a.id.length)[0]
        if (next === undefined) return undefined
        current = childSupervisor(next.value)
        rest = rest.slice(Math.min(rest.length, next.id.length + 1))
      }
      if (current !== undefined) return current
    }
    return undefined
  })

/** Runs an action the page asked for (its token already checked). */
export const perform = (state: State, request: ActionRequest): Effect.Effect<Answer> =>
  Effect.gen(function*() {
    const supervisor = yield* resolve(state, request.supervisor)
    if (supervisor === undefined) return answer(404, `no supervisor ${JSON.stringify(request.supervisor)} is watched`)
    const children = yield* Effect.either(childrenOf(supervisor))
    if (children._tag === "Left") return answer(409, `${request.supervisor} has stopped`)
    const candidates = children.right.filter((child) => child.id === request.child)
    const pid = request.pid ?? null
    const child = pid === null
      ? candidates[0]
      : candidates.find((c) => Option.isSome(c.process) && c.process.value.pid === pid)
    const name = `${request.supervisor}/${request.child}`
    if (child === undefined) {
      return answer(404, `no child ${name}${pid === null ? "" : ` <${pid}>`}: it has ended or been replaced`)
    }
    switch (request.action) {
      case "kill": {
        if (Option.isNone(child.process)) return answer(409, `${name} is ${child.status}: no process to kill`)
        const reason = yield* Process.kill(child.process.value)
        return answer(200, `killed ${name} ${child.process.value} (${describeReason(reason)})`)
      }
      case "terminate": {
        return yield* Effect.match(child.terminate, {
          onFailure: (error) => answer(409, `${name}: ${error.message}`),
          onSuccess: () => answer(200, `terminated ${name}`)
        })
      }
      case "restart": {
        if (!Supervisor.isSupervisor(supervisor)) {
          return answer(
            409,
            `${request.supervisor} is a DynamicSupervisor: it has no restartChild (as in OTP); kill the child and its restart type decides`
          )
        }
        const restart = Effect.zipRight(
          child.status === "running" ? Supervisor.terminateChild(supervisor, child.id) : Effect.void,
          Supervisor.restartChild(supervisor, child.id)
        )
        return yield* Effect.match(restart, {
          onFailure: (error) =>
            answer(409, `${name}: ${Process.isIgnore(error) ? "its start declined (ignore)" : error.message}`),
          onSuccess: () => answer(200, `restarted ${name}`)
        })
      }
    }
  })
