/**
 * The processes started and not yet ended, for the test suite's leak check.
 */
import type { ProcessImpl } from "./processImpl.js"

/**
 * The processes started and not yet ended, tracked only once `trackProcesses` was called
 * (by the test suite's leak check): nothing is spent on it otherwise.
 * @internal
 */
export let running: Set<ProcessImpl> | undefined = undefined

/** @internal */
export const trackProcesses = (): Set<ProcessImpl> => {
  if (running === undefined) running = new Set()
  return running
}

/**
 * Adds `process` to `running` until it ends.
 * @internal
 */
export const track = (running: Set<ProcessImpl>, process: ProcessImpl): void => {
  running.add(process)
  process.addObserver(() => running.delete(process))
}
