/**
 * Children that are not under a local supervisor, on the observer's page: the children of
 * a cluster (`@effect-otp/cluster`'s `ClusterObserver.source`), the workers of a pool on
 * other machines. A source is plain data and Effect `Stream`s, so a package can offer one
 * without depending on the observer: give it to `Observer.watch`.
 *
 * The page shows a source as a tree in the style of a supervisor's: a row with the
 * source's name, then its children grouped by `location` (e.g. the runner holding them),
 * one row per location that folds like a supervisor's, and each child's row naming its
 * location. Each element of `snapshots` is every child of the source at that moment: the
 * page shows the latest one (a child that moved shows under its new location at the next
 * snapshot the observer sends, at least 50 ms later).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Stream, SubscriptionRef } from "effect"
 * import { Observer, type ObserverSource } from "@effect-otp/observer"
 *
 * const program = Effect.gen(function*() {
 *   const workers = yield* SubscriptionRef.make<ReadonlyArray<ObserverSource.Row>>([
 *     { id: "resize-1", kind: "resizer", status: "running", location: "gpu-1" }
 *   ])
 *   const source: ObserverSource.Source = { name: "pool", kind: "pool", snapshots: workers.changes }
 *   yield* Observer.watch(source)
 *   // a worker moves: the page shows it under gpu-2
 *   yield* SubscriptionRef.set(workers, [{ id: "resize-1", kind: "resizer", status: "running", location: "gpu-2" }])
 * }).pipe(Effect.scoped, Effect.provide(Observer.layer({ port: 0 })))
 * ```
 *
 * @since 0.3.0
 */
import * as Predicate from "effect/Predicate"
import * as Stream from "effect/Stream"

/**
 * A child of a source, as its row shows it:
 * - `status`: `running`, `restarting` or `stopped` (counted in the page's header with the
 *   local children);
 * - `location`: where it runs (a runner's `host:port`, a machine); the page groups the
 *   children by it, and shows it on the child's row; absent, the child is shown under the
 *   source's own row;
 * - `restarts`, `exit`: its restart count and last exit reason (or why it stopped), when
 *   the source knows them.
 *
 * @since 0.3.0
 * @category models
 */
export interface Row {
  readonly id: string
  readonly kind: string
  readonly status: "running" | "restarting" | "stopped"
  readonly location?: string | undefined
  readonly restarts?: number | undefined
  readonly exit?: string | undefined
}

/**
 * An event of a source, for the page's list of events: `tag` (e.g. `ChildStarted`), one
 * line of `text`, and the child and location it is about. The list's selector keeps the
 * events of the source (its `name`) or of one of its locations.
 *
 * @since 0.3.0
 * @category models
 */
export interface Event {
  readonly tag: string
  readonly text: string
  readonly childId?: string | undefined
  readonly location?: string | undefined
}

/**
 * What `Observer.watch` takes besides supervisors:
 * - `name`: the name of the source's row (unique among what is watched, as a
 *   supervisor's path);
 * - `kind`: shown in its row's kind column (default `"source"`), and `locationKind` in the
 *   rows of its locations (default `"location"`; `"runner"` for a cluster);
 * - `snapshots`: each element every child of the source, now; when it ends (or fails),
 *   the source's row shows `stopped` with the last children it gave;
 * - `events`: what happens to the children, if the source can tell.
 *
 * The streams run while the source is watched, and are interrupted when the scope of the
 * `watch` closes.
 *
 * @since 0.3.0
 * @category models
 */
export interface Source {
  readonly name: string
  readonly kind?: string | undefined
  readonly locationKind?: string | undefined
  readonly snapshots: Stream.Stream<ReadonlyArray<Row>, unknown>
  readonly events?: Stream.Stream<Event, unknown> | undefined
}

/**
 * Whether a value is a {@link Source}: an object with a string `name` and a `Stream` of
 * `snapshots`.
 *
 * **Example**
 *
 * ```ts
 * import { Stream } from "effect"
 * import { ObserverSource } from "@effect-otp/observer"
 *
 * ObserverSource.isSource({ name: "pool", snapshots: Stream.make([]) }) // true
 * ObserverSource.isSource({ name: "pool" }) // false
 * ```
 *
 * @since 0.3.0
 * @category guards
 */
export const isSource = (value: unknown): value is Source =>
  Predicate.isObject(value) && Predicate.hasProperty(value, "name") && typeof value.name === "string" &&
  Predicate.hasProperty(value, "snapshots") && Predicate.isObject(value.snapshots) &&
  Stream.StreamTypeId in value.snapshots
