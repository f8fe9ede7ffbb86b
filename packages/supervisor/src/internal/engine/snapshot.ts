/**
 * What a supervisor shows of its children: the live tree's nodes and the counts.
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as SupervisionTree from "../../SupervisionTree.js"
import type { ChildRecord } from "./record.js"

export interface ChildCounts {
  readonly specs: number
  readonly active: number
  readonly supervisors: number
  readonly workers: number
}

/**
 * The children as the live tree shows them, at `now`.
 */
export const snapshotOf = (
  children: Iterable<ChildRecord>,
  now: number
): Array<SupervisionTree.ChildSnapshot> =>
  Array.from(children, (record): SupervisionTree.ChildSnapshot => ({
    id: record.id,
    type: record.type,
    status: record.status,
    process: Option.fromNullable(record.process),
    restarts: record.restarts,
    uptime: record.process === undefined ? Option.none() : Option.some(Duration.millis(now - record.startedAt)),
    value: record.current
  }))

/**
 * OTP's `count_children`.
 */
export const countsOf = (children: Iterable<ChildRecord>): ChildCounts => {
  let specs = 0
  let active = 0
  let supervisors = 0
  for (const record of children) {
    specs++
    if (record.status === "running") active++
    if (record.type === "supervisor") supervisors++
  }
  return { specs, active, supervisors, workers: specs - supervisors }
}
