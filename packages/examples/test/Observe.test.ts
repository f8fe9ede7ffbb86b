/**
 * `npm run observe`: the chat application on the observer's page, in Debian's Chromium
 * (driven by playwright-core). With `UPDATE_SCREENSHOT=1` the run rewrites the screenshot of
 * docs/observer.png; otherwise it takes the screenshot and leaves the file alone.
 */
import { Observer } from "@effect-otp/observer"
import { Registry } from "@effect-otp/supervisor"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium, type Page } from "playwright-core"
import { chat, crash } from "../src/observe.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

const browser = Effect.acquireRelease(
  Effect.promise(() =>
    chromium.launch({
      executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
      timeout: 30_000,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })
  ),
  (browser) => Effect.promise(() => browser.close())
)

/** Waits (bounded, polled at each frame) until the page's `predicate` holds. */
const waitFor = (page: Page, predicate: () => boolean, timeout = 2000) =>
  Effect.promise(() => page.waitForFunction(predicate, null, { timeout, polling: "raf" }))

describe("npm run observe", { timeout: 60_000 }, () => {
  it.scopedLive("shows the chat application's tree live (and takes the guide's screenshot)", () =>
    Effect.gen(function*() {
      yield* chat
      const observer = yield* Observer.Observer
      const page = yield* Effect.acquireRelease(
        Effect.flatMap(
          browser,
          (browser) =>
            Effect.promise(() => browser.newPage({ viewport: { width: 1360, height: 640 }, deviceScaleFactor: 1 }))
        ),
        (page) => Effect.promise(() => page.close())
      )
      yield* Effect.promise(() => page.goto(`${observer.url}#token=screenshot-token`, { timeout: 10_000 }))
      yield* waitFor(page, () => document.querySelector("#n-children")?.textContent === "8", 10_000)

      // a crash through the library, a kill from the page
      yield* crash("effect")
      yield* waitFor(
        page,
        () => document.querySelector("[data-child='room:effect'] .exit")?.textContent === "killed"
      )
      yield* Effect.promise(() => page.click("[data-child='room:otp'] button[data-act='kill']"))
      yield* waitFor(
        page,
        () => document.querySelector("[data-child='room:otp'] .exit")?.textContent === "killed"
      )
      const text = yield* Effect.promise(() => page.textContent("#notice"))
      expect(text).toMatch(
        /^200: killed ChatApp\.Supervisor\/ChatApp\.RoomSupervisor\/room:otp GenServer<\d+> \(killed\)$/
      )
      expect(yield* Effect.promise(() => page.textContent("#counts"))).toBe(
        "supervisors 2children 8running 8restarting 0stopped 0"
      )
      yield* Effect.promise(() =>
        page.waitForFunction(
          () => Array.from(document.querySelectorAll(".row .budget")).some((cell) => cell.textContent === "2/3 in 5s"),
          null,
          { timeout: 2000 }
        )
      )
      const screenshot = yield* Effect.promise(() => page.screenshot())
      expect(screenshot.byteLength).toBeGreaterThan(10_000)
      if (process.env.UPDATE_SCREENSHOT === "1") {
        yield* Effect.promise(() => fs.writeFile(path.join(root, "docs", "observer.png"), screenshot))
      }
    }).pipe(
      Effect.provide(Layer.mergeAll(
        Observer.layer({ port: 0, actions: { token: "screenshot-token" } }),
        Registry.layer,
        Logger.minimumLogLevel(LogLevel.None)
      ))
    ))

  it("prints the observer's address, serves the page, and stops on SIGINT", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "packages/examples/src/observe.ts", "--quiet"], {
      cwd: root,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "OBSERVER_TOKEN")),
        OBSERVER_PORT: "0"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = ""
        child.stdout.on("data", (chunk) => {
          output += chunk
          const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output)
          if (match) resolve(match[0])
        })
        child.on("exit", (code) => reject(new Error(`observe exited with ${code}: ${output}`)))
      })
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain("<title>effect-otp observer</title>")
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
      child.kill("SIGINT")
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }, 30_000)
})
