/**
 * A watched source (see ObserverSource.ts): its last snapshot, checked when it arrives,
 * and the tree the page receives for it, its children grouped by location.
 *
 * @internal
 */
import * as Stream from "effect/Stream"
import type * as ObserverSource from "../ObserverSource.js"
import type { WireChild, WireTree } from "./model.js"
import { showValue } from "./showValue.js"

/** What the observer keeps of a watched source. Mutable, touched only inside `Effect.sync`. */
export interface Watched {
  readonly name: string
  readonly kind: string
  readonly locationKind: string
  readonly label: string | null
  rows: ReadonlyArray<ObserverSource.Row>
  /** Why the source's snapshots ended, once they did. */
  ended: string | null
}

const statuses = new Set(["running", "restarting", "stopped"])

const optional = (row: object, field: string, check: (value: unknown) => boolean, expected: string) => {
  const value: unknown = (row as Record<string, unknown>)[field]
  return value === undefined || check(value) ? undefined : `${field}: expected ${expected}, got ${showValue(value)}`
}

const isStream = (value: unknown): boolean =>
  typeof value === "object" && value !== null && Stream.StreamTypeId in value

/** Checks a source given to `watch` (from JavaScript, say): the first wrong field, or undefined. */
export const checkSource = (source: object): string | undefined => {
  const fields = source as Record<string, unknown>
  if (typeof fields.name !== "string" || fields.name.trim() === "") {
    return `name: expected a non-empty string, got ${showValue(fields.name)}`
  }
  if (!isStream(fields.snapshots)) return `snapshots: expected a Stream, got ${showValue(fields.snapshots)}`
  return optional(source, "kind", (value) => typeof value === "string", "a string") ??
    optional(source, "locationKind", (value) => typeof value === "string", "a string") ??
    optional(source, "events", isStream, "a Stream")
}

/**
 * Checks a snapshot of a source (it may come from JavaScript, or from a package built
 * against another version): the first wrong row and field, or undefined.
 */
export const checkRows = (rows: unknown): string | undefined => {
  if (!Array.isArray(rows)) return `expected an array of rows, got ${showValue(rows)}`
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i]
    const issue = typeof row !== "object" || row === null
      ? `expected a row, got ${showValue(row)}`
      : typeof (row as { id?: unknown }).id !== "string"
      ? `id: expected a string, got ${showValue((row as { id?: unknown }).id)}`
      : typeof (row as { kind?: unknown }).kind !== "string"
      ? `kind: expected a string, got ${showValue((row as { kind?: unknown }).kind)}`
      : !statuses.has((row as { status?: unknown }).status as string)
      ? `status: expected "running", "restarting" or "stopped", got ${showValue((row as { status?: unknown }).status)}`
      : optional(row, "location", (value) => typeof value === "string", "a string") ??
        optional(row, "restarts", (value) => Number.isInteger(value) && (value as number) >= 0, "a whole number") ??
        optional(row, "exit", (value) => typeof value === "string", "a string")
    if (issue !== undefined) return `row ${i}: ${issue}`
  }
  return undefined
}

const wireChild = (row: ObserverSource.Row): WireChild => ({
  id: row.id,
  type: row.kind,
  status: row.status,
  pid: null,
  restarts: row.restarts ?? null,
  upMs: null,
  exit: row.exit ?? null,
  tree: null,
  location: row.location ?? null
})

/** The path of a location's row: under the source's, as a child supervisor's path. */
export const locationPath = (source: string, location: string) => `${source}/${location}`

/**
 * A source as the page receives it: its row, the children without a location, then one
 * row per location (sorted), each heading its children in the source's order.
 */
export const sourceTree = (watched: Watched): WireTree => {
  const loose: Array<WireChild> = []
  const byLocation = new Map<string, Array<WireChild>>()
  for (const row of watched.rows) {
    const child = wireChild(row)
    if (row.location === undefined) {
      loose.push(child)
    } else {
      const group = byLocation.get(row.location)
      if (group === undefined) byLocation.set(row.location, [child])
      else group.push(child)
    }
  }
  const locations = Array.from(byLocation.keys()).sort()
  return {
    path: watched.name,
    strategy: watched.kind,
    pid: null,
    status: watched.ended === null ? "running" : "stopped",
    reason: watched.ended,
    budget: null,
    label: watched.label,
    origin: "source",
    children: [
      ...loose,
      ...locations.map((location): WireChild => {
        const children = byLocation.get(location)!
        return {
          id: location,
          type: watched.locationKind,
          status: null,
          pid: null,
          restarts: null,
          upMs: null,
          exit: null,
          location: null,
          tree: {
            path: locationPath(watched.name, location),
            strategy: watched.locationKind,
            pid: null,
            status: null,
            reason: null,
            budget: null,
            origin: "location",
            children
          }
        }
      })
    ]
  }
}
