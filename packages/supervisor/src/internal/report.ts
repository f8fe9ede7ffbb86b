/**
 * How supervisors report to people: log lines through Effect's logger, spans when a tracer
 * is installed, exit reasons in words.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import type * as ExitReason from "../ExitReason.js"
import { show } from "./issue.js"
import { readableCause } from "./readable.js"

/** An exit reason in words, for logs and events. @internal */
export const describeReason = (reason: ExitReason.ExitReason): string => {
  switch (reason._tag) {
    case "Normal":
      return "normal"
    case "Shutdown":
      return reason.reason._tag === "Some" ? `shutdown (${String(reason.reason.value)})` : "shutdown"
    case "Killed":
      return "killed"
    case "Abnormal": {
      const failure = Cause.failureOption(reason.cause)
      if (failure._tag === "Some") return `failed: ${describeValue(failure.value)}`
      const defect = Cause.dieOption(reason.cause)
      return defect._tag === "Some" ? `died: ${describeValue(defect.value)}` : "interrupted"
    }
  }
}

/** The first failure or defect of a cause, in words (`Service not found: Registry`). @internal */
export const summarizeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return describeValue(failure.value)
  const defect = Cause.dieOption(cause)
  return defect._tag === "Some" ? describeValue(defect.value) : "interrupted"
}

const describeValue = (value: unknown): string =>
  value instanceof Error ? value.message || value.name : typeof value === "string" ? value : show(value)

/**
 * A supervisor report through Effect's logger, annotated; skipped at once (no annotation
 * work) when the fiber's minimum log level filters it out. A cause is logged with the
 * application's own stack frames only (see `readableCause`): one short block per crash
 * whatever the logger.
 * @internal
 */
export const report = (
  level: LogLevel.LogLevel,
  message: string,
  annotations: Record<string, unknown>,
  cause?: Cause.Cause<unknown>
): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) =>
    LogLevel.lessThan(level, fiber.getFiberRef(FiberRef.currentMinimumLogLevel))
      ? Effect.void
      : Effect.annotateLogs(
        cause === undefined
          ? Effect.logWithLevel(level, message)
          : Effect.logWithLevel(level, message, readableCause(cause)),
        annotations
      )
  )

/** Effect's built-in tracer, which records spans nobody reads. */
const defaultTracer: Tracer.Tracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/**
 * `true` when a tracer other than Effect's built-in one is installed, i.e. when
 * {@link startSpan} opens spans. A supervisor may read it once, when it starts.
 * @internal
 */
export const tracing: Effect.Effect<boolean> = Effect.tracerWith((tracer) => Effect.succeed(tracer !== defaultTracer))

/**
 * Runs a child's start in a span that measures it without becoming the child's parent
 * span (the child lives on after the span ends). Only when a tracer is installed (e.g.
 * `@effect/opentelemetry`): Effect's built-in tracer records nothing anyone reads, and a
 * span costs several microseconds per start.
 * @internal
 */
export const startSpan = <A, E, R>(
  name: string,
  attributes: Record<string, unknown>,
  start: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) => tracer === defaultTracer ? start : Effect.useSpan(name, { attributes }, () => start))
