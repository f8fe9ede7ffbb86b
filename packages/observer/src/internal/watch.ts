/**
 * What `watch` shows: a supervisor (with every supervisor under it), its events feeding
 * the observer's state, or a source; each checked first.
 *
 * @internal
 */
import * as DynamicSupervisor from "@effect-otp/dynamic-supervisor/DynamicSupervisor"
import * as Supervisor from "@effect-otp/supervisor/Supervisor"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Observer from "../Observer.js"
import * as ObserverError from "../ObserverError.js"
import * as ObserverSource from "../ObserverSource.js"
import { defaultIntensity, frame, type Handle, type Intensity, type State } from "./model.js"
import { showValue } from "./showValue.js"
import { checkSource } from "./source.js"
import { watchSource } from "./watchSource.js"

const decodeIntensity = (options: unknown): Option.Option<Intensity> => {
  if (typeof options !== "object" || options === null) return Option.none()
  const maxRestarts = "maxRestarts" in options ? options.maxRestarts : undefined
  const within = Duration.decodeUnknown("within" in options ? options.within : undefined)
  return typeof maxRestarts === "number" && Number.isInteger(maxRestarts) && maxRestarts >= 0 && Option.isSome(within)
    ? Option.some({ maxRestarts, withinMillis: Duration.toMillis(within.value) })
    : Option.none()
}

const supervisorEvents = (supervisor: Handle) =>
  Supervisor.isSupervisor(supervisor)
    ? Supervisor.events(supervisor, { subtree: true })
    : DynamicSupervisor.events(supervisor, { subtree: true })

/** The `watch` of an observer whose state is `state`. @internal */
export const makeWatch = (
  state: State,
  frames: PubSub.PubSub<string>,
  dirty: Queue.Queue<void>
) =>
(
  supervisor: Observer.Watchable,
  options: Observer.WatchOptions = {}
): Effect.Effect<void, ObserverError.InvalidOptions, Scope.Scope> =>
  Effect.gen(function*() {
    const given = options.intensity
    if (options.label !== undefined && typeof options.label !== "string") {
      return yield* new ObserverError.InvalidOptions({
        message: `label: expected a string, got ${showValue(options.label)}`
      })
    }
    if (typeof supervisor === "object" && supervisor !== null && "snapshots" in supervisor) {
      const issue = checkSource(supervisor)
      if (issue !== undefined || !ObserverSource.isSource(supervisor)) {
        return yield* new ObserverError.InvalidOptions({ message: `watch: the source's ${issue}` })
      }
      return yield* watchSource(state, frames, dirty, supervisor, options.label ?? null)
    }
    if (!Supervisor.isSupervisor(supervisor) && !DynamicSupervisor.isDynamicSupervisor(supervisor)) {
      return yield* new ObserverError.InvalidOptions({
        message: `watch: expected a running Supervisor or DynamicSupervisor, or an ObserverSource.Source, got ${
          showValue(supervisor)
        }`
      })
    }
    if (given !== undefined && typeof given !== "function" && Option.isNone(decodeIntensity(given))) {
      return yield* new ObserverError.InvalidOptions({
        message: `intensity: expected { maxRestarts: a whole number >= 0, within: a duration }, got ${showValue(given)}`
      })
    }
    // a function's answer that is no intensity falls back to the default
    const intensity = (path: string): Intensity =>
      Option.getOrElse(
        decodeIntensity(typeof given === "function" ? given(path) : given),
        () => defaultIntensity
      )
    const handle: Handle = supervisor
    const id = yield* Effect.acquireRelease(
      Effect.sync(() => state.watch(handle, intensity, options.label ?? null)),
      (id) => Effect.zipRight(Effect.sync(() => state.unwatch(id)), Queue.offer(dirty, undefined))
    )
    yield* Effect.forkScoped(
      supervisorEvents(supervisor).pipe(
        Stream.runForEach((event) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.zipRight(
              PubSub.publish(frames, frame("event", state.record(event, now))),
              Queue.offer(dirty, undefined)
            ))
        )
      )
    )
    yield* Queue.offer(dirty, undefined)
    return id
  }).pipe(Effect.asVoid)
