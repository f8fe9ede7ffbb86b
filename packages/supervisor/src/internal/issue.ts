import * as ParseResult from "effect/ParseResult"

/**
 * A value as it appears in an error message: strings quoted, numbers as JavaScript prints
 * them (so `NaN` and `-1` stay readable).
 *
 * @internal
 */
export const show = (u: unknown): string => {
  switch (typeof u) {
    case "number":
    case "boolean":
    case "undefined":
    case "symbol":
      return String(u)
    case "bigint":
      return `${u}n`
    case "function":
      return "<function>"
    default: {
      try {
        return JSON.stringify(u) ?? String(u)
      } catch {
        return String(u)
      }
    }
  }
}

/**
 * A path into data as people write it: `children[1].args.port`.
 *
 * @internal
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "symbol") out += `[${String(key)}]`
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

/**
 * One line per issue, `path: message` (or just the message at the root).
 *
 * @internal
 */
export const formatIssueLines = (issue: ParseResult.ParseIssue): ReadonlyArray<string> =>
  ParseResult.ArrayFormatter.formatIssueSync(issue).map((entry) => {
    const path = formatPath(entry.path)
    return path === "" ? entry.message : `${path}: ${entry.message}`
  })

/**
 * The issues of a parse error as `path: message` lines, joined by newlines.
 *
 * @internal
 */
export const formatIssue = (issue: ParseResult.ParseIssue): string => formatIssueLines(issue).join("\n")

const oneOf = (values: ReadonlyArray<string>): string => {
  const quoted = values.map((value) => JSON.stringify(value))
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`
}

/**
 * A Schema message annotation for a union of literals: one line that lists the accepted
 * values and shows the value given, instead of one line per literal.
 *
 * @internal
 */
export const literalsMessage = (values: ReadonlyArray<string>) => (issue: ParseResult.ParseIssue) => ({
  message: `expected ${oneOf(values)}, got ${show(issue.actual)}`,
  override: true
})
