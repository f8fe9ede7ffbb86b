/**
 * The live supervision tree in a browser: an HTTP server (127.0.0.1 by default) that
 * serves one self-contained page and a stream of server-sent events. The page shows the
 * supervisors you {@link watch}, their children (status, kind, restarts, uptime, last exit
 * reason), the restart-intensity budget each supervisor has used, and the events as they
 * happen; and the sources you watch (`ObserverSource`: a cluster's children, by the runner
 * holding them). Actions (kill, restart, terminate a child) are off unless the observer is
 * started with a token.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Supervisor } from "@effect-otp/supervisor"
 * import { Observer } from "@effect-otp/observer"
 *
 * const program = Effect.gen(function*() {
 *   const app = yield* Supervisor.start({
 *     name: "app",
 *     children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 *   })
 *   yield* Observer.watch(app)
 *   const observer = yield* Observer.Observer
 *   yield* Effect.log(`observer at ${observer.url}`)
 *   yield* Effect.never
 * }).pipe(Effect.scoped, Effect.provide(Observer.layer({ port: 9700 })))
 * ```
 *
 * @since 0.1.0
 */
import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import { defaultIntensity, frame, type Handle, type Intensity, State } from "./internal/model.js"
import { app } from "./internal/server.js"
import { checkSource } from "./internal/source.js"
import { watchSource } from "./internal/watchSource.js"
import * as ObserverError from "./ObserverError.js"
import * as ObserverSource from "./ObserverSource.js"

/**
 * A running observer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Observer {
  /** The address the server is bound to (the real port when started with `port: 0`). */
  readonly address: { readonly host: string; readonly port: number }
  /** The page's address, e.g. `http://127.0.0.1:9700/`. */
  readonly url: string
  /** Shows a supervisor (and everything under it), or a source, until the scope closes. */
  readonly watch: (
    supervisor: Watchable,
    options?: WatchOptions
  ) => Effect.Effect<void, ObserverError.InvalidOptions, Scope.Scope>
}

/**
 * The running observer, as a service.
 *
 * @since 0.1.0
 * @category tags
 */
export const Observer: Context.Tag<Observer, Observer> = Context.GenericTag<Observer>("@effect-otp/observer/Observer")

/**
 * What the observer can show: a running `Supervisor` or `DynamicSupervisor`, or (since
 * 0.3.0) an `ObserverSource.Source`, such as the children of a cluster.
 *
 * @since 0.1.0
 * @category models
 */
export type Watchable =
  | Supervisor.Supervisor
  | DynamicSupervisor.DynamicSupervisor<unknown>
  | ObserverSource.Source

/**
 * The restart intensity the page measures a supervisor's budget against. A running
 * supervisor does not expose its restart policy, so the observer is told it: by default
 * OTP's and the library's default, 3 restarts in 5 seconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface IntensityOptions {
  readonly maxRestarts: number
  readonly within: Duration.DurationInput
}

/**
 * How to show a watched supervisor. `intensity` is the restart intensity of the watched
 * supervisor, or a function of each supervisor's path (the watched one and those under
 * it) for trees whose supervisors have different policies (not used for a source). `label`
 * is shown beside its name.
 *
 * @since 0.1.0
 * @category models
 */
export interface WatchOptions {
  readonly intensity?: IntensityOptions | ((path: string) => IntensityOptions | undefined) | undefined
  /** Shown beside the supervisor's name: where it runs, e.g. a host or a cluster runner. */
  readonly label?: string | undefined
}

