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

/**
 * The errors of a cause, each as its first line (`Error: connection refused`) and the
 * application's own frames (`    at connect (file:///app/db.ts:12:9)`).
 * @internal
 */
export const readableErrors = (
  cause: Cause.Cause<unknown>
): Array<{ readonly head: string; readonly frames: ReadonlyArray<string> }> =>
  Cause.prettyErrors(cause).map((error) => {
    const lines = (error.stack ?? `${error.name}: ${error.message}`).split("\n")
    const firstFrame = lines.findIndex((line) => FRAME.test(line))
    const head = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join(" ")
    return {
      head,
      frames: firstFrame === -1 ? [] : lines.slice(firstFrame).filter(isUserFrame).map((line) => `    ${line.trim()}`)
    }
  })

class ReportedError extends Error {
  constructor(name: string, message: string, stack: string) {
    super(message)
    this.name = name
    this.stack = stack
  }
}

/**
 * The cause a supervisor logs for a crash: its errors with the application's frames only,
 * so that any logger (Effect's default one too) prints one short block per crash. An
 * interruption stays as it is.
 * @internal
 */
export const readableCause = (cause: Cause.Cause<unknown>): Cause.Cause<unknown> => {
  const errors = Cause.prettyErrors(cause)
  if (errors.length === 0) return cause
  const readable = readableErrors(cause).map(({ frames, head }, i) => {
    const name = errors[i].name
    const message = errors[i].message
    return Cause.die(new ReportedError(name, message, [head, ...frames].join("\n")))
  })
  return readable.reduce((all, next) => Cause.sequential(all, next))
}
