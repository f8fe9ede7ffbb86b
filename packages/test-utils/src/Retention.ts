/**
 * What an object keeps alive, seen through its fields: a check that a supervisor lets go
 * of something (e.g. a temporary child's start) without waiting for the garbage
 * collector. Closures are opaque to it (what they capture is not visible): use it on
 * targets held through fields.
 */

/**
 * `true` when `target` can be reached from `root` through own properties (string and
 * symbol keys, getters excepted), array items and `Map` / `Set` entries, not through a
 * property named in `skip` (e.g. `process`: a running child's fiber holds what it runs).
 */
export const reaches = (
  root: unknown,
  target: object,
  skip: ReadonlySet<PropertyKey> = new Set(),
  limit = 200_000
): boolean => {
  const seen = new Set<object>()
  const queue: Array<unknown> = [root]
  while (queue.length > 0) {
    const value = queue.pop()
    if (value === target) return true
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue
    seen.add(value)
    if (seen.size > limit) throw new Error(`reaches: more than ${limit} objects walked`)
    if (value instanceof Map) {
      for (const [key, item] of value) queue.push(key, item)
    } else if (value instanceof Set) {
      for (const item of value) queue.push(item)
    }
    for (const key of Reflect.ownKeys(value)) {
      if (skip.has(key)) continue
      const descriptor = Object.getOwnPropertyDescriptor(value, key)
      if (descriptor !== undefined && "value" in descriptor) queue.push(descriptor.value)
    }
  }
  return false
}
