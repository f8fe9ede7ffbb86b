import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { Observer } from "@effect-otp/observer"
import { ChildSpec, Process, Supervisor } from "@effect-otp/supervisor"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Deferred, Effect, Exit, Option, Redacted } from "effect"
import * as Http from "node:http"

const request = (url: string, init?: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: await response.text() }
  })

const act = (observer: Observer.Observer, body: unknown, token?: string) =>
  request(`${observer.url}action`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { "x-observer-token": token }) },
    body: JSON.stringify(body)
  })

/** Reads the event stream until `done` holds for the frames read so far (bounded by the test's timeout). */
const readEvents = (
  observer: Observer.Observer,
  done: (frames: ReadonlyArray<{ event: string; data: unknown }>) => boolean,
  /** Called when the first snapshot has arrived: the stream is subscribed. */
  onSubscribed: () => void = () => {}
) =>
  Effect.promise(async () => {
    const controller = new AbortController()
    const response = await fetch(`${observer.url}events`, { signal: controller.signal })
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    const frames: Array<{ event: string; data: unknown }> = []
    let buffer = ""
    try {
      while (!done(frames)) {
        const chunk = await reader.read()
        if (chunk.done) break
        buffer += decoder.decode(chunk.value, { stream: true })
        let end = buffer.indexOf("\n\n")
        while (end >= 0) {
          const text = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(text)
          const data = /^data: (.*)$/m.exec(text)
          if (event && data) frames.push({ event: event[1], data: JSON.parse(data[1]) })
          if (event?.[1] === "snapshot" && frames.filter((frame) => frame.event === "snapshot").length === 1) {
            onSubscribed()
          }
          end = buffer.indexOf("\n\n")
        }
      }
    } finally {
      controller.abort()
    }
    return frames
  })

/** The JSON the page receives (see src/internal/model.ts). */
interface WireChild {
  readonly id: string
  readonly type: string
  readonly status: string
  readonly pid: number | null
  readonly restarts: number
  readonly exit: string | null
  readonly tree: WireTree | null
}
interface WireTree {
  readonly path: string
  readonly strategy: string
  readonly status: string
  readonly budget: { readonly used: number; readonly max: number; readonly withinMs: number }
  readonly children: ReadonlyArray<WireChild>
  readonly label?: string | null
}
interface Snapshot {
  readonly trees: ReadonlyArray<WireTree>
}
interface WireEvent {
  readonly time: string
  readonly tag: string
  readonly supervisor: string
  readonly childId: string | null
  readonly text: string
}

const app = Supervisor.start({
  name: "app",
  children: [
    ChildSpec.make({ id: "cache", start: Effect.never }),
    ChildSpec.make({ id: "rooms", type: "supervisor", start: DynamicSupervisor.spawn({ name: "rooms" }) })
  ]
})

const childProcess = (supervisor: Supervisor.Supervisor, id: string) =>
  Effect.map(
    Supervisor.whichChildren(supervisor),
    (children) => Option.getOrThrow(children.find((child) => child.id === id)!.process)
  )

describe("Observer options", () => {
  it.scopedLive("refuses invalid options with a message naming the option and the value", () =>
    Effect.gen(function*() {
      const port = yield* Effect.flip(Observer.make({ port: 70000 }))
      expect(port._tag).toBe("InvalidOptions")
      expect(port.message).toContain("port")
      expect(port.message).toContain("70000")
      const unknown = yield* Effect.flip(Observer.make({ prot: 1 } as Observer.Options))
      expect(unknown.message).toContain("prot")
      const token = yield* Effect.flip(Observer.make({ port: 0, actions: { token: "short" } }))
      expect(token.message).toContain("a token of at least 8 characters")
      const host = yield* Effect.flip(Observer.make({ host: "" }))
      expect(host.message).toContain("host")
    }))

  it.scopedLive("refuses to watch what is no supervisor, or with an invalid intensity or label", () =>
    Effect.gen(function*() {
      const supervisor = yield* app
      const error = yield* Effect.flip(
        Observer.watch(supervisor, { intensity: { maxRestarts: -1, within: "5 seconds" } })
      )
      const notOne = yield* Effect.flip(Observer.watch({ name: "app" } as unknown as Supervisor.Supervisor))
      expect(notOne.message).toBe(
        `watch: expected a running Supervisor or DynamicSupervisor, or an ObserverSource.Source, got {"name":"app"}`
      )
      const label = yield* Effect.flip(Observer.watch(supervisor, { label: 7 as unknown as string }))
      expect(label.message).toBe("label: expected a string, got 7")
      expect(error.message).toBe(
        `intensity: expected { maxRestarts: a whole number >= 0, within: a duration }, got {"maxRestarts":-1,"within":"5 seconds"}`
      )
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))

  it.scopedLive("fails with ServeFailed when the port is taken", () =>
    Effect.gen(function*() {
      const first = yield* Observer.make({ port: 0 })
      const error = yield* Effect.flip(Observer.make({ port: first.address.port }))
      expect(error._tag).toBe("ServeFailed")
      expect(error.message).toContain(`127.0.0.1:${first.address.port}`)
      expect(error.message).toContain("EADDRINUSE")
    }))

  it.scopedLive("reads its options from configuration", () =>
    Effect.gen(function*() {
      const options = yield* Observer.config.pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([["OBSERVER_PORT", "0"], ["OBSERVER_TOKEN", "a-long-token"]]), {
            pathDelim: "_"
          })
        )
      )
      expect(options.port).toBe(0)
      expect(options.host).toBe("127.0.0.1")
      expect(Redacted.isRedacted(options.actions?.token)).toBe(true)
      const observer = yield* Observer.make(options)
      expect(observer.address.port).toBeGreaterThan(0)
    }))
})

