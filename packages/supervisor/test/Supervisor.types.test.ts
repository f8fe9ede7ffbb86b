/**
 * Types flow from the whole child list (issue 15 §1): a supervisor needs the union of
 * what its children need, as `Effect.all` and `Layer.mergeAll` do, with no annotation;
 * a registered name adds the `Registry` and `AlreadyStarted`; operations by name add
 * the `Registry` and `NoProcess`. Checked by `tsc -b` (this file is in the test project),
 * and run by vitest.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { ChildSpec, Process, Registry, Supervisor, SupervisorError } from "../src/index.js"

class Db extends Context.Tag("Db")<Db, { readonly query: Effect.Effect<void> }>() {}
class Cache extends Context.Tag("Cache")<Cache, { readonly warm: Effect.Effect<void> }>() {}
class Mailer extends Context.Tag("Mailer")<Mailer, { readonly send: Effect.Effect<void> }>() {}

const db = ChildSpec.make({ id: "db", start: Effect.flatMap(Db, (db) => db.query) })
const cache = ChildSpec.make({ id: "cache", start: Effect.flatMap(Cache, (cache) => cache.warm) })
const mailer = ChildSpec.make({ id: "mailer", start: Effect.flatMap(Mailer, (mailer) => mailer.send) })
const plain = ChildSpec.make({ id: "plain", start: Effect.never })

class App extends Context.Tag("App")<App, Supervisor.Supervisor>() {}

const DbLive = Layer.succeed(Db, { query: Effect.void })
const CacheLive = Layer.succeed(Cache, { warm: Effect.void })

/** What an effect needs, as a type to check. */
const contextOf = <A, E, R>(_: Effect.Effect<A, E, R>) => expectTypeOf<R>()
/** What an effect can fail with, as a type to check. */
const errorOf = <A, E, R>(_: Effect.Effect<A, E, R>) => expectTypeOf<E>()

