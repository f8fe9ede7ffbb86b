import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

describe("README", () => {
  it("shows src/readme.ts as it is, and it prints what the README says", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const source = fs.readFileSync(path.join(root, "packages/examples/src/readme.ts"), "utf8")
    expect(readme).toContain("```ts\n" + source.trimEnd() + "\n```")
    const output = execFileSync(process.execPath, ["--import", "tsx", "packages/examples/src/readme.ts"], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000
    })
    // the supervisor reports the crash and the restart through Effect's logger
    const lines = output.split("\n")
    expect(lines.filter((line) => !line.startsWith("timestamp="))).toEqual(["10", "true", "0", ""])
    expect(
      lines.filter((line) => line.startsWith("timestamp=")).map((line) =>
        line.replace(/^.* level=/, "").replace(/ fiber=#\d+/, "")
      )
    ).toEqual(
      [
        "ERROR message=\"Counter GenServer<2> exited: killed\" reason=Killed child=Counter supervisor=supervisor",
        "INFO message=\"restarted Counter as GenServer<4> (restart 1)\" child=Counter supervisor=supervisor"
      ]
    )
    expect(readme).toContain("It prints `10`, `true`, `0`, and")
    expect(readme).toContain("npm ci && npm run demo")
    expect(readme).toContain("npm ci && npm test")
  }, 60_000)
})