describe("Observer server", () => {
  it.scopedLive("serves the page, its stream and its actions, and nothing else", () =>
    Effect.gen(function*() {
      const observer = yield* Observer.Observer
      expect(observer.address.host).toBe("127.0.0.1")
      expect(observer.url).toBe(`http://127.0.0.1:${observer.address.port}/`)
      const page = yield* request(observer.url)
      expect(page.status).toBe(200)
      expect(page.body).toContain("<title>effect-otp observer</title>")
      for (const path of ["index.html", "events/x", "action", "../package.json", "favicon.ico"]) {
        expect((yield* request(`${observer.url}${path}`)).status).toBe(404)
      }
      expect((yield* request(`${observer.url}events`, { method: "POST" })).status).toBe(404)
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))

  it.scopedLive("refuses a request for another host name", () =>
    Effect.gen(function*() {
      const observer = yield* Observer.Observer
      const answer = yield* Effect.promise(() =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = Http.request({
            host: "127.0.0.1",
            port: observer.address.port,
            path: "/",
            headers: { host: "evil.example:80" }
          }, (res) => {
            let body = ""
            res.on("data", (chunk) => (body += chunk))
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
          })
          req.on("error", reject)
          req.end()
        })
      )
      expect(answer.status).toBe(403)
      expect(JSON.parse(answer.body).message).toBe(`unexpected Host header "evil.example:80"`)
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))

  it.scopedLive("streams a snapshot of every watched tree, then the events as they happen", () =>
    Effect.gen(function*() {
      const supervisor = yield* app
      yield* Observer.watch(supervisor, { label: "node-1" })
      const observer = yield* Observer.Observer
      const first = yield* readEvents(observer, (frames) => frames.length >= 2)
      expect(first.slice(0, 2).map((frame) => frame.event)).toEqual(["hello", "snapshot"])
      expect(first[0].data).toEqual({ actions: false })
      const snapshot = first[1].data as Snapshot
      expect(snapshot.trees).toHaveLength(1)
      const tree = snapshot.trees[0]
      expect(tree).toMatchObject({
        path: "app",
        label: "node-1",
        strategy: "one_for_one",
        status: "running",
        budget: { used: 0, max: 3, withinMs: 5000 }
      })
      expect(tree.children.map((child) => [child.id, child.type, child.status, child.restarts])).toEqual([
        ["cache", "worker", "running", 0],
        ["rooms", "supervisor", "running", 0]
      ])
      expect(tree.children[1].tree).toMatchObject({ path: "app/rooms", strategy: "dynamic", children: [] })

      // a kill: the page receives the exit, the restart, and a snapshot with the new count
      const subscribed = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        readEvents(
          observer,
          (frames) =>
            frames.some((frame) =>
              frame.event === "snapshot" && (frame.data as Snapshot).trees[0].children[0].restarts === 1
            ),
          () => Deferred.unsafeDone(subscribed, Exit.void)
        )
      )
      yield* Deferred.await(subscribed)
      const killed = yield* childProcess(supervisor, "cache")
      yield* Process.kill(killed)
      const frames = yield* fiber.await.pipe(Effect.flatten)
      const events = frames.filter((frame) => frame.event === "event").map((frame) => frame.data as WireEvent)
      expect(events.map((event) => [event.tag, event.supervisor, event.childId])).toEqual([
        ["ChildExited", "app", "cache"],
        ["ChildRestarted", "app", "cache"]
      ])
      expect(events[0].text).toBe(`app: cache ${killed} exited: killed`)
      expect(events[0].time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/)
      const last = frames.filter((frame) => frame.event === "snapshot").at(-1)!.data as Snapshot
      expect(last.trees[0].children[0]).toMatchObject({ id: "cache", status: "running", restarts: 1, exit: "killed" })
      expect(last.trees[0].budget).toEqual({ used: 1, max: 3, withinMs: 5000 })
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))
})