describe("Supervisor types", () => {
  it("start needs the union of its children's requirements, inline or from a variable", () => {
    const inline = Supervisor.start({
      children: [
        ChildSpec.make({ id: "db", start: Effect.flatMap(Db, (db) => db.query) }),
        ChildSpec.make({ id: "cache", start: Effect.flatMap(Cache, (cache) => cache.warm) })
      ]
    })
    contextOf(inline).toEqualTypeOf<Db | Cache | Scope.Scope>()
    errorOf(inline).toEqualTypeOf<Supervisor.StartError>()

    const three = Supervisor.start({ strategy: "rest_for_one", children: [db, plain, cache, mailer] })
    contextOf(three).toEqualTypeOf<Db | Cache | Mailer | Scope.Scope>()

    const list = [db, cache]
    const fromList = Supervisor.start({ children: list })
    contextOf(fromList).toEqualTypeOf<Db | Cache | Scope.Scope>()

    const none = Supervisor.start({})
    contextOf(none).toEqualTypeOf<Scope.Scope>()
    const empty = Supervisor.start({ children: [] })
    contextOf(empty).toEqualTypeOf<Scope.Scope>()
  })

  it("spawn, run, layer and childSpec infer from the whole list too", () => {
    const children = [db, cache] as const
    expectTypeOf(Supervisor.spawn({ children })).toEqualTypeOf<
      Process.Spawn<Supervisor.Supervisor, Supervisor.StartError, Db | Cache>
    >()
    const run = Supervisor.run({ children })
    contextOf(run).toEqualTypeOf<Db | Cache>()
    errorOf(run).toEqualTypeOf<Supervisor.StartError | SupervisorError.GaveUp>()
    expectTypeOf(Supervisor.layer(App, { children: [db, cache] })).toEqualTypeOf<
      Layer.Layer<App, Supervisor.StartError, Db | Cache>
    >()
    expectTypeOf(Supervisor.childSpec({ id: "sub", children: [db, mailer] })).toEqualTypeOf<
      ChildSpec.ChildSpec<Supervisor.Supervisor, Supervisor.StartError, Db | Mailer>
    >()
    // a nested supervisor's requirements flow up to its parent
    const root = Supervisor.start({
      children: [cache, Supervisor.childSpec({ id: "sub", children: [db, mailer] })]
    })
    contextOf(root).toEqualTypeOf<Cache | Db | Mailer | Scope.Scope>()
  })

  it("options decoded as a value (Supervisor.Options<R>) are accepted as they are", () => {
    const options: Supervisor.Options<Db | Cache> = { children: [db, cache] }
    const started = Supervisor.start(options)
    contextOf(started).toEqualTypeOf<Db | Cache | Scope.Scope>()
  })

  it("providing too little does not compile", () => {
    const app = Supervisor.layer(App, { children: [db, cache] })
    const enough = Effect.void.pipe(Effect.provide(Layer.provide(app, Layer.merge(DbLive, CacheLive))))
    expectTypeOf(enough).toEqualTypeOf<Effect.Effect<void, Supervisor.StartError>>()
    const tooLittle = Effect.void.pipe(Effect.provide(Layer.provide(app, DbLive)))
    // @ts-expect-error Cache is still needed
    expectTypeOf(tooLittle).toEqualTypeOf<Effect.Effect<void, Supervisor.StartError>>()
    const program = Supervisor.run({ children: [db, cache] })
    // @ts-expect-error Cache is not provided
    const _runnable: Effect.Effect<unknown, unknown, never> = program.pipe(Effect.provide(DbLive))
    // @ts-expect-error a child that needs Mailer cannot be started by a supervisor that only has Db and Cache
    const _narrow: Effect.Effect<unknown, unknown, Db | Cache | Scope.Scope> = Supervisor.start({
      children: [db, cache, mailer]
    })
  })

  it("a registered name needs the Registry and may fail with AlreadyStarted", () => {
    const Workers = Supervisor.name("Workers")
    const named = Supervisor.start({ name: Workers, children: [db] })
    contextOf(named).toEqualTypeOf<Db | Registry.Registry | Scope.Scope>()
    errorOf(named).toEqualTypeOf<Supervisor.StartError | SupervisorError.AlreadyStarted>()
    const labelled = Supervisor.start({ name: "workers", children: [db] })
    contextOf(labelled).toEqualTypeOf<Db | Scope.Scope>()
  })

  it("operations take the supervisor or its name; by name they need the Registry and may fail with NoProcess", () => {
    const Workers = Supervisor.name("Workers")
    const supervisor = {} as Supervisor.Supervisor
    expectTypeOf(Supervisor.countChildren(supervisor)).toEqualTypeOf<
      Effect.Effect<Supervisor.ChildCounts, SupervisorError.SupervisorStopped>
    >()
    expectTypeOf(Supervisor.countChildren(Workers)).toEqualTypeOf<
      Effect.Effect<Supervisor.ChildCounts, SupervisorError.SupervisorStopped | Registry.NoProcess, Registry.Registry>
    >()
    const started = Supervisor.startChild(Workers, db)
    contextOf(started).toEqualTypeOf<Db | Registry.Registry>()
    expectTypeOf(Supervisor.stop(Workers)).toEqualTypeOf<
      Effect.Effect<void, Registry.NoProcess, Registry.Registry>
    >()
    expectTypeOf(Supervisor.stop(supervisor)).toEqualTypeOf<Effect.Effect<void>>()
    expectTypeOf(Supervisor.terminateChild("db")(Workers)).toEqualTypeOf<
      Effect.Effect<
        void,
        SupervisorError.NotFound | SupervisorError.SupervisorStopped | Registry.NoProcess,
        Registry.Registry
      >
    >()
    // @ts-expect-error a GenServer's name or a plain registry name is not a supervisor's
    Supervisor.whichChildren(Registry.name("Workers"))
  })
})
