/**
 * `npm run demo:cluster`: chat rooms across three runner processes on this machine.
 * Opens rooms, talks in them, kills (SIGKILL) the runner holding the most rooms, and shows
 * its rooms coming back on the other two. Every process started here is killed at the end.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"

interface Line {
  readonly seq?: number
  readonly ok?: boolean
  readonly value?: unknown
  readonly error?: string
  readonly ready?: string
  readonly event?: { readonly _tag: string; readonly id: string; readonly runner: string; readonly recovered?: boolean }
}

const say = (text: string) => process.stdout.write(text + "\n")
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

class RunnerProcess {
  readonly child: ChildProcess
  private readonly pending = new Map<number, (line: Line) => void>()
  private seq = 0
  readonly ready: Promise<void>

  constructor(readonly name: string, file: string, readonly port: number) {
    this.child = spawn(process.execPath, [
      "--import",
      "tsx",
      path.join(import.meta.dirname, "runner.ts"),
      file,
      String(port)
    ], {
      stdio: ["pipe", "pipe", "inherit"]
    })
    let markReady: () => void = () => {}
    this.ready = new Promise((resolve) => (markReady = resolve))
    readline.createInterface({ input: this.child.stdout! }).on("line", (text) => {
      let line: Line
      try {
        line = JSON.parse(text) as Line
      } catch {
        return
      }
      if (line.ready !== undefined) markReady()
      if (line.event !== undefined) {
        const { _tag, id, recovered } = line.event
        if (_tag === "ChildStarted") {
          say(`  [${this.name}] #${id} ${recovered === true ? "started here from its stored spec" : "opened here"}`)
        }
        if (_tag === "ChildDropped") say(`  [${this.name}] #${id} was temporary: not restarted`)
      }
      if (line.seq !== undefined) this.pending.get(line.seq)?.(line)
    })
  }

  get address() {
    return `127.0.0.1:${this.port}`
  }

  send(command: Record<string, unknown>, timeoutMs = 30_000): Promise<Line> {
    const seq = ++this.seq
    this.child.stdin!.write(JSON.stringify({ ...command, seq }) + "\n")
    return Promise.race([
      new Promise<Line>((resolve) => this.pending.set(seq, resolve)),
      sleep(timeoutMs).then((): Line => ({ seq, ok: false, error: `no answer within ${timeoutMs} ms` }))
    ])
  }

  kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve()
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve())
      this.child.kill("SIGKILL")
    })
  }
}

const main = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-otp-chat-cluster-"))
  const file = path.join(dir, "chat.db")
  const base = 42000 + (process.pid % 500) * 3
  const runners = ["A", "B", "C"].map((name, i) => new RunnerProcess(name, file, base + i))
  try {
    say(`starting runners A, B, C on ports ${base}-${base + 2}, sharing ${file} ...`)
    await Promise.race([
      Promise.all(runners.map((runner) => runner.ready)),
      sleep(120_000).then(() => Promise.reject(new Error("runners did not start within 120 s")))
    ])
    say("runners up; letting them share out the shards ...\n")
    await sleep(3_000)

    const rooms = ["general", "random", "effect", "otp", "elixir", "typescript"]
    const [a] = runners
    say("opening rooms (each lives on the runner that owns its shard):")
    for (const name of rooms) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const answer = await a.send({ op: "open", room: name })
        if (answer.ok === true || answer.error?.includes("already started") === true) break
        await sleep(200)
      }
    }
    for (const name of rooms) {
      await a.send({ op: "call", room: name, message: { _tag: "Join", user: "ana" } })
      await a.send({ op: "call", room: name, message: { _tag: "Say", user: "ana", text: `hello #${name}` } })
    }
    const tree = await a.send({ op: "tree" })
    say(`\n${String(tree.value)}\n`)

    const homes = new Map<string, Array<string>>()
    for (const line of String(tree.value).split("\n")) {
      const runner = line.match(/(127\.0\.0\.1:\d+)$/)?.[1]
      if (runner !== undefined) homes.set(runner, [])
    }
    let current = ""
    for (const line of String(tree.value).split("\n")) {
      const runner = line.match(/(127\.0\.0\.1:\d+)$/)?.[1]
      if (runner !== undefined) current = runner
      const child = line.match(/─ (\S+) \(room/)?.[1]
      if (child !== undefined) homes.get(current)?.push(child)
    }
    const victim = runners.reduce((best, runner) =>
      (homes.get(runner.address)?.length ?? 0) > (homes.get(best.address)?.length ?? 0) ? runner : best
    )
    const survivor = runners.find((runner) => runner !== victim)!
    const lost = homes.get(victim.address) ?? []
    say(
      `killing runner ${victim.name} (${victim.address}) with SIGKILL: it holds ${lost.map((r) => `#${r}`).join(", ")}`
    )
    const killedAt = performance.now()
    await victim.kill()

    for (const name of lost) {
      for (;;) {
        const answer = await survivor.send({ op: "call", room: name, message: { _tag: "History" } }, 5_000)
        if (answer.ok === true) {
          const history = answer.value as ReadonlyArray<string>
          say(
            `  #${name} answers again ${Math.round(performance.now() - killedAt)} ms after the kill ` +
              `(history: ${history.length} lines: in-memory state is lost unless the room persists it)`
          )
          break
        }
        if (performance.now() - killedAt > 60_000) throw new Error(`#${name} did not come back within 60 s`)
        await sleep(250)
      }
    }
    await survivor.send({ op: "call", room: lost[0] ?? "general", message: { _tag: "Join", user: "bob" } })
    const after = await survivor.send({ op: "tree" })
    say(`\n${String(after.value)}\n`)
    say("done: every room of the killed runner came back on the others")
  } finally {
    await Promise.all(runners.map((runner) => runner.kill()))
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
