/**
 * The children of the cluster on `@effect-otp/observer`'s page: which runner holds which
 * child, live. {@link source} gives what `Observer.watch` takes (an `ObserverSource.Source`
 * of the observer package: plain data and Streams, so this package does not depend on the
 * observer): the children grouped by runner, each naming its runner, read from the
 * `ChildStore` when this runner's children change and at least every `every` (a child that
 * another runner took over shows under it within that time); and the events of this
 * runner's children.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ClusterObserver } from "@effect-otp/cluster"
 * import { Observer } from "@effect-otp/observer"
 *
 * // on a runner (ClusterSupervisor.layer provided), or on any process that has the ChildStore
 * const program = Effect.gen(function*() {
 *   yield* Observer.watch(yield* ClusterObserver.source({ name: "rooms", every: "1 second" }))
 *   yield* Effect.never
 * }).pipe(Effect.scoped, Effect.provide(Observer.layer()))
 * ```
 *
 * @since 0.3.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as ChildStore from "./ChildStore.js"
import * as ClusterError from "./ClusterError.js"
import * as ClusterEvent from "./ClusterEvent.js"
import * as ClusterSupervisor from "./ClusterSupervisor.js"

/**
 * A cluster child as the observer's page shows it (the shape of the observer's
 * `ObserverSource.Row`): a child given up is `stopped`, with the reason as its `exit`.
 *
 * @since 0.3.0
 * @category models
 */
export interface Row {
  readonly id: string
  readonly kind: string
  readonly status: "running" | "stopped"
  /** The runner holding the child (`host:port`); absent when the store does not know it. */
  readonly location?: string | undefined
  readonly exit?: string | undefined
}

/**
 * A cluster child's event for the page's list (the shape of the observer's
 * `ObserverSource.Event`).
 *
 * @since 0.3.0
 * @category models
 */
export interface Event {
  readonly tag: ClusterEvent.ClusterEvent["_tag"]
  readonly text: string
  readonly childId: string
  readonly location: string
}

/**
 * The cluster as an `ObserverSource.Source` of `@effect-otp/observer`: give it to
 * `Observer.watch`.
 *
 * @since 0.3.0
 * @category models
 */
export interface Source {
  readonly name: string
  readonly kind: "cluster"
  readonly locationKind: "runner"
  readonly snapshots: Stream.Stream<ReadonlyArray<Row>>
  readonly events: Stream.Stream<Event>
}

/**
 * Options of {@link source}: the `name` of the source's row (default `"cluster"`), and
 * how often the children are read from the `ChildStore` at least (`every`, default 500
 * milliseconds): a child another runner took over (or started, or stopped) shows on the
 * page within that time. This runner's own children are read again as soon as one of
 * them changes.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  readonly name?: string | undefined
  readonly every?: Duration.DurationInput | undefined
}

/**
 * The children as rows of the page, in the order given (`whichChildren`'s: by id).
 *
 * **Example**
 *
 * ```ts
 * import { ClusterObserver } from "@effect-otp/cluster"
 *
 * ClusterObserver.rows([
 *   { id: "room-1", kind: "room", restart: "permanent", status: "running", runner: "10.0.0.1:34431" },
 *   { id: "room-2", kind: "room", restart: "transient", status: "gave_up", runner: "10.0.0.2:34431" }
 * ])
 * // [
 * //   { id: "room-1", kind: "room", status: "running", location: "10.0.0.1:34431" },
 * //   { id: "room-2", kind: "room", status: "stopped", location: "10.0.0.2:34431", exit: "gave up: too many restarts" }
 * // ]
 * ```
 *
 * @since 0.3.0
 * @category conversions
 */
export const rows = (children: ReadonlyArray<ClusterSupervisor.ChildInfo>): ReadonlyArray<Row> =>
  children.map((child): Row => {
    const where = child.runner === undefined ? {} : { location: child.runner }
    return child.status === "running"
      ? { id: child.id, kind: child.kind, status: "running", ...where }
      : { id: child.id, kind: child.kind, status: "stopped", ...where, exit: "gave up: too many restarts" }
  })

