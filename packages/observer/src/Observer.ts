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
import type * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import type * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { State } from "./internal/model.js"
import { listen } from "./internal/server.js"
import { publishSnapshots } from "./internal/snapshots.js"
import { makeWatch } from "./internal/watch.js"
import * as ObserverError from "./ObserverError.js"
import type * as ObserverSource from "./ObserverSource.js"

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
    const server = yield* listen(decoded, { state, frames, closing })
    yield* Effect.forkScoped(publishSnapshots(state, frames, dirty))
    // runs before the server's own finalizer: the pages' streams end, so that it can close
    yield* Effect.addFinalizer(() => Effect.zipRight(Deferred.succeed(closing, undefined), server.closeAllConnections))
    return Observer.of({ address: server.address, url: server.url, watch: makeWatch(state, frames, dirty) })
  })

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
