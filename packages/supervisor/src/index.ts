/**
 * Why a process ended, classified as OTP classifies exit reasons.
 *
 * @since 0.1.0
 */
export * as ExitReason from "./ExitReason.js"

/**
 * Processes: fibers with an identity, an exit reason and a way to be started by a
 * supervisor.
 *
 * @since 0.1.0
 */
export * as Process from "./Process.js"

/**
 * Child specifications: how a supervisor starts, restarts and stops one child.
 *
 * @since 0.1.0
 */
export * as ChildSpec from "./ChildSpec.js"

/**
 * Child kinds: supervision trees as data, decoded from JSON or `Config` into specs.
 *
 * @since 0.1.0
 */
export * as ChildKind from "./ChildKind.js"

/**
 * Restart policies as `Schedule`s.
 *
 * @since 0.1.0
 */
export * as Restart from "./Restart.js"

/**
 * Supervisors: ordered start, strategies, restart policies, ordered shutdown.
 *
 * @since 0.1.0
 */
export * as Supervisor from "./Supervisor.js"

/**
 * The typed errors of supervisors.
 *
 * @since 0.1.0
 */
export * as SupervisorError from "./SupervisorError.js"

/**
 * GenServer: a process with a state and a mailbox, answering typed requests one at a
 * time (OTP's `gen_server`).
 *
 * @since 0.1.0
 */
export * as GenServer from "./GenServer.js"

/**
 * The client side of a GenServer: refs, typed names, calls, casts and lookups by name
 * (also exported by `GenServer`).
 *
 * @since 0.1.0
 */
export * as GenServerClient from "./GenServerClient.js"

/**
 * Process names that follow restarts (OTP's registered names, `Process.whereis`).
 *
 * @since 0.1.0
 */
export * as Registry from "./Registry.js"

/**
 * What supervisors report: typed events, logs mirroring OTP's reports, and metrics.
 *
 * @since 0.1.0
 */
export * as SupervisorEvent from "./SupervisorEvent.js"

/**
 * The live tree under a supervisor, as data and as text.
 *
 * @since 0.1.0
 */
export * as SupervisionTree from "./SupervisionTree.js"

/**
 * The supervisor engine, for people who write supervisors (not for applications; it may
 * change between minor versions).
 *
 * @since 0.3.0
 */
export * as Engine from "./Engine.js"

/**
 * The metrics supervisors keep.
 *
 * @since 0.3.0
 */
export * as SupervisorMetrics from "./SupervisorMetrics.js"

/**
 * Ready loggers: compact and coloured for development, JSON (or logfmt) for production,
 * causes with the application's own stack frames only.
 *
 * @since 0.3.0
 */
export * as SupervisorLogger from "./SupervisorLogger.js"
