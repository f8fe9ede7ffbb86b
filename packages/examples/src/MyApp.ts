/**
 * `MyApp.Supervisor`: Counter and KVStore under a one_for_one supervisor.
 */
import { Supervisor } from "@effect-otp/supervisor"
import * as Counter from "./Counter.js"
import * as KVStore from "./KVStore.js"

export const start = Supervisor.start({
  strategy: "one_for_one",
  children: [Counter.childSpec(0), KVStore.childSpec]
})
