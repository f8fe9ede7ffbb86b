/**
 * How a caller names a static supervisor's child (by id, by process, or by the spec it
 * was started from), and what it is told about it.
 */
import * as Option from "effect/Option"
import type * as Process from "../Process.js"
import type * as Supervisor from "../Supervisor.js"
import type { AnySpec, ChildRecord } from "./engine/record.js"

const startKeys = new WeakMap<object, number>()
let lastStartKey = 0

/** A number for each start, to tell a child's start without keeping it. */
export const startKeyOf = (start: object): number => {
  let key = startKeys.get(start)
  if (key === undefined) {
    key = ++lastStartKey
    startKeys.set(start, key)
  }
  return key
}

/**
 * How a caller names a static child: by id, by process, or by the spec it was started
 * from (a child with that id started from another `start` is not the spec's).
 */
export type ChildKey = string | AnySpec | Process.ProcessRef

/** A child as `whichChildren` and `whichChild` show it. */
export const infoOf = (record: ChildRecord): Supervisor.ChildInfo => ({
  id: record.id,
  status: record.status,
  process: Option.fromNullable(record.process),
  value: record.process === undefined ? Option.none() : Option.some(record.current),
  type: record.type,
  restarts: record.restarts
})
