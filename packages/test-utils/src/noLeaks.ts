/**
 * After every test of every package: no process started during the test is still running
 * and no registry made during the test holds the name of an ended process (DESIGN
 * decision 7). Installed as a vitest setup file by every package's config
 * (`setupFiles: ["../test-utils/src/noLeaks.ts"]`).
 */
import { afterEach, beforeEach, expect } from "vitest"
import { trackProcesses, trackRegistries } from "./internals.js"

const running = trackProcesses()
const registries = trackRegistries()

let before = new Set<unknown>()

beforeEach(() => {
  before = new Set(running)
  registries.clear()
})

afterEach(async () => {
  // let interrupted fibers finish their finalizers (no clock: a few event-loop turns)
  for (let i = 0; i < 20 && [...running].some((p) => !before.has(p)); i++) {
    await new Promise((resolve) => setImmediate(resolve))
  }
  const leaked = [...running].filter((process) => !before.has(process))
  // every process of the test has ended: none of its names may be left in a registry
  const names = [...registries].flatMap((registry) => [...registry.entries.keys()])
  if (leaked.length === 0 && names.length > 0) {
    throw new Error(`${expect.getState().currentTestName}: names of ended processes left in a registry: ${names}`)
  }
  if (leaked.length > 0) {
    throw new Error(
      `${expect.getState().currentTestName}: ${leaked.length} process(es) started by the test are still running: ${
        leaked.slice(0, 5).join(", ")
      }`
    )
  }
})
