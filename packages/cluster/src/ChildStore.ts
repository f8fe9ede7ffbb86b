/**
 * Where the specs of cluster children are kept, so that the next owner of a dead
 * runner's shard can start them again: the kind, the arguments and the spec fields of each
 * child, whether it was given up, and which runner holds it.
 *
 * `layerMemory` keeps them in the process (tests, `TestRunner`); `layerSql` in the SQL
 * database the cluster uses (SQLite for one machine, PostgreSQL for several), in the
 * table `effect_otp_cluster_children`.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as ClusterError from "./ClusterError.js"

/**
 * One stored child. `args` and `spec` are in their encoded (JSON) form.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredChild {
  readonly id: string
  readonly kind: string
  readonly args: unknown
  /** The spec fields, encoded (`{ id, restart, shutdown }`). */
  readonly spec: unknown
  readonly restart: "permanent" | "transient" | "temporary"
  readonly status: "running" | "gave_up"
  /** The runner holding the child (`host:port`), when known. */
  readonly runner: string | undefined
}

/**
 * The store of cluster children.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { ChildStore } from "@effect-otp/cluster"
 *
 * const program = Effect.gen(function*() {
 *   const store = yield* ChildStore.ChildStore
 *   return yield* store.list
 * }).pipe(Effect.provide(ChildStore.layerMemory))
 * ```
 *
 * @since 0.1.0
 * @category services
 */
export class ChildStore extends Context.Tag("@effect-otp/cluster/ChildStore")<ChildStore, {
  readonly get: (id: string) => Effect.Effect<Option.Option<StoredChild>, ClusterError.Unavailable>
  readonly put: (child: StoredChild) => Effect.Effect<void, ClusterError.Unavailable>
  readonly remove: (id: string) => Effect.Effect<void, ClusterError.Unavailable>
  readonly list: Effect.Effect<ReadonlyArray<StoredChild>, ClusterError.Unavailable>
}>() {}

/**
 * A store in the memory of this process: for one process (tests on `TestRunner`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ChildStore> = Layer.sync(ChildStore, () => {
  const children = new Map<string, StoredChild>()
  return {
    get: (id) => Effect.sync(() => Option.fromNullable(children.get(id))),
    put: (child) => Effect.sync(() => void children.set(child.id, child)),
    remove: (id) => Effect.sync(() => void children.delete(id)),
    list: Effect.sync(() => Array.from(children.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
  }
})

const Row = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  args: Schema.parseJson(),
  spec: Schema.parseJson(),
  restart: Schema.Literal("permanent", "transient", "temporary"),
  status: Schema.Literal("running", "gave_up"),
  runner: Schema.NullOr(Schema.String)
})

const decodeRow = Schema.decodeUnknown(Row)
const encodeJson = (value: unknown): string => JSON.stringify(value === undefined ? null : value)

const unavailable = (id: string) => (error: SqlError | { readonly message: string }) =>
  new ClusterError.Unavailable({ id, cause: `child store: ${error.message}` })

/**
 * A store in the cluster's SQL database (the `SqlClient` it uses for its message and
 * runner storage): SQLite or PostgreSQL. Creates its table if missing.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ChildStore, SqlError, SqlClient.SqlClient> = Layer.effect(
  ChildStore,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const table = sql("effect_otp_cluster_children")
    yield* sql`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      args TEXT NOT NULL,
      spec TEXT NOT NULL,
      restart TEXT NOT NULL,
      status TEXT NOT NULL,
      runner TEXT
    )`
    const toChild = (row: unknown) =>
      Effect.map(decodeRow(row), (decoded): StoredChild => ({
        id: decoded.id,
        kind: decoded.kind,
        args: decoded.args,
        spec: decoded.spec,
        restart: decoded.restart,
        status: decoded.status,
        runner: decoded.runner ?? undefined
      }))
    return {
      get: (id) =>
        sql`SELECT * FROM ${table} WHERE id = ${id}`.pipe(
          Effect.flatMap((rows) => rows.length === 0 ? Effect.succeedNone : Effect.asSome(toChild(rows[0]))),
          Effect.mapError(unavailable(id))
        ),
      put: (child) =>
        sql`INSERT INTO ${table} (id, kind, args, spec, restart, status, runner)
          VALUES (${child.id}, ${child.kind}, ${encodeJson(child.args)}, ${
          encodeJson(child.spec)
        }, ${child.restart}, ${child.status}, ${child.runner ?? null})
          ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, args = excluded.args, spec = excluded.spec,
            restart = excluded.restart, status = excluded.status, runner = excluded.runner`.pipe(
          Effect.asVoid,
          Effect.mapError(unavailable(child.id))
        ),
      remove: (id) => sql`DELETE FROM ${table} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.mapError(unavailable(id))),
      list: sql`SELECT * FROM ${table} ORDER BY id`.pipe(
        Effect.flatMap(Effect.forEach(toChild)),
        Effect.mapError(unavailable("*"))
      )
    }
  })
)
