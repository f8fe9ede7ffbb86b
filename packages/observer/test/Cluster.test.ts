/**
 * A cluster on the page, in Debian's Chromium: `@effect-otp/cluster`'s children on the
 * in-memory `TestRunner` (real clock), each under the runner holding it, live; a source of
 * 10,000 children over four locations stays responsive. With `UPDATE_SCREENSHOT=1` the run
 * rewrites the screenshot of docs/observer-cluster.png.
 */
import { ChildStore, ClusterKind, ClusterObserver, ClusterSupervisor } from "@effect-otp/cluster"
import { Observer, type ObserverSource } from "@effect-otp/observer"
import { ChildKind, ChildSpec, Supervisor } from "@effect-otp/supervisor"
import { TestRunner } from "@effect/cluster"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema, SubscriptionRef } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Page } from "playwright-core"
import { browserForTests, open, waitForText } from "./utils/browser.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

const room = ClusterKind.make({
  kind: ChildKind.make("room", Schema.Void, () => Effect.never),
  request: Schema.Void,
  reply: Schema.Void,
  handleCall: () => Effect.void
})

const Cluster = ClusterSupervisor.layer([room]).pipe(
  Layer.provideMerge(ChildStore.layerMemory),
  Layer.provideMerge(TestRunner.layer)
)

/** The cells of the rows in view. */
const cells = (page: Page) =>
  Effect.promise(() =>
    page.$$eval("#rows .row", (rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent ?? "")))
  )

/** Waits (bounded, polled at each frame) until the page's `predicate` of `arg` holds. */
const waitFor = (page: Page, predicate: (arg: string | null) => boolean, arg: string | null, timeout = 1000) =>
  Effect.promise(() => page.waitForFunction(predicate, arg, { timeout, polling: "raf" }))

/** The location a child's row names. */
const locationOf = (page: Page, id: string) => Effect.promise(() => page.textContent(`[data-child='${id}'] .loc`))

