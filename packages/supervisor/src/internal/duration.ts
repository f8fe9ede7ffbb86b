/**
 * Durations as people read them in logs, messages and the tree: `0 ms`, `85.8 ms`,
 * `1.5 s`, `2 min 5 s`, `3 h 10 min` (Effect's `Duration.format` prints `85ms 781738ns`).
 */
import * as Duration from "effect/Duration"

const oneDecimal = (value: number): string => String(Math.round(value * 10) / 10)

/** @internal */
export const formatDuration = (input: Duration.DurationInput): string => {
  const duration = Duration.decode(input)
  if (!Duration.isFinite(duration)) return "infinity"
  const millis = Duration.toMillis(duration)
  if (Math.round(millis * 10) < 10_000) return `${oneDecimal(millis)} ms`
  if (Math.round(millis / 100) < 600) return `${oneDecimal(millis / 1000)} s`
  const seconds = Math.round(millis / 1000)
  if (seconds < 3600) {
    const rest = seconds % 60
    return rest === 0 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} min ${rest} s`
  }
  const minutes = Math.round(seconds / 60)
  const rest = minutes % 60
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`
}
