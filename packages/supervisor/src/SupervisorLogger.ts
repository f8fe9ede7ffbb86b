/**
 * Ready loggers for applications: {@link development} prints one compact line per event
 * (coloured on a terminal), {@link production} one JSON object per line, the annotations
 * (`supervisor`, `child`, `reason`, and the application's own) as fields. Both print a
 * cause as its message and the application's own stack frames only, without the frames
 * of Effect, Node, effect-otp or other packages.
 *
 * A crash, in development:
 *
 * ```text
 * 14:03:07.412 ERROR app: db Process<12> exited: died: connection refused child=db reason=Abnormal
 *     at connect (/srv/app/src/db.ts:12:9)
 * ```
 *
 * and in production:
 *
 * ```text
 * {"time":"2026-12-05T14:03:07.412Z","level":"ERROR","message":"db Process<12> exited: died: connection refused","supervisor":"app","child":"db","reason":"Abnormal","error":"Error: connection refused","stack":["at connect (/srv/app/src/db.ts:12:9)"]}
 * ```
 *
 * @since 0.3.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as HashMap from "effect/HashMap"
import * as Inspectable from "effect/Inspectable"
import type * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"
import { readableCause, readableErrors } from "./internal/readable.js"

const stringify = (value: unknown): string => {
  if (typeof value === "string") return value
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(Inspectable.toJSON(value)) : String(value)
  } catch {
    return String(value)
  }
}

const messageText = (message: unknown): string =>
  Array.isArray(message) ? message.map(stringify).join(" ") : stringify(message)

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

const clock = (date: Date): string =>
  `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`

const levelColors: Record<LogLevel.Literal, string> = {
  All: "",
  None: "",
  Trace: "\x1b[90m",
  Debug: "\x1b[34m",
  Info: "\x1b[32m",
  Warning: "\x1b[33m",
  Error: "\x1b[31m",
  Fatal: "\x1b[1;31m"
}

const leading: ReadonlyArray<string> = ["supervisor", "child", "reason"]

/** The supervisors' annotations first, in a fixed order, then the others by name. */
const annotationsInOrder = (
  annotations: HashMap.HashMap<string, unknown>
): ReadonlyArray<readonly [string, unknown]> =>
  Array.from(annotations).sort(([a], [b]) => {
    const i = leading.indexOf(a)
    const j = leading.indexOf(b)
    if (i !== -1 || j !== -1) return (i === -1 ? leading.length : i) - (j === -1 ? leading.length : j)
    return a < b ? -1 : a > b ? 1 : 0
  })

const quoteValue = (value: string): string => (/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value))

/**
 * A compact logger for development: one line per event, `time LEVEL supervisor: message
 * key=value ...` (the `supervisor` annotation, a path such as `app/db`, leads the line),
 * then, for a cause, its error (unless the message already says it) and the
 * application's own stack frames, indented. With `colors`, the level and the frames are
 * coloured with ANSI codes.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Logger } from "effect"
 * import { SupervisorLogger } from "@effect-otp/supervisor"
 *
 * const DevLogger = Logger.replace(
 *   Logger.defaultLogger,
 *   Logger.withConsoleLog(SupervisorLogger.compact({ colors: false }))
 * )
 *
 * const program = Effect.log("ready").pipe(Effect.annotateLogs("supervisor", "app"), Effect.provide(DevLogger))
 * ```
 *
 * @since 0.3.0
 * @category loggers
 */
export const compact = (options?: { readonly colors?: boolean | undefined }): Logger.Logger<unknown, string> => {
  const colors = options?.colors === true
  const paint = (code: string, text: string): string => (colors && code !== "" ? `${code}${text}\x1b[0m` : text)
  return Logger.make(({ annotations, cause, date, logLevel, message }) => {
    let supervisor = ""
    let fields = ""
    for (const [key, value] of annotationsInOrder(annotations)) {
      if (key === "supervisor") supervisor = `${stringify(value)}: `
      else fields += ` ${key}=${quoteValue(stringify(value))}`
    }
    const text = messageText(message)
    let out = `${paint("\x1b[2m", clock(date))} ${paint(levelColors[logLevel._tag], logLevel.label)} ${
      paint("\x1b[1m", supervisor)
    }${text}${fields}`
    if (!Cause.isEmpty(cause)) {
      for (const { frames, head } of readableErrors(cause)) {
        const said = text.includes(head.replace(/^\w*Error: /, ""))
        if (!said) out += `\n    ${paint(levelColors.Error, head)}`
        for (const frame of frames) out += `\n${paint("\x1b[2m", frame)}`
      }
    }
    return out
  })
}