describe("a cluster on the observer's page", { timeout: 60_000 }, () => {
  const launch = browserForTests()

  it.scopedLive("shows which runner holds which child, live, beside the local tree", () =>
    Effect.gen(function*() {
      const app = yield* Supervisor.start({
        name: "app",
        children: [ChildSpec.make({ id: "web", start: Effect.never })]
      })
      yield* Observer.watch(app)
      for (const id of ["room-1", "room-2", "room-3"]) {
        yield* ClusterSupervisor.startChild(room, { id, args: undefined })
      }
      yield* Observer.watch(yield* ClusterObserver.source())
      const runner = (yield* ClusterSupervisor.whichChildren)[0].runner!
      const observer = yield* Observer.Observer
      const page = yield* open(yield* launch, observer.url)
      yield* waitForText(page, "#n-children", "4", 5000)
      expect(yield* Effect.promise(() => page.textContent("#counts"))).toBe(
        "supervisors 1children 4running 4restarting 0stopped 0"
      )
      const pid = expect.stringMatching(/^<\d+>$/)
      const uptime = expect.stringMatching(/^\d+s$/)
      expect(yield* cells(page)).toEqual([
        ["▾app", "one_for_one", "running", pid, "", "", "0/3 in 5s", "", ""],
        ["web", "worker", "running", pid, "0", uptime, "", "", ""],
        ["▾cluster", "cluster", "running", "", "", "", "", "", ""],
        [`▾${runner}`, "runner", "", "", "", "", "", "", ""],
        [`room-1 @ ${runner}`, "room", "running", "", "", "", "", "", ""],
        [`room-2 @ ${runner}`, "room", "running", "", "", "", "", "", ""],
        [`room-3 @ ${runner}`, "room", "running", "", "", "", "", "", ""]
      ])

      // room-2 moves: another runner took it over and wrote the store, as a runner does when it
      // starts a child whose shard it now owns (TestRunner has one runner: the store is written here)
      const store = yield* ChildStore.ChildStore
      const stored = Option.getOrThrow(yield* store.get("room-2"))
      const other = "remote:34431"
      const movedAt = performance.now()
      yield* store.put({ ...stored, runner: other })
      yield* waitFor(
        page,
        (id) => document.querySelector(`[data-child='${id}'] .loc`)?.textContent === "@ remote:34431",
        "room-2",
        1500
      )
      const moveMs = performance.now() - movedAt
      expect(yield* cells(page)).toEqual([
        expect.arrayContaining(["▾app"]),
        expect.arrayContaining(["web"]),
        expect.arrayContaining(["▾cluster"]),
        [`▾${runner}`, "runner", "", "", "", "", "", "", ""],
        [`room-1 @ ${runner}`, "room", "running", "", "", "", "", "", ""],
        [`room-3 @ ${runner}`, "room", "running", "", "", "", "", "", ""],
        [`▾${other}`, "runner", "", "", "", "", "", "", ""],
        [`room-2 @ ${other}`, "room", "running", "", "", "", "", "", ""]
      ])

      // a child terminated on this runner: gone from the page at once, and in the events
      const terminatedAt = performance.now()
      yield* ClusterSupervisor.terminateChild("room-3")
      yield* waitFor(page, () => document.querySelector("[data-child='room-3']") === null, null, 1000)
      const terminateMs = performance.now() - terminatedAt
      yield* waitFor(page, () => document.querySelectorAll("#events li").length >= 1, null, 1000)
      const events = yield* Effect.promise(() =>
        page.$$eval("#events li", (items) => items.map((item) => item.querySelector(".x")?.textContent))
      )
      expect(events[0]).toBe(`room-3 (room) stopped on ${runner} (terminated)`)
      // the events filter: a runner's events
      yield* Effect.promise(() => page.selectOption("#filter", `cluster/${runner}`))
      expect(
        yield* Effect.promise(() => page.$$eval("#events li .x", (items) => items.map((item) => item.textContent)))
      ).toEqual([`room-3 (room) stopped on ${runner} (terminated)`])
      yield* Effect.promise(() => page.selectOption("#filter", ""))

      // no actions on a source's rows, even with actions enabled (they act on local supervisors)
      expect(yield* Effect.promise(() => page.$$eval(".acts button", (buttons) => buttons.length))).toBe(0)
      expect(yield* locationOf(page, "room-1")).toBe(`@ ${runner}`)
      const screenshot = yield* Effect.promise(() =>
        page.screenshot({ clip: { x: 0, y: 0, width: 1400, height: 300 } })
      )
      if (process.env.UPDATE_SCREENSHOT === "1") {
        yield* Effect.promise(() => fs.writeFile(path.join(root, "docs", "observer-cluster.png"), screenshot))
      }
      // eslint-disable-next-line no-console -- the measured figures, quoted in docs/observer.md
      console.log(
        `cluster: a move in the child store on the page in ${moveMs.toFixed(0)} ms (read every 500 ms); ` +
          `a child terminated on this runner gone from the page in ${terminateMs.toFixed(0)} ms`
      )
      expect(moveMs).toBeLessThan(1000)
      expect(terminateMs).toBeLessThan(1000)
    }).pipe(Effect.provide(Observer.layer({ port: 0 })), Effect.provide(Cluster)))

  it.scopedLive("stays responsive with a source of 10,000 children over four locations", () =>
    Effect.gen(function*() {
      const locations = ["10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1", "10.0.0.4:1"]
      const initial: ReadonlyArray<ObserverSource.Row> = Array.from({ length: 10_000 }, (_, i) => ({
        id: `room-${String(i).padStart(5, "0")}`,
        kind: "room",
        status: "running",
        location: locations[i % 4]
      }))
      const rows = yield* SubscriptionRef.make(initial)
      yield* Observer.watch({ name: "cluster", kind: "cluster", locationKind: "runner", snapshots: rows.changes })
      const observer = yield* Observer.Observer
      const started = performance.now()
      const page = yield* open(yield* launch, observer.url)
      yield* waitForText(page, "#n-children", "10000", 10_000)
      const firstRender = performance.now() - started
      const inDom = yield* Effect.promise(() => page.$$eval("#rows .row", (rows) => rows.length))
      expect(inDom).toBeLessThan(100)

      // folding a runner: its 2,500 children leave the list
      const fold = yield* Effect.promise(() =>
        page.evaluate(() => {
          const toggle = document.querySelector("[data-tog='cluster/10.0.0.1:1']") as HTMLElement
          const t0 = performance.now()
          toggle.click()
          return performance.now() - t0
        })
      )
      const stats = () =>
        Effect.promise(() =>
          page.evaluate(() => ({ ...(window as unknown as { __observer: Record<string, number> }).__observer }))
        )
      expect((yield* stats()).rows).toBe(1 + 4 + 7_500)

      // a child moves to another runner: the page within a second
      yield* Effect.promise(() => page.fill("#find", "room-00002"))
      const movedAt = performance.now()
      yield* SubscriptionRef.update(
        rows,
        (rows) => rows.map((row) => row.id === "room-00002" ? { ...row, location: "10.0.0.4:1" } : row)
      )
      yield* waitFor(
        page,
        () => document.querySelector("[data-child='room-00002'] .loc")?.textContent === "@ 10.0.0.4:1",
        null,
        5000
      )
      const moveMs = performance.now() - movedAt
      const after = yield* stats()
      // eslint-disable-next-line no-console -- the measured figures, quoted in docs/observer.md
      console.log(
        `a source of 10,000 children: page loaded and rendered in ${firstRender.toFixed(0)} ms; snapshot applied in ${
          after.lastApplyMs.toFixed(1)
        } ms (render ${after.lastRenderMs.toFixed(1)} ms); folding a runner ${fold.toFixed(1)} ms; ` +
          `a move on the page in ${moveMs.toFixed(0)} ms`
      )
      expect(moveMs).toBeLessThan(1000)
      expect(after.lastApplyMs).toBeLessThan(1000)
      expect(fold).toBeLessThan(250)
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))
})
