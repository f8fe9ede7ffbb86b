/**
 * Assertions on Effect data that chai's deep equality gets wrong: exit reasons are
 * compared with Effect's structural equality (chai treats `Option.none()` and
 * `Option.some(x)` as equal).
 */
import type { ExitReason } from "@effect-otp/supervisor"
import { assert } from "@effect/vitest"
import { Equal } from "effect"

/** Exit reasons compared with Effect's structural equality (chai's deep equality treats `Option.none()` and `Option.some(x)` as equal). */
export const assertReason = (actual: ExitReason.ExitReason, expected: ExitReason.ExitReason, message?: string) =>
  assert.isTrue(
    Equal.equals(actual, expected),
    `${message ?? "exit reason"}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
  )
