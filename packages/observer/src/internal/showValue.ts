/**
 * A value as the observer's messages show it: its JSON, or its text where it has none.
 *
 * @internal
 */

/** @internal */
export const showValue = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
