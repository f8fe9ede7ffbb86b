/**
 * Timers on Effect's `Clock` for call timeouts and shutdown deadlines, cheap enough for one
 * per call.
 *
 * Every clock gets one {@link ClockTimers}: one list of timers per duration (a list's
 * deadlines never decrease, so only its head is ever due first) and one sleeper fiber,
 * asleep through `clock.sleep` until the earliest deadline. Scheduling or cancelling a
 * timer is a list operation; the sleeper is re-armed only when a timer is due before it
 * wakes, so a steady stream of calls with a 5 s timeout costs one wake-up every ~5 s. The
 * sleepers are forked in a scope that this module owns (made on first use), and only
 * through Effect's public API: the clock's `sleep`, `Effect.runFork` with that scope.
 *
 * A sleeper holds a real timer on Effect's live clock, which keeps Node running: once no
 * timer of its clock is left, an idle check (on Effect's `Scheduler.timer(0)`, after the
 * work queued now has run) interrupts it, so that a program that has finished its calls
 * is not kept alive until their timeouts would have passed.
 */
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Scheduler from "effect/Scheduler"
import * as Scope from "effect/Scope"

/**
 * Cancels a timer (no effect once it has fired).
 * @internal
 */
export type Cancel = () => void

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

/** The scope of every sleeper: the module's own, made on first use and never closed. */
let sleepers: Scope.CloseableScope | undefined = undefined

const sleeperScope = (): Scope.CloseableScope => {
  if (sleepers === undefined) sleepers = Effect.runSync(Scope.make())
  return sleepers
}

/** Runs the idle checks once the work queued now has run (a macrotask, on Effect's scheduler). */
let idleScheduler: Scheduler.Scheduler | undefined = undefined

const scheduleIdleCheck = (check: () => void): void => {
  if (idleScheduler === undefined) idleScheduler = Scheduler.timer(0)
  idleScheduler.scheduleTask(check, 0)
}

/**
 * The timers of one clock: one list per duration and one fiber sleeping (through
 * `clock.sleep`) until the earliest deadline. One sleeper for all timers also matters on
 * TestClock, which keeps every sleep it was asked for (even interrupted ones) and pays a
 * real macrotask per sleep when time moves.
 */
class ClockTimers {
  readonly lists = new Map<number, TimerList>()
  wakeAt = Infinity
  generation = 0
  sleeper: Fiber.RuntimeFiber<void> | undefined = undefined
  idleCheckPending = false
  /** Timers scheduled and neither fired nor cancelled. */
  pending = 0
  /** Timers scheduled since the last idle check: a clock that is busy keeps its sleeper. */
  scheduled = 0
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
    this.pending++
    this.scheduled++
    if (deadline < this.wakeAt) this.arm(deadline)
    return () => {
      const list = node.list
      if (list === undefined) return
      list.remove(node)
      // An empty list stays in `lists` until the next idle check or wake-up: deleting and
      // adding it again for every call one after another costs ~25 % of a call.
      if (--this.pending === 0 && this.sleeper !== undefined && !this.idleCheckPending) {
        this.idleCheckPending = true
        scheduleIdleCheck(this.idleCheck)
      }
    }
  }

  /** Lets the empty lists go. */
  sweep() {
    for (const list of this.lists.values()) {
      if (list.head === undefined) this.lists.delete(list.millis)
    }
  }

  /**
   * No timer left, and none scheduled since the last check: the sleeper is stopped (it
   * would hold a real timer for nothing). A clock in use (calls one after another, each
   * with its timeout) keeps its sleeper instead of stopping and forking one per timer.
   */
  readonly idleCheck = (): void => {
    this.idleCheckPending = false
    const busy = this.scheduled > 0
    this.scheduled = 0
    if (this.pending > 0) return
    if (!busy) {
      this.lists.clear()
      return this.disarm()
    }
    this.sweep()
    this.idleCheckPending = true
    scheduleIdleCheck(this.idleCheck)
  }

  disarm() {
    this.generation++
    this.wakeAt = Infinity
    const sleeper = this.sleeper
    if (sleeper !== undefined) {
      this.sleeper = undefined
      sleeper.unsafeInterruptAsFork(FiberId.none)
    }
  }

  arm(deadline: number) {
    this.disarm()
    const generation = this.generation
    this.wakeAt = deadline
    const delay = Math.max(0, deadline - this.clock.unsafeCurrentTimeMillis())
    const fiber = Effect.runFork(
      Effect.flatMap(this.clock.sleep(Duration.millis(delay)), () =>
        Effect.sync(() => {
          if (this.generation !== generation) return
          this.sleeper = undefined
          this.fire(deadline)
        })),
      { scope: sleeperScope() }
    )
    if (this.generation === generation && fiber.unsafePoll() === null) this.sleeper = fiber
  }

  /**
   * Runs the timers due. The sleeper asked to wake at `armedFor`: what is due then is due,
   * even if the clock reads a hair earlier (a fractional delay added to the clock's time
   * may round below the deadline, and re-arming for the difference would never end).
   */
  fire(armedFor: number) {
    this.wakeAt = Infinity
    const now = Math.max(this.clock.unsafeCurrentTimeMillis(), armedFor)
    let next = Infinity
    for (const list of this.lists.values()) {
      let node = list.head
      while (node !== undefined && node.deadline <= now) {
        list.remove(node)
        this.pending--
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
 * Runs `task` after `duration` on `clock` (see the module's description).
 * @internal
 */
export const schedule = (clock: Clock.Clock, duration: Duration.Duration, task: () => void): Cancel => {
  let timers = clockTimers.get(clock)
  if (timers === undefined) {
    timers = new ClockTimers(clock)
    clockTimers.set(clock, timers)
  }
  return timers.schedule(duration, task)
}

/**
 * The timers of `clock`, if any was scheduled on it (for tests).
 * @internal
 */
export const timersOf = (clock: Clock.Clock): ClockTimers | undefined => clockTimers.get(clock)
