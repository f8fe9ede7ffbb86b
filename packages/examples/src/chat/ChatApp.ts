/**
 * `ChatApp.Supervisor` (one_for_one): the Logger and the RoomSupervisor.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { Supervisor } from "@effect-otp/supervisor"
import { Effect, Option } from "effect"
import * as Logger from "./Logger.js"
import * as RoomSupervisor from "./RoomSupervisor.js"

export const start = Supervisor.start({
  name: "ChatApp.Supervisor",
  strategy: "one_for_one",
  children: [Logger.childSpec, RoomSupervisor.childSpec]
})

/** The running RoomSupervisor (its current incarnation). */
export const rooms = (app: Supervisor.Supervisor) =>
  Effect.flatMap(Supervisor.whichChildren(app), (children) => {
    const child = children.find((info) => info.id === RoomSupervisor.childSpec.id)
    const value = child === undefined ? Option.none() : child.value
    return Option.isSome(value) && DynamicSupervisor.isDynamicSupervisor(value.value)
      ? Effect.succeed(value.value)
      : Effect.dieMessage("ChatApp.RoomSupervisor is not running")
  })