/**
 * A JSON logger for production: one object per line with `time` (ISO 8601), `level`,
 * `message`, each annotation as a field of its own, and, for a cause, `error` (its first
 * error in words) and `stack` (the application's own frames).
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Logger } from "effect"
 * import { SupervisorLogger } from "@effect-otp/supervisor"
 *
 * const JsonLogger = Logger.replace(Logger.defaultLogger, Logger.withConsoleLog(SupervisorLogger.json))
 *
 * // {"time":"…","level":"INFO","message":"ready","supervisor":"app"}
 * const program = Effect.log("ready").pipe(Effect.annotateLogs("supervisor", "app"), Effect.provide(JsonLogger))
 * ```
 *
 * @since 0.3.0
 * @category loggers
 */
export const json: Logger.Logger<unknown, string> = Logger.make(({ annotations, cause, date, logLevel, message }) => {
  const record: Record<string, unknown> = {
    time: date.toISOString(),
    level: logLevel.label,
    message: messageText(message)
  }
  for (const [key, value] of annotationsInOrder(annotations)) {
    if (!(key in record)) record[key] = Inspectable.toJSON(value)
  }
  if (!Cause.isEmpty(cause)) {
    const errors = readableErrors(cause)
    if (errors.length === 0) record.error = "interrupted"
    else {
      record.error = errors.map((error) => error.head).join("; ")
      const stack = errors.flatMap((error) => error.frames.map((frame) => frame.trim()))
      if (stack.length > 0) record.stack = stack
    }
  }
  return JSON.stringify(record)
})

/**
 * Effect's logfmt logger (`key=value` pairs, the annotations as pairs of their own), its
 * cause printed with the application's own frames only.
 *
 * **Example**
 *
 * ```ts
 * import { Effect, Logger } from "effect"
 * import { SupervisorLogger } from "@effect-otp/supervisor"
 *
 * const LogfmtLogger = Logger.replace(Logger.defaultLogger, Logger.withConsoleLog(SupervisorLogger.logfmt))
 *
 * // timestamp=… level=INFO fiber=#1 message=ready supervisor=app
 * const program = Effect.log("ready").pipe(Effect.annotateLogs("supervisor", "app"), Effect.provide(LogfmtLogger))
 * ```
 *
 * @since 0.3.0
 * @category loggers
 */
export const logfmt: Logger.Logger<unknown, string> = Logger.make((options) =>
  Logger.logfmtLogger.log(
    Cause.isEmpty(options.cause) ? options : { ...options, cause: readableCause(options.cause) }
  )
)

const isTerminal = (): boolean =>
  typeof process === "object" && process !== null && typeof process.stdout === "object" &&
  process.stdout !== null && process.stdout.isTTY === true && process.env.NO_COLOR === undefined

/**
 * The development logger in place of Effect's default one: {@link compact}, coloured when
 * standard output is a terminal (and `NO_COLOR` is not set), errors to standard error.
 *
 * **Example**
 *
 * ```ts
 * import { ChildSpec, Supervisor, SupervisorLogger } from "@effect-otp/supervisor"
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const main = Supervisor.run({ name: "app", children: [ChildSpec.make({ id: "worker", start: Effect.never })] })
 *
 * NodeRuntime.runMain(main.pipe(Effect.provide(SupervisorLogger.development)))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const development: Layer.Layer<never> = Logger.replaceEffect(
  Logger.defaultLogger,
  Effect.sync(() => Logger.withLeveledConsole(compact({ colors: isTerminal() })))
)

/**
 * The production logger in place of Effect's default one: {@link json}, one object per
 * line on standard output, for a log collector.
 *
 * **Example**
 *
 * ```ts
 * import { ChildSpec, Supervisor, SupervisorLogger } from "@effect-otp/supervisor"
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const main = Supervisor.run({ name: "app", children: [ChildSpec.make({ id: "worker", start: Effect.never })] })
 *
 * NodeRuntime.runMain(main.pipe(Effect.provide(SupervisorLogger.production)))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const production: Layer.Layer<never> = Logger.replace(Logger.defaultLogger, Logger.withConsoleLog(json))