/** Two snapshots with the same rows: the page gets nothing new. */
const sameRows = (a: ReadonlyArray<Row>, b: ReadonlyArray<Row>): boolean =>
  a.length === b.length &&
  a.every((row, i) => {
    const other = b[i]
    return row.id === other.id && row.kind === other.kind && row.status === other.status &&
      row.location === other.location && row.exit === other.exit
  })

/**
 * The cluster's children for `Observer.watch`: the first snapshot at once, then again
 * when one of this runner's children changes (when the `ClusterEvents` of
 * `ClusterSupervisor.layer` are provided) and at least every `every`; a snapshot equal to
 * the previous one is not sent. A store that cannot be read is logged once (a warning)
 * until it can again, and the page keeps the last children it showed. The events are this
 * runner's: the other runners' children change on the page, their events are in their own
 * logs. Fails with `InvalidInput` for a wrong `name` or `every`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { TestRunner } from "@effect/cluster"
 * import { ChildStore, ClusterObserver, ClusterSupervisor } from "@effect-otp/cluster"
 * import { Observer } from "@effect-otp/observer"
 *
 * const Runner = ClusterSupervisor.layer([]).pipe(
 *   Layer.provideMerge(ChildStore.layerMemory),
 *   Layer.provideMerge(TestRunner.layer)
 * )
 *
 * const program = Effect.gen(function*() {
 *   const cluster = yield* ClusterObserver.source()
 *   yield* Observer.watch(cluster, { label: "read from the child store" })
 * }).pipe(Effect.scoped, Effect.provide(Observer.layer({ port: 0 })), Effect.provide(Runner))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const source = (
  options: Options = {}
): Effect.Effect<Source, ClusterError.InvalidInput, ChildStore.ChildStore> =>
  Effect.gen(function*() {
    const name = options.name ?? "cluster"
    if (typeof name !== "string" || name.trim() === "") {
      return yield* new ClusterError.InvalidInput({
        id: "*",
        field: "name",
        issue: `expected a non-empty string, got ${JSON.stringify(name)}`
      })
    }
    const every = Duration.decodeUnknown(options.every ?? Duration.millis(500))
    if (Option.isNone(every) || !Duration.greaterThan(every.value, Duration.zero)) {
      return yield* new ClusterError.InvalidInput({
        id: "*",
        field: "every",
        issue: `expected a duration above zero, got ${String(options.every)}`
      })
    }
    const store = yield* ChildStore.ChildStore
    const local = Option.map(yield* Effect.serviceOption(ClusterEvent.ClusterEvents), (events) => events.stream)
    const localEvents = Option.getOrElse(local, () => Stream.never)
    // a store that cannot be read is told once, until it can again (per run of the stream)
    const read = (failing: { value: boolean }) =>
      ClusterSupervisor.whichChildren.pipe(
        Effect.provideService(ChildStore.ChildStore, store),
        Effect.tap(() =>
          Effect.suspend(() => {
            if (!failing.value) return Effect.void
            failing.value = false
            return Effect.logInfo("cluster observer: the child store can be read again")
          })
        ),
        Effect.map((children) => Option.some(rows(children))),
        Effect.catchAll((error) =>
          Effect.suspend(() => {
            if (failing.value) return Effect.succeedNone
            failing.value = true
            return Effect.as(
              Effect.logWarning(`cluster observer: cannot read the child store: ${error.cause}`),
              Option.none()
            )
          })
        )
      )
    const snapshots = Stream.suspend(() => {
      const failing = { value: false }
      return Stream.make(undefined).pipe(
        Stream.concat(Stream.merge(Stream.fromSchedule(Schedule.spaced(every.value)), localEvents)),
        // changes that come while the store is read make one more read, not one each
        Stream.buffer({ capacity: 1, strategy: "sliding" }),
        Stream.mapEffect(() => read(failing)),
        Stream.filterMap((rows) => rows),
        Stream.changesWith(sameRows)
      )
    })
    const events = Stream.map(localEvents, (event): Event => ({
      tag: event._tag,
      text: ClusterEvent.format(event),
      childId: event.id,
      location: event.runner
    }))
    return { name, kind: "cluster", locationKind: "runner", snapshots, events } satisfies Source
  })
