/**
 * A dynamic supervisor whose children live anywhere in a cluster of runners
 * (`@effect/cluster`): each child is an entity, on the runner that owns its shard.
 *
 * Start a child by id, kind and arguments; call, cast and terminate it by id wherever
 * it lives; list and count the children of the whole cluster. Each runner restarts its
 * children as the local supervisors do (restart types, the kind's restart policy with
 * intensity and backoff, shutdown deadlines) and gives a child up when its policy is
 * exhausted: callers then get `ChildGaveUp`, and a message that crashes the child is
 * answered with an error, never replayed. When a runner is lost, its permanent and
 * transient children come back on the next owner of their shard, from the stored spec;
 * temporary ones do not. `@effect/cluster`'s shard locks keep each id on one runner at a
 * time.
 *
 * @since 0.1.0
 */
import type { ChildSpec } from "@effect-otp/supervisor"
import type * as Sharding from "@effect/cluster/Sharding"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Stream from "effect/Stream"
import * as ChildStore from "./ChildStore.js"
import type * as ClusterError from "./ClusterError.js"
import * as ClusterEvent from "./ClusterEvent.js"
import type * as ClusterKind from "./ClusterKind.js"
import * as childTree from "./internal/childTree.js"
import * as client from "./internal/client.js"
import * as entity from "./internal/entity.js"

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long an entity with no child (one that ended or was given up) stays in memory (default: the cluster's `entityMaxIdleTime`). */
  readonly maxIdleTime?: Duration.DurationInput | undefined
}

/**
 * Registers the cluster kinds on this runner (every runner must register the same ones)
 * and starts the runner's share of the children. Needs the cluster (`Sharding`, e.g.
 * `TestRunner.layer`, `SingleRunner.layer`, `NodeClusterSocket.layer`) and a
 * `ChildStore`; provides this runner's `ClusterEvents`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Layer, Schema } from "effect"
 * import { TestRunner } from "@effect/cluster"
 * import { ChildKind } from "@effect-otp/supervisor"
 * import { ChildStore, ClusterKind, ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const echo = ClusterKind.make({
 *   kind: ChildKind.make("echo", Schema.Void, () => Effect.succeed("echo")),
 *   request: Schema.String,
 *   reply: Schema.String,
 *   handleCall: (_, text) => Effect.succeed(text)
 * })
 *
 * const Runner = ClusterSupervisor.layer([echo]).pipe(
 *   Layer.provideMerge(ChildStore.layerMemory),
 *   Layer.provideMerge(TestRunner.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <const Kinds extends ReadonlyArray<ClusterKind.Any>>(
  kinds: Kinds,
  options: Options = {}
): Layer.Layer<
  ClusterEvent.ClusterEvents,
  ClusterError.InvalidInput,
  Sharding.Sharding | ChildStore.ChildStore | ClusterKind.Context<Kinds[number]>
> =>
  Layer.unwrapEffect(Effect.map(
    entity.kindsByName(kinds),
    (byName) =>
      entity.layer<ClusterKind.Context<Kinds[number]>>(byName, options).pipe(Layer.provideMerge(ClusterEvent.layer))
  ))

/**
 * What {@link startChild} takes: the child's id (unique in the cluster), its kind's
 * arguments, and the spec fields of `ChildSpec` (`restart`, `shutdown`; the kind's
 * defaults otherwise).
 *
 * @since 0.1.0
 * @category models
 */
