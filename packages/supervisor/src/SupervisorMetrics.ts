/**
 * The metrics supervisors keep, through Effect's `Metric`: restarts, running children and
 * restart latency, tagged with the supervisor's path (restarts of a static supervisor's
 * children also with the child's id).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { SupervisorMetrics } from "@effect-otp/supervisor"
 *
 * const program = Effect.gen(function*() {
 *   const state = yield* Metric.value(SupervisorMetrics.restarts)
 *   yield* Effect.log(`restarts so far: ${state.count}`)
 * })
 * ```
 *
 * @since 0.3.0
 */
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/**
 * Restarts, tagged `supervisor`, and `child` for a static supervisor's children (a
 * dynamic supervisor's children are not tagged: their ids are unbounded, and each tag
 * set would be a metric key kept for good).
 *
 * @since 0.1.0
 * @category metrics
 */
export const restarts: Metric.Metric.Counter<number> = Metric.counter("effect_otp_restarts", {
  description: "children restarted by supervisors"
})

/**
 * Running children, tagged `supervisor`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const activeChildren: Metric.Metric.Gauge<number> = Metric.gauge("effect_otp_active_children", {
  description: "children running under a supervisor"
})

/**
 * Milliseconds from a child's exit to its new incarnation running, tagged `supervisor`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const restartLatency: Metric.Metric.Histogram<number> = Metric.histogram(
  "effect_otp_restart_latency_ms",
  MetricBoundaries.exponential({ start: 0.5, factor: 2, count: 16 }),
  "milliseconds from a child's exit to its new incarnation running"
)
