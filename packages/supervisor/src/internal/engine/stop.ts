/**
 * Stopping children within a shutdown deadline, and reporting how they stopped.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as LogLevel from "effect/LogLevel"
import type * as ChildSpec from "../../ChildSpec.js"
import * as ExitReason from "../../ExitReason.js"
import * as SupervisorEvent from "../../SupervisorEvent.js"
import { formatDuration } from "../duration.js"
import type { Hub } from "../hub.js"
import type { ProcessImpl } from "../process.js"
import { report } from "../report.js"
import { shutdownAllProcesses } from "../shutdown.js"
import type { ChildRecord } from "./record.js"

/** What a stop reports to. */
interface Stopper {
  readonly hub: Hub
  unsafeNoteUnstopped(process: ProcessImpl): void
}

const deadlineOf = (shutdown: ChildSpec.Shutdown): Duration.Duration =>
  typeof shutdown === "string" ? Duration.zero : shutdown

/**
 * Stops `processes` (those of `records`, or of no record) all at once within `shutdown`,
 * then reports each child's exit and the deadlines missed: the process of a child that
 * missed it is listed as unstopped, an event says so, and one log line says it for the
 * one child or for all of them (as OTP's batched `shutdown_error`).
 */
export const stopTogether = (
  stopper: Stopper,
  records: ReadonlyArray<ChildRecord>,
  processes: ReadonlyArray<ProcessImpl>,
  shutdown: ChildSpec.Shutdown
): Effect.Effect<void> =>
  Effect.zipRight(
    shutdownAllProcesses(processes, shutdown),
    Effect.suspend(() => reportStopped(stopper, records, processes, shutdown))
  )

/**
 * Stops children all at once (OTP's dynamic shutdown): all are signalled, then one
 * deadline per distinct shutdown value is waited for; linear in the number of children.
 */
export const stopGrouped = (
  stopper: Stopper,
  records: ReadonlyArray<ChildRecord>,
  processes: ReadonlyArray<ProcessImpl>
): Effect.Effect<void> => {
  if (records.length === 0) return Effect.void
  // children started from one spec share its shutdown: most stops are one group
  const first = records[0].shutdown
  if (records.every((record) => record.shutdown === first)) return stopTogether(stopper, records, processes, first)
  const groups = new Map<
    string | number,
    { shutdown: ChildSpec.Shutdown; records: Array<ChildRecord>; processes: Array<ProcessImpl> }
  >()
  for (let i = 0; i < records.length; i++) {
    const record = records[i]
    const key = typeof record.shutdown === "string" ? record.shutdown : Duration.toMillis(record.shutdown)
    let group = groups.get(key)
    if (group === undefined) {
      group = { shutdown: record.shutdown, records: [], processes: [] }
      groups.set(key, group)
    }
    group.records.push(record)
    group.processes.push(processes[i])
  }
  return Effect.forEach(
    groups.values(),
    (group) => stopTogether(stopper, group.records, group.processes, group.shutdown),
    { concurrency: "unbounded", discard: true }
  )
}

/** How a supervisor's stop reports a child's exit (not by itself), by restart type. */
const permanent = { byItself: false, permanent: true }
const other = { byItself: false, permanent: false }

const reportStopped = (
  stopper: Stopper,
  records: ReadonlyArray<ChildRecord>,
  processes: ReadonlyArray<ProcessImpl>,
  shutdown: ChildSpec.Shutdown
): Effect.Effect<void> => {
  const hub = stopper.hub
  const reports: Array<Effect.Effect<void>> = []
  const missed: Array<number> = []
  const listening = hub.listening
  for (let i = 0; i < processes.length; i++) {
    const process = processes[i]
    if (process.exit === undefined) {
      stopper.unsafeNoteUnstopped(process)
      if (i < records.length) missed.push(i)
    }
  }
  if (missed.length === 1) {
    const i = missed[0]
    reports.push(hub.deadlineMissed(records[i].id, processes[i], deadlineOf(shutdown)))
  } else if (missed.length > 1) {
    if (listening) {
      for (const i of missed) {
        hub.publish(SupervisorEvent.ShutdownDeadlineMissed({
          supervisor: hub.path,
          childId: records[i].id,
          process: processes[i],
          deadline: deadlineOf(shutdown)
        }))
      }
    }
    reports.push(
      report(
        LogLevel.Error,
        `${missed.length} children missed their shutdown deadline of ${
          typeof shutdown === "string" ? shutdown : formatDuration(shutdown)
        }`,
        { supervisor: hub.path, reason: "Killed" }
      )
    )
  }
  for (let i = 0; i < records.length; i++) {
    const record = records[i]
    const process = processes[i]
    // past its deadline a process counts as killed, however it ends later
    const reason = process.exit === undefined ? ExitReason.killed : process.reasonOf(process.exit)
    const exited = hub.exited(record.id, process, reason, record.restart === "permanent" ? permanent : other)
    if (exited !== Effect.void) reports.push(exited)
  }
  return reports.length === 0 ? Effect.void : Effect.all(reports, { discard: true })
}
