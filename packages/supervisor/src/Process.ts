/**
 * Processes: fibers with an identity, an exit reason and a way to be started by a
 * supervisor.
 *
 * A {@link Spawn} describes how to start one incarnation of a process; a
 * {@link ProcessRef} is one running (or ended) incarnation.
 *
 * @since 0.1.0
 */
export { isProcessRef, isSpawn, SpawnTypeId, TypeId } from "./internal/process/models.js"
export type { ProcessRef, Spawn, Started, Starting } from "./internal/process/models.js"

export { fromEffect, ignore, isIgnore, make, Self, withInit } from "./internal/process/constructors.js"
export type { Ignore } from "./internal/process/constructors.js"

export { exit, kill, shutdown, stop } from "./internal/process/signals.js"

export { await_, exitReasonOf, unsafeOnExit } from "./internal/process/monitor.js"
export {
  /**
   * Waits for a process to end and returns why (`await_`, under its OTP-style name).
   *
   * @since 0.1.0
   * @category lifecycle
   */
  await_ as await
} from "./internal/process/monitor.js"

export { run, runScoped, start } from "./internal/process/run.js"
