/**
 * The runners' side of a cluster child: the entity that holds it on the runner owning
 * its shard, under a dynamic supervisor of its own; started, brought back from the
 * stored spec after a runner's loss, called, cast to, terminated.
 *
 * @internal
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildSpec, ExitReason, type Process, type SupervisorEvent } from "@effect-otp/supervisor"
import * as Entity from "@effect/cluster/Entity"
import type * as Sharding from "@effect/cluster/Sharding"
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ChildStore from "../ChildStore.js"
import * as ClusterError from "../ClusterError.js"
import * as ClusterEvent from "../ClusterEvent.js"
import type * as ClusterKind from "../ClusterKind.js"
import { invalidInput } from "./invalidInput.js"
import { ChildEntity } from "./protocol.js"

type State =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "GaveUp"; readonly kind: string }
  | {
    readonly _tag: "Running"
    readonly kind: ClusterKind.Any
    readonly supervisor: DynamicSupervisor.DynamicSupervisor
    readonly scope: Scope.CloseableScope
    stopping: boolean
  }

const causeText = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return describe(failure.value)
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) return describe(defect.value)
  return "interrupted"
}

const describe = (value: unknown): string =>
  value instanceof Error ? value.message || value.name : typeof value === "string" ? value : JSON.stringify(value)

/** The kinds by name: the same name twice is `InvalidInput`. @internal */
export const kindsByName = (
  kinds: ReadonlyArray<ClusterKind.Any>
): Effect.Effect<ReadonlyMap<string, ClusterKind.Any>, ClusterError.InvalidInput> =>
  Effect.suspend(() => {
    const byName = new Map<string, ClusterKind.Any>()
    for (const kind of kinds) {
      if (byName.has(kind.name)) {
        return Effect.fail(
          new ClusterError.InvalidInput({ id: "*", field: "kinds", issue: `two kinds are named "${kind.name}"` })
        )
      }
      byName.set(kind.name, kind)
    }
    return Effect.succeed(byName)
  })

