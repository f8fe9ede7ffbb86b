/**
 * After every test of every package: no process started during the test is still running
 * (DESIGN decision 7). Installed as a vitest setup file by every package's config. (Names
 * of ended processes are checked by test/utils/leaks.ts where registries are used.)
 */
import { afterEach, beforeEach, expect } from "vitest"
import { trackProcesses } from "../../src/internal/process.js"

const running = trackProcesses()

let before = new Set<unknown>()

beforeEach(() => {
  before = new Set(running)
})

afterEach(async () => {
  // let interrupted fibers finish their finalizers (no clock: a few event-loop turns)
  for (let i = 0; i < 20 && [...running].some((p) => !before.has(p)); i++) {
    await new Promise((resolve) => setImmediate(resolve))
  }
  const leaked = [...running].filter((process) => !before.has(process))
  if (leaked.length > 0) {
    throw new Error(
      `${expect.getState().currentTestName}: ${leaked.length} process(es) started by the test are still running: ${
        leaked.slice(0, 5).join(", ")
      }`
    )
  }
})