export interface StartOptions<Args> {
  readonly id: string
  readonly args: Args
  readonly restart?: ChildSpec.RestartType | undefined
  readonly shutdown?: number | string | undefined
  /** Wait at most this long for the start (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Options of a call.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** Wait at most this long for the answer (default 5 seconds, as GenServer.call). */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Starts a child of `kind` somewhere in the cluster (on the runner owning its id's
 * shard) and waits until it is up. The arguments and spec fields are checked here and
 * again on the runner.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind } from "@effect-otp/supervisor"
 * import { ClusterKind, ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const echo = ClusterKind.make({
 *   kind: ChildKind.make("echo", Schema.Void, () => Effect.succeed("echo")),
 *   request: Schema.String,
 *   reply: Schema.String,
 *   handleCall: (_, text) => Effect.succeed(text)
 * })
 *
 * const program = ClusterSupervisor.startChild(echo, { id: "echo-1", args: undefined, restart: "transient" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const startChild = <K extends ClusterKind.Any>(
  kind: K,
  options: StartOptions<ClusterKind.Args<K>>
): Effect.Effect<void, ClusterError.StartError | ClusterError.CallTimeout, Sharding.Sharding> =>
  client.startChild(kind, options)

/**
 * Calls a child by id, wherever it lives, and waits for its reply (at most the call's
 * timeout). `kind` gives the types and Schemas of the call; a child of another kind
 * answers `UnknownKind`.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind } from "@effect-otp/supervisor"
 * import { ClusterKind, ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const echo = ClusterKind.make({
 *   kind: ChildKind.make("echo", Schema.Void, () => Effect.succeed("echo")),
 *   request: Schema.String,
 *   reply: Schema.String,
 *   handleCall: (_, text) => Effect.succeed(text)
 * })
 *
 * const program = ClusterSupervisor.call(echo, "echo-1", "hello", { timeout: "1 second" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const call = <K extends ClusterKind.Any>(
  kind: K,
  id: string,
  request: ClusterKind.Request<K>,
  options: CallOptions = {}
): Effect.Effect<ClusterKind.Reply<K>, ClusterKind.Error<K> | ClusterError.CallError, Sharding.Sharding> =>
  client.call(kind, id, request, options)

/**
 * Sends a cast to a child by id and returns once the cluster has taken it (the handler
 * runs later, on the child's runner; its failures are not reported to the sender).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ChildKind } from "@effect-otp/supervisor"
 * import { ClusterKind, ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const logger = ClusterKind.make({
 *   kind: ChildKind.make("logger", Schema.Void, () => Effect.succeed("logger")),
 *   request: Schema.Void,
 *   reply: Schema.Void,
 *   cast: Schema.String,
 *   handleCall: () => Effect.void,
 *   handleCast: (_, line) => Effect.log(line)
 * })
 *
 * const program = ClusterSupervisor.cast(logger, "log-1", "hello")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const cast = <K extends ClusterKind.Any>(
  kind: K,
  id: string,
  message: ClusterKind.Cast<K>
): Effect.Effect<void, ClusterError.InvalidInput | ClusterError.Unavailable, Sharding.Sharding> =>
  client.cast(kind, id, message)

/**
 * Stops a child (within its shutdown deadline) and forgets it: it will not come back
 * on any runner. `ChildNotFound` for an unknown id.
 *
 * **Example**
 *
 * ```ts
 * import { ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const program = ClusterSupervisor.terminateChild("room-1")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const terminateChild = (
  id: string,
  options: CallOptions = {}
): Effect.Effect<
  void,
  ClusterError.ChildNotFound | ClusterError.Unavailable | ClusterError.CallTimeout | ClusterError.InvalidInput,
  Sharding.Sharding
> => client.terminateChild(id, options)

/**
 * A child as {@link whichChildren} lists it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildInfo {
  readonly id: string
  readonly kind: string
  readonly restart: ChildSpec.RestartType
  readonly status: "running" | "gave_up"
  /** The runner holding it (`host:port`). */
  readonly runner: string | undefined
}

/**
 * The children of the whole cluster, by id, as the child store has them.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const program = Effect.map(ClusterSupervisor.whichChildren, (children) => children.map((child) => child.id))
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const whichChildren: Effect.Effect<ReadonlyArray<ChildInfo>, ClusterError.Unavailable, ChildStore.ChildStore> =
  Effect.flatMap(
    ChildStore.ChildStore,
    (store) =>
      Effect.map(
        store.list,
        (children) =>
          children.map(({ id, kind, restart, runner, status }): ChildInfo => ({ id, kind, restart, runner, status }))
      )
  )

/**
 * Counts the children of the cluster: `specs` all of them, `active` those not given up.
 *
 * **Example**
 *
 * ```ts
 * import { ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const program = ClusterSupervisor.countChildren
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const countChildren: Effect.Effect<
  { readonly specs: number; readonly active: number },
  ClusterError.Unavailable,
  ChildStore.ChildStore
> = Effect.map(whichChildren, (children) => ({
  specs: children.length,
  active: children.filter((child) => child.status === "running").length
}))

/**
 * The children of the cluster grouped by runner, as text for people:
 *
 * ```text
 * cluster
 * ├─ 127.0.0.1:34431
 * │  └─ room-1 (room, permanent) running
 * └─ 127.0.0.1:34432
 *    └─ room-2 (room, transient) gave up
 * ```
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const program = Effect.flatMap(ClusterSupervisor.whichChildren, (children) =>
 *   Effect.log(ClusterSupervisor.render(children)))
 * ```
 *
 * @since 0.1.0
 * @category observability
 */
export const render = (children: ReadonlyArray<ChildInfo>): string => childTree.render(children)

/**
 * This runner's events (children it starts, restarts, gives up, stops), from the time of
 * subscription.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { ClusterEvent, ClusterSupervisor } from "@effect-otp/cluster"
 *
 * const program = Effect.flatMap(ClusterSupervisor.events, (events) =>
 *   events.pipe(Stream.runForEach((event) => Effect.log(ClusterEvent.format(event))), Effect.forkScoped))
 * ```
 *
 * @since 0.1.0
 * @category observability
 */
export const events: Effect.Effect<Stream.Stream<ClusterEvent.ClusterEvent>, never, ClusterEvent.ClusterEvents> = Effect
  .map(ClusterEvent.ClusterEvents, (service) => service.stream)
