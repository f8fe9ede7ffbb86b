/**
 * Runner processes of `@effect-otp/cluster` (its test fixture packages/cluster/test/fixtures/runner.ts,
 * through tsx) sharing one SQLite file, for the observer's tests: one JSON line per command,
 * answer and event. Each process is killed (SIGKILL) when the scope that started it closes.
 */
import { Effect, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"
import * as readline from "node:readline"
import { fileURLToPath } from "node:url"

const cluster = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "cluster")
const runnerFile = path.join(cluster, "test", "fixtures", "runner.ts")

export interface Line {
  readonly seq?: number
  readonly ok?: boolean
  readonly error?: string
  readonly ready?: string
}

export class Runner {
  readonly lines: Array<Line> = []
  readonly stderr: Array<string> = []
  private readonly waiters = new Set<() => void>()
  private seq = 0
  readonly child: ChildProcess
  exited = false

  constructor(file: string, readonly port: number) {
    this.child = spawn(process.execPath, ["--import", "tsx", runnerFile, file, String(port)], {
      cwd: cluster,
      stdio: ["pipe", "pipe", "pipe"]
    })
    readline.createInterface({ input: this.child.stdout! }).on("line", (text) => {
      try {
        this.lines.push(JSON.parse(text) as Line)
      } catch {
        this.stderr.push(text)
      }
      for (const wake of this.waiters) wake()
    })
    readline.createInterface({ input: this.child.stderr! }).on("line", (text) => this.stderr.push(text))
    this.child.on("exit", () => {
      this.exited = true
      for (const wake of this.waiters) wake()
    })
  }

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Waits (at most `timeoutMs`) for a line matching `predicate`. */
  waitFor(predicate: (line: Line) => boolean, timeoutMs: number, what: string): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(predicate)
        if (found !== undefined) {
          done()
          resolve(found)
        } else if (this.exited) {
          done()
          reject(new Error(`runner ${this.address} exited while waiting for ${what}\n${this.stderr.join("\n")}`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`runner ${this.address}: no ${what} within ${timeoutMs} ms\n${this.stderr.join("\n")}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
      check()
    })
  }

  /** Sends a command and waits (at most `timeoutMs`) for its answer. */
  send(command: Record<string, unknown>, timeoutMs: number): Promise<Line> {
    const seq = ++this.seq
    this.child.stdin!.write(JSON.stringify({ ...command, seq }) + "\n")
    return this.waitFor((line) => line.seq === seq, timeoutMs, `answer to ${JSON.stringify(command)}`)
  }

  kill(): Promise<void> {
    if (this.exited) return Promise.resolve()
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve())
      this.child.kill("SIGKILL")
    })
  }
}

/** A runner on `port` for the current scope, ready (its ready line within `timeoutMs`); killed when the scope closes. */
export const runner = (file: string, port: number, timeoutMs = 90_000): Effect.Effect<Runner, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => new Runner(file, port)),
    (runner) => Effect.promise(() => runner.kill())
  ).pipe(
    Effect.tap((runner) => Effect.promise(() => runner.waitFor((line) => line.ready !== undefined, timeoutMs, "ready")))
  )

/** Retries `attempt` until it returns a value, every `everyMs`, for at most `timeoutMs`. */
export const eventually = <A>(
  attempt: Effect.Effect<A | undefined>,
  timeoutMs: number,
  everyMs: number,
  what: string
): Effect.Effect<A> =>
  Effect.gen(function*() {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const value = yield* attempt
      if (value !== undefined) return value
      if (performance.now() > deadline) return yield* Effect.die(new Error(`${what}: not within ${timeoutMs} ms`))
      yield* Effect.sleep(everyMs)
    }
  })