describe("Observer actions", () => {
  it.scopedLive("are refused, with the reason, when the observer has none", () =>
    Effect.gen(function*() {
      const observer = yield* Observer.Observer
      const supervisor = yield* app
      yield* Observer.watch(supervisor)
      const answer = yield* act(observer, { action: "kill", supervisor: "app", child: "cache" }, "any-token")
      expect(answer.status).toBe(403)
      expect(JSON.parse(answer.body)).toEqual({
        ok: false,
        message:
          "actions are disabled: start the observer with actions: { token } to kill, restart or terminate children"
      })
      expect((yield* Supervisor.whichChildren(supervisor)).find((c) => c.id === "cache")!.restarts).toBe(0)
    }).pipe(Effect.provide(Observer.layer({ port: 0 }))))

  it.scopedLive("need the token; then kill, terminate and restart a child", () =>
    Effect.gen(function*() {
      const observer = yield* Observer.Observer
      const supervisor = yield* app
      yield* Observer.watch(supervisor)
      // wait for the first snapshot: it tells the observer the watched supervisor's path
      yield* readEvents(observer, (frames) => frames.length >= 2)
      const kill = { action: "kill", supervisor: "app", child: "cache" }
      expect(JSON.parse((yield* act(observer, kill)).body).message).toBe(
        "missing token: send the token the observer was started with in the X-Observer-Token header"
      )
      const wrong = yield* act(observer, kill, "not-the-token")
      expect([wrong.status, JSON.parse(wrong.body).message]).toEqual([403, "wrong token"])
      const invalid = yield* act(observer, { action: "explode", supervisor: "app", child: "cache" }, "secret-token")
      expect(invalid.status).toBe(400)
      expect(JSON.parse(invalid.body).message).toContain("explode")
      expect((yield* Supervisor.whichChildren(supervisor)).find((c) => c.id === "cache")!.restarts).toBe(0)

      const before = yield* childProcess(supervisor, "cache")
      const killed = yield* act(observer, { ...kill, pid: before.pid }, "secret-token")
      expect(killed.status).toBe(200)
      expect(JSON.parse(killed.body).message).toBe(`killed app/cache ${before} (killed)`)
      const stale = yield* act(observer, { ...kill, pid: before.pid }, "secret-token")
      expect(stale.status).toBe(404)
      expect(JSON.parse(stale.body).message).toBe(`no child app/cache <${before.pid}>: it has ended or been replaced`)

      const terminated = yield* act(
        observer,
        { action: "terminate", supervisor: "app", child: "cache" },
        "secret-token"
      )
      expect(JSON.parse(terminated.body)).toEqual({ ok: true, message: "terminated app/cache" })
      expect((yield* Supervisor.whichChildren(supervisor)).find((c) => c.id === "cache")!.status).toBe("stopped")
      const restarted = yield* act(observer, { action: "restart", supervisor: "app", child: "cache" }, "secret-token")
      expect(JSON.parse(restarted.body)).toEqual({ ok: true, message: "restarted app/cache" })
      expect((yield* Supervisor.whichChildren(supervisor)).find((c) => c.id === "cache")!.status).toBe("running")

      // a child of the dynamic supervisor under it
      const rooms = (yield* Supervisor.whichChildren(supervisor)).find((c) => c.id === "rooms")!.value
      if (Option.isNone(rooms) || !DynamicSupervisor.isDynamicSupervisor(rooms.value)) throw new Error("no rooms")
      const room = yield* DynamicSupervisor.startChild(
        rooms.value,
        ChildSpec.make({ id: "lobby", start: Effect.never })
      )
      const refused = yield* act(
        observer,
        { action: "restart", supervisor: "app/rooms", child: "lobby" },
        "secret-token"
      )
      expect(refused.status).toBe(409)
      expect(JSON.parse(refused.body).message).toContain("app/rooms is a DynamicSupervisor: it has no restartChild")
      const gone = yield* act(observer, {
        action: "terminate",
        supervisor: "app/rooms",
        child: "lobby",
        pid: room.initial.pid
      }, "secret-token")
      expect(JSON.parse(gone.body)).toEqual({ ok: true, message: "terminated app/rooms/lobby" })
      expect(yield* DynamicSupervisor.countChildren(rooms.value)).toMatchObject({ specs: 0 })
      const unknown = yield* act(observer, { action: "kill", supervisor: "elsewhere", child: "x" }, "secret-token")
      expect([unknown.status, JSON.parse(unknown.body).message]).toEqual([404, `no supervisor "elsewhere" is watched`])
    }).pipe(Effect.provide(Observer.layer({ port: 0, actions: { token: "secret-token" } }))))
})
