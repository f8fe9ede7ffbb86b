/**
 * The observer's HTTP server: the page, its event stream, its actions; nothing else.
 *
 * @internal
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as PubSub from "effect/PubSub"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createHash, timingSafeEqual } from "node:crypto"
import * as Http from "node:http"
import type * as Observer from "../Observer.js"
import * as ObserverError from "../ObserverError.js"
import { ActionRequest, perform } from "./actions.js"
import { frame, type State } from "./model.js"
import { page } from "./page.js"

export interface Shared {
  readonly state: State
  readonly frames: PubSub.PubSub<string>
  /** Completed when the observer closes: every open event stream ends. */
  readonly closing: Deferred.Deferred<void>
  readonly token: Option.Option<string>
  /** `Host` headers accepted (none: any). */
  readonly hosts: Option.Option<ReadonlySet<string>>
}

const digest = (text: string) => createHash("sha256").update(text).digest()

const tokenMatches = (expected: string, given: string): boolean => timingSafeEqual(digest(expected), digest(given))

const refuse = (status: number, message: string) =>
  HttpServerResponse.unsafeJson({ ok: false, message }, { status, headers: { "cache-control": "no-store" } })

const encoder = new TextEncoder()

/** The event stream of one page: hello, a snapshot, the recent events, then what happens. */
const events = (shared: Shared): Stream.Stream<Uint8Array> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    // subscribe first: nothing published while the snapshot is built is lost
    const subscription = yield* PubSub.subscribe(shared.frames)
    const now = yield* Clock.currentTimeMillis
    const trees = yield* shared.state.snapshot(now)
    const first = [
      frame("hello", { actions: Option.isSome(shared.token) }),
      frame("snapshot", { at: now, trees }),
      ...(shared.state.recent.length > 0 ? [frame("events", shared.state.recent)] : [])
    ]
    const keepAlive = Stream.map(Stream.fromSchedule(Schedule.spaced("15 seconds")), () => ": keep-alive\n\n")
    return Stream.fromIterable(first).pipe(
      Stream.concat(Stream.merge(Stream.fromQueue(subscription), keepAlive)),
      Stream.interruptWhen(Deferred.await(shared.closing)),
      Stream.map((text) => encoder.encode(text))
    )
  }))

const action = (shared: Shared) =>
  Effect.gen(function*() {
    if (Option.isNone(shared.token)) {
      return refuse(
        403,
        "actions are disabled: start the observer with actions: { token } to kill, restart or terminate children"
      )
    }
    const request = yield* HttpServerRequest.HttpServerRequest
    const given = request.headers["x-observer-token"]
    if (given === undefined || given.length === 0) {
      return refuse(403, "missing token: send the token the observer was started with in the X-Observer-Token header")
    }
    if (!tokenMatches(shared.token.value, given)) return refuse(403, "wrong token")
    const body = yield* Effect.either(
      HttpServerRequest.schemaBodyJson(ActionRequest, { onExcessProperty: "error" })
    )
    if (body._tag === "Left") {
      const error = body.left
      return refuse(
        400,
        ParseResult.isParseError(error)
          ? `invalid action: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
          : "invalid action: the body is not JSON"
      )
    }
    const result = yield* perform(shared.state, body.right)
    return HttpServerResponse.unsafeJson({ ok: result.status === 200, message: result.message }, {
      status: result.status,
      headers: { "cache-control": "no-store" }
    })
  })

/** Requests for another host name (DNS rebinding) are refused when the observer listens on loopback only. */
const checkHost = (shared: Shared) => <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    if (Option.isNone(shared.hosts)) return app
    const host = request.headers["host"]
    return host !== undefined && shared.hosts.value.has(host.toLowerCase())
      ? app
      : Effect.succeed(refuse(403, `unexpected Host header ${JSON.stringify(host ?? "")}`))
  })

const app = (shared: Shared) =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      "/",
      Effect.succeed(
        HttpServerResponse.html(page).pipe(
          HttpServerResponse.setHeaders({
            "cache-control": "no-store",
            "content-security-policy":
              "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer"
          })
        )
      )
    ),
    HttpRouter.get(
      "/events",
      Effect.succeed(
        HttpServerResponse.stream(events(shared), {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-store", "x-accel-buffering": "no" }
        })
      )
    ),
    HttpRouter.post("/action", action(shared)),
    checkHost(shared)
  )

const loopback = new Set(["127.0.0.1", "localhost", "::1"])

/** A listening observer server. */
export interface Listening {
  readonly address: { readonly host: string; readonly port: number }
  readonly url: string
  /** Ends every open connection (the server's own finalizer waits for them). */
  readonly closeAllConnections: Effect.Effect<void>
}

/**
 * Serves the page, its event stream and its actions on `options.host` and `options.port`
 * until the scope closes. Requests for another host name are refused when it listens on
 * loopback only.
 */
export const listen = (
  options: Schema.Schema.Type<typeof Observer.OptionsSchema>,
  shared: Pick<Shared, "state" | "frames" | "closing">
): Effect.Effect<Listening, ObserverError.ServeFailed, Scope.Scope> =>
  Effect.gen(function*() {
    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { host: options.host, port: options.port }).pipe(
      Effect.mapError((error) =>
        new ObserverError.ServeFailed({ host: options.host, port: options.port, cause: error.cause })
      )
    )
    const address = server.address._tag === "TcpAddress"
      ? { host: server.address.hostname, port: server.address.port }
      : { host: options.host, port: options.port }
    const urlHost = address.host.includes(":") ? `[${address.host}]` : address.host
    const hosts = loopback.has(options.host)
      ? Option.some(new Set([`${urlHost}:${address.port}`, `localhost:${address.port}`, `127.0.0.1:${address.port}`]))
      : Option.none()
    const token = Option.map(
      Option.fromNullable(options.actions),
      ({ token }) => typeof token === "string" ? token : Redacted.value(token)
    )
    yield* HttpServer.serve(app({ ...shared, token, hosts })).pipe(
      Layer.buildWithScope(yield* Effect.scope),
      Effect.provideService(HttpServer.HttpServer, server)
    )
    return {
      address,
      url: `http://${urlHost}:${address.port}/`,
      closeAllConnections: Effect.sync(() => nodeServer.closeAllConnections())
    }
  })
