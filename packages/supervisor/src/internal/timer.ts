/**
 * Timers on Effect's `Clock` for call timeouts, cheap enough for one per call.
 */
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"

/**
 * Cancels a timer (no effect once it has fired).
 * @internal
 */
export type Cancel = () => void

/**
 * The `ClockScheduler` of Effect's live clock (`scheduler()` is part of Effect's clock
 * implementation, not of the `Clock` interface), or `null` for other clocks (TestClock).
 */
const schedulers = new WeakMap<Clock.Clock, Clock.ClockScheduler | null>()

const schedulerOf = (clock: Clock.Clock): Clock.ClockScheduler | null => {
  let scheduler = schedulers.get(clock)
  if (scheduler === undefined) {
    const candidate = (clock as unknown as { readonly scheduler?: unknown }).scheduler
    scheduler = typeof candidate === "function"
      ? Effect.runSync(candidate.call(clock) as Effect.Effect<Clock.ClockScheduler>)
      : null
    schedulers.set(clock, scheduler)
  }
  return scheduler
}

class TimerNode {
  prev: TimerNode | undefined = undefined
  next: TimerNode | undefined = undefined
  constructor(readonly deadline: number, readonly task: () => void, public list: TimerList | undefined) {}
}

/** Timers of one duration: their deadlines never decrease from head to tail. */
class TimerList {
  head: TimerNode | undefined = undefined
  tail: TimerNode | undefined = undefined
  constructor(readonly millis: number) {}
  append(node: TimerNode) {
    node.prev = this.tail
    if (this.tail === undefined) this.head = node
    else this.tail.next = node
    this.tail = node
  }
  remove(node: TimerNode) {
    if (node.prev === undefined) this.head = node.next
    else node.prev.next = node.next
    if (node.next === undefined) this.tail = node.prev
    else node.next.prev = node.prev
    node.prev = node.next = node.list = undefined
  }
}

/**
 * The timers of one clock that has no `ClockScheduler` (TestClock): one list per
 * duration and one fiber sleeping (through `clock.sleep`) until the earliest deadline.
 * One sleeper for all timers matters on TestClock, which keeps every sleep it was asked
 * for (even interrupted ones) and pays a real macrotask per sleep when time moves.
 */
class ClockTimers {
  readonly lists = new Map<number, TimerList>()
  wakeAt = Infinity
  generation = 0
  sleeper: Fiber.RuntimeFiber<void> | undefined = undefined
  constructor(readonly clock: Clock.Clock) {}

  schedule(duration: Duration.Duration, task: () => void): Cancel {
    const millis = Duration.toMillis(duration)
    const deadline = this.clock.unsafeCurrentTimeMillis() + millis
    let list = this.lists.get(millis)
    if (list === undefined) {
      list = new TimerList(millis)
      this.lists.set(millis, list)
    }
    const node = new TimerNode(deadline, task, list)
    list.append(node)
    if (deadline < this.wakeAt) this.arm(deadline)
    return () => {
      const list = node.list
      if (list === undefined) return
      list.remove(node)
      if (list.head === undefined && this.lists.get(list.millis) === list) this.lists.delete(list.millis)
    }
  }

  arm(deadline: number) {
    const generation = ++this.generation
    if (this.sleeper !== undefined) {
      this.sleeper.unsafeInterruptAsFork(FiberId.none)
      this.sleeper = undefined
    }
    this.wakeAt = deadline
    const delay = Math.max(0, deadline - this.clock.unsafeCurrentTimeMillis())
    const fiber = Effect.runFork(Effect.flatMap(this.clock.sleep(Duration.millis(delay)), () =>
      Effect.sync(() => {
        if (this.generation !== generation) return
        this.sleeper = undefined
        this.fire()
      })))
    if (this.generation === generation && fiber.unsafePoll() === null) this.sleeper = fiber
  }

  fire() {
    this.wakeAt = Infinity
    const now = this.clock.unsafeCurrentTimeMillis()
    let next = Infinity
    for (const list of this.lists.values()) {
      let node = list.head
      while (node !== undefined && node.deadline <= now) {
        list.remove(node)
        node.task()
        node = list.head
      }
      if (node === undefined) this.lists.delete(list.millis)
      else if (node.deadline < next) next = node.deadline
    }
    if (next < this.wakeAt) this.arm(next)
  }
}

const clockTimers = new WeakMap<Clock.Clock, ClockTimers>()

/**
 * Runs `task` after `duration` on `clock`. With Effect's live clock this is one timer of
 * its `ClockScheduler` (no fiber); with any other clock (TestClock), a shared
 * {@link ClockTimers}.
 * @internal
 */
export const schedule = (clock: Clock.Clock, duration: Duration.Duration, task: () => void): Cancel => {
  const scheduler = schedulerOf(clock)
  if (scheduler !== null) {
    // its cancel token returns a boolean, which no caller reads
    return scheduler.unsafeSchedule(task, duration)
  }
  let timers = clockTimers.get(clock)
  if (timers === undefined) {
    timers = new ClockTimers(clock)
    clockTimers.set(clock, timers)
  }
  return timers.schedule(duration, task)
}
