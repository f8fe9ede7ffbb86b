/**
 * The life cycle of a real Node service (`src/service.ts`, run with `NodeRuntime.runMain`
 * and `Supervisor.run`) in a child process: SIGTERM stops the tree in reverse order, a
 * child that ignores the stop is given up on at its deadline, and the exit code is 0;
 * a supervisor that gives up makes the process exit 1. Each child process is killed in
 * `finally`, whatever the test's outcome.
 */
import { assert, describe, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const script = fileURLToPath(new URL("../src/service.ts", import.meta.url))

interface Service {
  readonly child: ChildProcess
  /** Everything printed so far, stdout and stderr. */
  output: () => string
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>
}

const startService = (...args: ReadonlyArray<string>): Service => {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "pipe"] })
  let text = ""
  child.stdout.on("data", (chunk) => text += String(chunk))
  child.stderr.on("data", (chunk) => text += String(chunk))
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"))
  )
  return { child, output: () => text, exited }
}

const waitFor = async (service: Service, line: string): Promise<void> => {
  while (!service.output().split("\n").includes(line)) {
    if (service.child.exitCode !== null) throw new Error(`exited before "${line}":\n${service.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const kill = (service: Service) => {
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill("SIGKILL")
}

/** The lines the service itself prints (the supervisor's log lines left out). */
const ownLines = (output: string) =>
  output.split("\n").filter((line) => /^(started|stopped|service stopped) /.test(line))

describe("a real Node service (NodeRuntime.runMain + Supervisor.run)", () => {
  it("SIGTERM stops the tree in reverse order within the deadlines, and the process exits 0", async () => {
    const service = startService()
    try {
      await waitFor(service, "started web")
      service.child.kill("SIGTERM")
      assert.strictEqual(await service.exited, 0)
      assert.deepStrictEqual(ownLines(service.output()), [
        "started db",
        "started cache",
        "started stuck",
        "started web",
        // reverse start order; `stuck` ignores its stop: given up on after 300 ms, then cache and db
        "stopped web",
        "stopped cache",
        "stopped db"
      ])
      assert.include(service.output(), "stuck Process<4> missed its shutdown deadline of 300 ms")
      assert.notInclude(service.output(), "service stopped")
    } finally {
      kill(service)
    }
  }, 60_000)

  it("SIGINT (Ctrl-C) does the same", async () => {
    const service = startService()
    try {
      await waitFor(service, "started web")
      service.child.kill("SIGINT")
      assert.strictEqual(await service.exited, 0)
      assert.deepStrictEqual(ownLines(service.output()).slice(4), ["stopped web", "stopped cache", "stopped db"])
    } finally {
      kill(service)
    }
  }, 60_000)

  it("a top supervisor that gives up stops its children and the process exits 1", async () => {
    const service = startService("crash")
    try {
      assert.strictEqual(await service.exited, 1)
      assert.deepStrictEqual(ownLines(service.output()), [
        "started db",
        // the default policy: 3 restarts in 5 s are tolerated, the 4th crash gives up
        "started flaky",
        "started flaky",
        "started flaky",
        "started flaky",
        "stopped db"
      ])
      assert.include(service.output(), "restart policy exhausted by flaky: giving up")
      assert.include(
        service.output(),
        "supervisor \"service\" gave up: \"flaky\" needed more restarts than its restart policy allows"
      )
    } finally {
      kill(service)
    }
  }, 60_000)
})
