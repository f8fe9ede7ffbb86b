/**
 * Causes as people read them in logs: each error's message and the frames of the
 * application's own code, without Effect's internals, Node's, other packages' (anything
 * under `node_modules`) or effect-otp's.
 */
import * as Cause from "effect/Cause"

/** effect-otp's own sources, when run from the repository (an installed copy is under node_modules). */
const LIBRARY =
  /[\\/]packages[\\/](?:supervisor|dynamic-supervisor|partition-supervisor|task-supervisor|cluster|observer|test-utils)[\\/](?:src|dist|build)[\\/]/

const FRAME = /^\s+at /

/** `true` for a stack frame of the application's own code. @internal */
export const isUserFrame = (line: string): boolean => {
  if (!FRAME.test(line)) return false
  if (line.includes("node_modules") || line.includes("node:") || LIBRARY.test(line)) return false
  // a frame without a location (`at <anonymous>`, `at new Promise (<anonymous>)`, native code)
  return /:\d+:\d+\)?\s*$/.test(line)
}

const SPAN = Symbol.for("effect/SpanAnnotation")

/** An error's first line(s) and the application's own frames, from its stack. */
const splitStack = (stack: string): { readonly head: string; readonly frames: ReadonlyArray<string> } => {
  const lines = stack.split("\n")
  const firstFrame = lines.findIndex((line) => FRAME.test(line))
  const head = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join(" ")
  return {
    head,
    frames: firstFrame === -1 ? [] : lines.slice(firstFrame).filter(isUserFrame).map((line) => `    ${line.trim()}`)
  }
}

/** The message of a value that is not an `Error`, printable whatever it is (a bigint, a cycle). */
const describe = (value: unknown): string => {
  if (typeof value === "string") return value
  try {
    return JSON.stringify(value, (_, item) => (typeof item === "bigint" ? `${item}n` : item)) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The errors of a cause, each as its first line (`Error: connection refused`) and the
 * application's own frames (`    at connect (file:///app/db.ts:12:9)`).
 * @internal
 */
export const readableErrors = (
  cause: Cause.Cause<unknown>
): Array<{ readonly head: string; readonly frames: ReadonlyArray<string> }> => {
  try {
    return Cause.prettyErrors(cause).map((error) => splitStack(error.stack ?? `${error.name}: ${error.message}`))
  } catch {
    // a value Effect's printer cannot print
    return [...Cause.failures(cause), ...Cause.defects(cause)].map((value) =>
      value instanceof Error && typeof value.stack === "string"
        ? splitStack(value.stack)
        : { head: `Error: ${describe(value)}`, frames: [] }
    )
  }
}

/**
 * The same error with the application's own frames only in its stack (and no span
 * trace): a copy of the same class with the same fields, so that loggers which look at
 * the error (its `_tag`, its fields) see what they would have seen. Other values are
 * kept as they are.
 */
const readableError = <E>(error: E): E => {
  if (!(error instanceof Error) || typeof error.stack !== "string") return error
  const { frames, head } = splitStack(error.stack)
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error)), error)
  Object.defineProperty(copy, "message", { value: error.message, writable: true, configurable: true })
  if (Object.hasOwn(error, "cause")) {
    Object.defineProperty(copy, "cause", { value: error.cause, writable: true, configurable: true })
  }
  Object.defineProperty(copy, "stack", { value: [head, ...frames].join("\n"), writable: true, configurable: true })
  if (SPAN in copy) delete copy[SPAN]
  return copy
}

/**
 * The cause a supervisor logs for a crash: the same failures and defects, each error's
 * stack cut down to the application's own frames, so that any logger (Effect's default
 * one too) prints one short block per crash.
 * @internal
 */
export const readableCause = <E>(cause: Cause.Cause<E>): Cause.Cause<E> =>
  Cause.match(cause, {
    onEmpty: Cause.empty as Cause.Cause<E>,
    onFail: (error) => Cause.fail(readableError(error)),
    onDie: (defect) => Cause.die(readableError(defect)),
    onInterrupt: (fiberId) => Cause.interrupt(fiberId),
    onSequential: (left, right) => Cause.sequential(left, right),
    onParallel: (left, right) => Cause.parallel(left, right)
  })