/** @internal */
export const layer = <R>(
  kinds: ReadonlyMap<string, ClusterKind.Any>,
  options: { readonly maxIdleTime?: Duration.DurationInput | undefined }
) =>
  ChildEntity.toLayer(
    Effect.gen(function*() {
      const address = yield* Entity.CurrentAddress
      const runnerAddress = yield* Entity.CurrentRunnerAddress
      const entityScope = yield* Effect.scope
      const keepAliveContext = yield* Effect.context<Sharding.Sharding | Entity.CurrentAddress>()
      const kindsContext = yield* Effect.context<R>()
      const store = yield* ChildStore.ChildStore
      const events = yield* ClusterEvent.ClusterEvents
      const id = address.entityId
      const runner = `${runnerAddress.host}:${runnerAddress.port}`
      const known = Array.from(kinds.keys())
      let state: State = { _tag: "Idle" }

      const keepAlive = (enabled: boolean) => Entity.keepAlive(enabled).pipe(Effect.provide(keepAliveContext))

      const lookup = (name: string) => {
        const kind = kinds.get(name)
        return kind === undefined
          ? Effect.fail(new ClusterError.UnknownKind({ id, kind: name, known }))
          : Effect.succeed(kind)
      }

      // the child ended for good (terminated, or a normal end its restart type does not restart)
      const release = (running: Extract<State, { _tag: "Running" }>) =>
        Effect.zipRight(Scope.close(running.scope, Exit.void), keepAlive(false))

      const onEvent = (
        running: Extract<State, { _tag: "Running" }>,
        restart: ChildSpec.RestartType
      ) =>
      (event: SupervisorEvent.SupervisorEvent): Effect.Effect<void> => {
        switch (event._tag) {
          case "ChildRestarted":
            return events.publish(
              ClusterEvent.ChildRestarted({ id, kind: running.kind.name, runner, attempt: event.attempt })
            )
          case "RestartPolicyExhausted": {
            if (running.stopping) return Effect.void
            running.stopping = true
            state = { _tag: "GaveUp", kind: running.kind.name }
            return Effect.all([
              store.get(id).pipe(
                Effect.flatMap(Option.match({
                  onNone: () => Effect.void,
                  onSome: (stored) => store.put({ ...stored, status: "gave_up" })
                })),
                Effect.ignoreLogged
              ),
              events.publish(ClusterEvent.ChildGaveUp({ id, kind: running.kind.name, runner })),
              // from outside the child's scope: closing it interrupts this stream
              Effect.forkIn(release(running), entityScope)
            ], { discard: true })
          }
          case "ChildExited": {
            const ended = restart === "temporary" || (restart === "transient" && ExitReason.isNormal(event.reason))
            if (!ended || running.stopping) return Effect.void
            running.stopping = true
            state = { _tag: "Idle" }
            return Effect.all([
              Effect.ignoreLogged(store.remove(id)),
              events.publish(ClusterEvent.ChildStopped({ id, kind: running.kind.name, runner, reason: "exited" })),
              Effect.forkIn(release(running), entityScope)
            ], { discard: true })
          }
          default:
            return Effect.void
        }
      }

      const run = (stored: ChildStore.StoredChild, recovered: boolean) =>
        Effect.gen(function*() {
          const kind = yield* lookup(stored.kind)
          const args = yield* Schema.decodeUnknown(kind.kind.args)(stored.args).pipe(
            Effect.mapError(invalidInput(id, "args"))
          )
          const data = yield* Schema.decodeUnknown(ChildSpec.DataSchema)(stored.spec).pipe(
            Effect.mapError(invalidInput(id, "spec"))
          )
          const scope = yield* Scope.fork(entityScope, ExecutionStrategy.sequential)
          const started = yield* Effect.gen(function*() {
            const supervisor = yield* DynamicSupervisor.start({
              name: `cluster/${id}`,
              restartPolicy: kind.restartPolicy
            })
              .pipe(
                Scope.extend(scope),
                Effect.mapError((error) => new ClusterError.ChildStartFailed({ id, cause: error.message }))
              )
            const running: Extract<State, { _tag: "Running" }> = {
              _tag: "Running",
              kind,
              supervisor,
              scope,
              stopping: false
            }
            yield* DynamicSupervisor.events(supervisor).pipe(
              Stream.runForEach(onEvent(running, data.restart)),
              Effect.forkIn(scope)
            )
            // let the event stream subscribe before the child can exit
            yield* Effect.yieldNow()
            yield* Effect.yieldNow()
            const start = (kind.kind.start as (args: unknown) => Process.Spawn<unknown, unknown, R>)(args)
            yield* DynamicSupervisor.startChild(supervisor, ChildSpec.fromData(data, start)).pipe(
              Effect.provide(kindsContext),
              Effect.catchAllCause((cause) =>
                Effect.fail(new ClusterError.ChildStartFailed({ id, cause: causeText(cause) }))
              )
            )
            return running
          }).pipe(Effect.onError(() => Scope.close(scope, Exit.void)))
          state = started
          yield* store.put({ ...stored, status: "running", runner })
          yield* events.publish(ClusterEvent.ChildStarted({ id, kind: kind.name, runner, recovered }))
        })

      // re-activation: after a runner's loss (or a move of the shard), from the stored spec
      const saved = yield* Effect.orDie(store.get(id))
      if (Option.isSome(saved)) {
        const stored = saved.value
        if (stored.status === "gave_up") {
          state = { _tag: "GaveUp", kind: stored.kind }
        } else if (stored.restart === "temporary") {
          yield* Effect.orDie(store.remove(id))
          yield* events.publish(ClusterEvent.ChildDropped({ id, kind: stored.kind, runner }))
          yield* keepAlive(false)
        } else {
          yield* run(stored, true).pipe(
            Effect.catchAll((error) =>
              Effect.zipRight(
                Effect.logError(`cluster child ${id} could not be restarted on ${runner}: ${error.message}`),
                Effect.ignoreLogged(store.put({ ...stored, status: "gave_up" }))
              ).pipe(Effect.zipRight(keepAlive(false)))
            )
          )
        }
      }

      const current = (kind: string): Effect.Effect<
        { readonly kind: ClusterKind.Any; readonly value: unknown },
        ClusterError.ChildNotFound | ClusterError.ChildGaveUp | ClusterError.UnknownKind | ClusterError.ChildRestarting
      > =>
        Effect.suspend((): Effect.Effect<
          { readonly kind: ClusterKind.Any; readonly value: unknown },
          | ClusterError.ChildNotFound
          | ClusterError.ChildGaveUp
          | ClusterError.UnknownKind
          | ClusterError.ChildRestarting
        > => {
          const now = state
          switch (now._tag) {
            case "Idle":
              return Effect.fail(new ClusterError.ChildNotFound({ id }))
            case "GaveUp":
              return Effect.fail(new ClusterError.ChildGaveUp({ id }))
            case "Running": {
              if (now.kind.name !== kind) {
                return Effect.fail(new ClusterError.UnknownKind({ id, kind, known: [now.kind.name] }))
              }
              return DynamicSupervisor.whichChildren(now.supervisor).pipe(
                Effect.mapError(() => new ClusterError.ChildGaveUp({ id })),
                Effect.flatMap((children) => {
                  const child = children[0]
                  return child === undefined || child.status !== "running" || Option.isNone(child.value)
                    ? Effect.fail(new ClusterError.ChildRestarting({ id }))
                    : Effect.succeed({ kind: now.kind, value: child.value.value })
                })
              )
            }
          }
        })

      return ChildEntity.of({
        Start: ({ payload }) =>
          Effect.gen(function*() {
            if (state._tag === "Running") {
              return yield* Effect.fail(new ClusterError.ChildAlreadyStarted({ id, kind: state.kind.name }))
            }
            const kind = yield* lookup(payload.kind)
            const spec = yield* Schema.decodeUnknown(ChildSpec.DataSchema)(payload.spec).pipe(
              Effect.mapError(invalidInput(id, "spec"))
            )
            yield* run({
              id,
              kind: kind.name,
              args: payload.args,
              spec: payload.spec,
              restart: spec.restart,
              status: "running",
              runner
            }, false)
            yield* keepAlive(true)
          }),
        Call: ({ payload }) =>
          Effect.gen(function*() {
            const { kind, value } = yield* current(payload.kind)
            const request = yield* Schema.decodeUnknown(kind.request)(payload.request).pipe(
              Effect.mapError(invalidInput(id, "request"))
            )
            const exit = yield* Effect.exit(
              (kind.handleCall as (child: unknown, request: unknown) => Effect.Effect<unknown, unknown>)(value, request)
                .pipe(Effect.provide(kindsContext))
            )
            if (Exit.isSuccess(exit)) {
              const encoded = yield* Effect.orDie(Schema.encodeUnknown(kind.reply)(exit.value))
              return { _tag: "Ok" as const, value: encoded }
            }
            const failure = Cause.failureOption(exit.cause)
            if (Option.isSome(failure) && Schema.is(Schema.make<unknown, unknown>(kind.error.ast))(failure.value)) {
              const encoded = yield* Effect.orDie(
                Schema.encodeUnknown(Schema.make<unknown, unknown>(kind.error.ast))(failure.value)
              )
              return { _tag: "Error" as const, error: encoded }
            }
            return yield* Effect.fail(new ClusterError.CallFailed({ id, cause: causeText(exit.cause) }))
          }),
        Cast: ({ payload }) =>
          Effect.gen(function*() {
            const { kind, value } = yield* current(payload.kind)
            const message = yield* Schema.decodeUnknown(Schema.make<unknown, unknown>(kind.cast.ast))(payload.message)
              .pipe(
                Effect.mapError(invalidInput(id, "message"))
              )
            yield* (kind.handleCast as (child: unknown, message: unknown) => Effect.Effect<void, unknown>)(
              value,
              message
            )
              .pipe(
                Effect.provide(kindsContext),
                Effect.catchAllCause((cause) =>
                  Effect.fail(new ClusterError.CallFailed({ id, cause: causeText(cause) }))
                )
              )
          }),
        Terminate: () =>
          Effect.gen(function*() {
            const now = state
            if (now._tag === "Idle") return yield* Effect.fail(new ClusterError.ChildNotFound({ id }))
            state = { _tag: "Idle" }
            if (now._tag === "Running") {
              now.stopping = true
              yield* Scope.close(now.scope, Exit.void)
              yield* events.publish(
                ClusterEvent.ChildStopped({ id, kind: now.kind.name, runner, reason: "terminated" })
              )
            }
            yield* store.remove(id)
            yield* keepAlive(false)
          })
      })
    }),
    {
      disableFatalDefects: true,
      ...(options.maxIdleTime === undefined ? {} : { maxIdleTime: options.maxIdleTime })
    }
  )