/**
 * The observer's options, checked when it starts (unknown keys are refused):
 * - `host`: the address to listen on (default `"127.0.0.1"`: this machine only);
 * - `port`: default 9700; `0` picks a free port (read it from {@link Observer} `address`);
 * - `actions`: `{ token }` enables kill / restart / terminate from the page, each request
 *   carrying the token (at least 8 characters); absent, actions are refused;
 * - `eventLog`: how many recent events a page receives when it opens (default 1000).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly actions?: { readonly token: string | Redacted.Redacted<string> } | undefined
  readonly eventLog?: number | undefined
}

/**
 * The Schema that checks {@link Options}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionsSchema = Schema.Struct({
  host: Schema.optionalWith(Schema.NonEmptyTrimmedString, { default: () => "127.0.0.1" }),
  port: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 65535)), { default: () => 9700 }),
  actions: Schema.optional(Schema.Struct({
    token: Schema.Union(Schema.String, Schema.RedactedFromSelf(Schema.String)).pipe(
      Schema.filter((token) => (typeof token === "string" ? token : Redacted.value(token)).length >= 8, {
        message: () => "a token of at least 8 characters"
      })
    )
  })),
  eventLog: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 100_000)), { default: () => 1000 })
})

/**
 * The options from configuration: `OBSERVER_HOST`, `OBSERVER_PORT`, `OBSERVER_TOKEN`
 * (actions are enabled when it is set) with Effect's default `ConfigProvider`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  host: Config.withDefault(Config.string("HOST"), "127.0.0.1"),
  port: Config.withDefault(Config.integer("PORT"), 9700),
  token: Config.option(Config.redacted("TOKEN"))
}).pipe(
  Config.map(({ host, port, token }): Options => ({
    host,
    port,
    actions: Option.match(token, { onNone: () => undefined, onSome: (token) => ({ token }) })
  })),
  Config.nested("OBSERVER")
)

const decodeOptions = (options: unknown) =>
  Effect.mapError(
    Schema.decodeUnknown(OptionsSchema, { onExcessProperty: "error" })(options),
    (error) =>
      new ObserverError.InvalidOptions({
        message: `invalid observer options: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
      })
  )

const decodeIntensity = (options: unknown): Option.Option<Intensity> => {
  if (typeof options !== "object" || options === null) return Option.none()
  const maxRestarts = "maxRestarts" in options ? options.maxRestarts : undefined
  const within = Duration.decodeUnknown("within" in options ? options.within : undefined)
  return typeof maxRestarts === "number" && Number.isInteger(maxRestarts) && maxRestarts >= 0 && Option.isSome(within)
    ? Option.some({ maxRestarts, withinMillis: Duration.toMillis(within.value) })
    : Option.none()
}

const showValue = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const loopback = new Set(["127.0.0.1", "localhost", "::1"])

/**
 * Starts the observer in the current scope: the server listens until the scope closes,
 * then every open page's stream ends and the server stops.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
 * import { Observer } from "@effect-otp/observer"
 *
 * const program = Effect.gen(function*() {
 *   const sessions = yield* DynamicSupervisor.start({ name: "sessions" })
 *   // port 0: any free port; actions enabled for drills
 *   const observer = yield* Observer.make({ port: 0, actions: { token: "drill-token-42" } })
 *   yield* observer.watch(sessions)
 *   return observer.address.port
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Observer, ObserverError.InvalidOptions | ObserverError.ServeFailed, Scope.Scope> =>
  Effect.gen(function*() {
    const decoded = yield* decodeOptions(options)
    const state = new State(decoded.eventLog)
    const frames = yield* Effect.acquireRelease(PubSub.sliding<string>(4096), PubSub.shutdown)
    const closing = yield* Deferred.make<void>()
    const dirty = yield* Queue.sliding<void>(1)
    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { host: decoded.host, port: decoded.port }).pipe(
      Effect.mapError((error) =>
        new ObserverError.ServeFailed({ host: decoded.host, port: decoded.port, cause: error.cause })
      )
    )
    const address = server.address._tag === "TcpAddress"
      ? { host: server.address.hostname, port: server.address.port }
      : { host: decoded.host, port: decoded.port }
    const urlHost = address.host.includes(":") ? `[${address.host}]` : address.host
    const hosts = loopback.has(decoded.host)
      ? Option.some(new Set([`${urlHost}:${address.port}`, `localhost:${address.port}`, `127.0.0.1:${address.port}`]))
      : Option.none()
    const token = Option.map(
      Option.fromNullable(decoded.actions),
      ({ token }) => typeof token === "string" ? token : Redacted.value(token)
    )
    yield* HttpServer.serve(app({ state, frames, closing, token, hosts })).pipe(
      Layer.buildWithScope(yield* Effect.scope),
      Effect.provideService(HttpServer.HttpServer, server)
    )
    // snapshots after something changed, 50 ms apart at least; further apart for large trees (the
    // server never busy more than a third of the time, a page of 10,000 children not parsing more
    // than twice a second): the events patch the page's rows in between
    yield* Effect.forkScoped(Effect.iterate(50, {
      while: () => true,
      body: (pause) =>
        Effect.gen(function*() {
          yield* Queue.take(dirty)
          yield* Effect.sleep(Duration.millis(pause))
          // what changed while waiting is in this snapshot too
          yield* Queue.takeAll(dirty)
          const now = yield* Clock.currentTimeMillis
          const trees = yield* state.snapshot(now)
          yield* PubSub.publish(frames, frame("snapshot", { at: now, trees }))
          const took = (yield* Clock.currentTimeMillis) - now
          return Math.min(2000, Math.max(50, 2 * took, state.size / 20))
        })
    }))
    // runs before the server's own finalizer: the pages' streams end, so that it can close
    yield* Effect.addFinalizer(() =>
      Effect.zipRight(Deferred.succeed(closing, undefined), Effect.sync(() => nodeServer.closeAllConnections()))
    )
    const watch = (
      supervisor: Watchable,
      options: WatchOptions = {}
    ): Effect.Effect<void, ObserverError.InvalidOptions, Scope.Scope> =>
      Effect.gen(function*() {
        const given = options.intensity
        if (options.label !== undefined && typeof options.label !== "string") {
          return yield* new ObserverError.InvalidOptions({
            message: `label: expected a string, got ${showValue(options.label)}`
          })
        }
        if (typeof supervisor === "object" && supervisor !== null && "snapshots" in supervisor) {
          const issue = checkSource(supervisor)
          if (issue !== undefined || !ObserverSource.isSource(supervisor)) {
            return yield* new ObserverError.InvalidOptions({ message: `watch: the source's ${issue}` })
          }
          return yield* watchSource(state, frames, dirty, supervisor, options.label ?? null)
        }
        if (!Supervisor.isSupervisor(supervisor) && !DynamicSupervisor.isDynamicSupervisor(supervisor)) {
          return yield* new ObserverError.InvalidOptions({
            message: `watch: expected a running Supervisor or DynamicSupervisor, or an ObserverSource.Source, got ${
              showValue(supervisor)
            }`
          })
        }
        if (given !== undefined && typeof given !== "function" && Option.isNone(decodeIntensity(given))) {
          return yield* new ObserverError.InvalidOptions({
            message: `intensity: expected { maxRestarts: a whole number >= 0, within: a duration }, got ${
              showValue(given)
            }`
          })
        }
        // a function's answer that is no intensity falls back to the default
        const intensity = (path: string): Intensity =>
          Option.getOrElse(
            decodeIntensity(typeof given === "function" ? given(path) : given),
            () => defaultIntensity
          )
        const handle: Handle = supervisor
        const id = yield* Effect.acquireRelease(
          Effect.sync(() => state.watch(handle, intensity, options.label ?? null)),
          (id) => Effect.zipRight(Effect.sync(() => state.unwatch(id)), Queue.offer(dirty, undefined))
        )
        yield* Effect.forkScoped(
          supervisorEvents(supervisor).pipe(
            Stream.runForEach((event) =>
              Effect.flatMap(Clock.currentTimeMillis, (now) =>
                Effect.zipRight(
                  PubSub.publish(frames, frame("event", state.record(event, now))),
                  Queue.offer(dirty, undefined)
                ))
            )
          )
        )
        yield* Queue.offer(dirty, undefined)
        return id
      }).pipe(Effect.asVoid)
    return Observer.of({ address, url: `http://${urlHost}:${address.port}/`, watch })
  })

const supervisorEvents = (supervisor: Supervisor.Supervisor | DynamicSupervisor.DynamicSupervisor<unknown>) =>
  Supervisor.isSupervisor(supervisor)
    ? Supervisor.events(supervisor, { subtree: true })
    : DynamicSupervisor.events(supervisor, { subtree: true })

/**
 * The observer as a layer: starts with the layer, stops when it is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Observer, ObserverError.InvalidOptions | ObserverError.ServeFailed> =>
  Layer.scoped(Observer, make(options))

/**
 * The observer as a layer, its options read from configuration (see {@link config}).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Observer } from "@effect-otp/observer"
 *
 * // OBSERVER_PORT=9800 OBSERVER_TOKEN=... node app.js
 * const program = Effect.flatMap(Observer.Observer, (observer) => Effect.log(observer.url)).pipe(
 *   Effect.provide(Observer.layerConfig())
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config<Options> = config
): Layer.Layer<Observer, ObserverError.InvalidOptions | ObserverError.ServeFailed | ConfigError.ConfigError> =>
  Layer.scoped(Observer, Effect.flatMap(options, make))

/**
 * Shows a supervisor on the observer's page (with every supervisor under it) until the
 * current scope closes. Since 0.3.0 it also takes an `ObserverSource.Source`, children that
 * no local supervisor holds, such as a cluster's (`ClusterObserver.source()` of
 * `@effect-otp/cluster`): shown grouped by location, with `label`; `intensity` does not
 * apply to them. A source is checked here (`InvalidOptions` naming the field).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildSpec, Restart, Supervisor } from "@effect-otp/supervisor"
 * import { Observer } from "@effect-otp/observer"
 *
 * const program = Effect.gen(function*() {
 *   const app = yield* Supervisor.start({
 *     name: "app",
 *     restartPolicy: Restart.intensity(10, "1 minute"),
 *     children: [ChildSpec.make({ id: "worker", start: Effect.never })]
 *   })
 *   // the budget is measured against the policy the supervisor was given
 *   yield* Observer.watch(app, { intensity: { maxRestarts: 10, within: "1 minute" }, label: "web-1" })
 * }).pipe(Effect.scoped, Effect.provide(Observer.layer({ port: 0 })))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const watch = (
  supervisor: Watchable,
  options?: WatchOptions
): Effect.Effect<void, ObserverError.InvalidOptions, Observer | Scope.Scope> =>
  Effect.flatMap(Observer, (observer) => observer.watch(supervisor, options))
