/**
 * `ChatApp.Supervisor` (one_for_one): the Logger and the RoomSupervisor, registered under
 * its name.
 */
import { Supervisor } from "@effect-otp/supervisor"
import * as Logger from "./Logger.js"
import * as RoomSupervisor from "./RoomSupervisor.js"

/** The application supervisor's name: `Supervisor.stop(AppSupervisor)`, `Supervisor.tree(AppSupervisor)`. */
export const AppSupervisor = Supervisor.name("ChatApp.Supervisor")

export const start = Supervisor.start({
  name: AppSupervisor,
  strategy: "one_for_one",
  children: [Logger.childSpec, RoomSupervisor.childSpec]
})
