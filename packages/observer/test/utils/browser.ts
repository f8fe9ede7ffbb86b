/**
 * Debian's Chromium driven by playwright-core (no browser download), for the tests of the
 * observer's page. `.ci/run` installs the `chromium` package when /usr/bin/chromium is missing.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import { Effect } from "effect"
import { type Browser, chromium, type Page } from "playwright-core"

export const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"

/** Launches a headless Chromium with a fresh temporary profile (playwright removes it when the browser closes). */
const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath,
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

/**
 * One browser for the tests of a `describe` block (each test opens its own context, see
 * {@link open}): launched before them, always closed after them.
 */
export const browserForTests = (): Effect.Effect<Browser> => {
  let shared: Browser | undefined
  beforeAll(async () => {
    shared = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await shared?.close()
  })
  return Effect.sync(() => shared!)
}

/** A new page (its own context), closed with the scope. */
export const open = (browser: Browser, url: string, size = { width: 1400, height: 800 }) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const context = await browser.newContext({ viewport: size })
      const page = await context.newPage()
      await page.goto(url, { timeout: 10_000 })
      return page
    }),
    (page) => Effect.promise(() => page.context().close())
  )

/** Waits (bounded, polled at each frame) until an element's text is `expected`. */
export const waitForText = (page: Page, selector: string, expected: string, timeout = 1000) =>
  Effect.promise(() =>
    page.waitForFunction(
      ([selector, expected]) => document.querySelector(selector)?.textContent === expected,
      [selector, expected] as const,
      { timeout, polling: "raf" }
    )
  )
