/**
 * A dynamic supervisor whose children live anywhere in a cluster of runners.
 *
 * @since 0.1.0
 */
export * as ClusterSupervisor from "./ClusterSupervisor.js"

/**
 * Cluster kinds: a child kind with the Schemas and handlers of its messages.
 *
 * @since 0.1.0
 */
export * as ClusterKind from "./ClusterKind.js"

/**
 * The typed errors of cluster children.
 *
 * @since 0.1.0
 */
export * as ClusterError from "./ClusterError.js"

/**
 * Typed events, logs and metrics of cluster children.
 *
 * @since 0.1.0
 */
export * as ClusterEvent from "./ClusterEvent.js"

/**
 * Where the specs of cluster children are kept.
 *
 * @since 0.1.0
 */
export * as ChildStore from "./ChildStore.js"

/**
 * The children of the cluster, by runner, on `@effect-otp/observer`'s page.
 *
 * @since 0.3.0
 */
export * as ClusterObserver from "./ClusterObserver.js"
