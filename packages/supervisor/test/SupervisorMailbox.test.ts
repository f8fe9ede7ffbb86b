import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { isCall, SupervisorMailboxImpl } from "../src/internal/supervisorMailbox.js"

type Message = { readonly _tag: "Note"; readonly text: string }

const note = (text: string): Message => ({ _tag: "Note", text })

/** A loop that records the notes it handles and runs the calls. */
const makeLoop = (mailbox: SupervisorMailboxImpl<Message>, seen: Array<string>) => {
  const loop: Effect.Effect<never> = Effect.flatMap(
    Effect.suspend(() => {
      const message = mailbox.take()
      if (message === undefined) return mailbox.park
      if (isCall(message)) return message.run
      return Effect.sync(() => seen.push(message.text))
    }),
    () => loop
  )
  return loop
}

describe("SupervisorMailbox", () => {
  it.effect("messages in order, offerFirst before the others; calls run in the loop and answer", () =>
    Effect.gen(function*() {
      const mailbox = new SupervisorMailboxImpl<Message>()
      const seen: Array<string> = []
      mailbox.offer(note("b"))
      mailbox.offerFirst(note("a"))
      const answer = yield* Effect.fork(mailbox.call(Effect.sync(() => seen.length)))
      const loop = yield* Effect.fork(makeLoop(mailbox, seen))
      assert.strictEqual(yield* Fiber.join(answer), 2, "the call ran after the two notes")
      assert.deepStrictEqual(seen, ["a", "b"])
      yield* Effect.yieldNow()
      assert.isTrue(mailbox.idle)
      yield* Fiber.interrupt(loop)
    }))

  it.effect("held: what arrives waits until release", () =>
    Effect.gen(function*() {
      const mailbox = new SupervisorMailboxImpl<Message>()
      const seen: Array<string> = []
      const loop = yield* Effect.fork(makeLoop(mailbox, seen))
      yield* Effect.yieldNow()
      mailbox.hold()
      assert.isFalse(mailbox.idle)
      mailbox.offer(note("later"))
      yield* Effect.repeatN(Effect.yieldNow(), 5)
      assert.deepStrictEqual(seen, [])
      mailbox.release()
      yield* Effect.repeatN(Effect.yieldNow(), 5)
      assert.deepStrictEqual(seen, ["later"])
      yield* Fiber.interrupt(loop)
    }))

  it.effect("closed: pending calls and new ones fail with SupervisorStopped; offers are dropped", () =>
    Effect.gen(function*() {
      const mailbox = new SupervisorMailboxImpl<Message>()
      const pending = yield* Effect.fork(Effect.either(mailbox.call(Effect.succeed(1))))
      yield* Effect.yieldNow()
      mailbox.close()
      mailbox.offer(note("dropped"))
      yield* mailbox.answerPending
      const result = yield* Fiber.join(pending)
      assert.isTrue(result._tag === "Left" && result.left._tag === "SupervisorStopped")
      const late = yield* Effect.either(mailbox.call(Effect.succeed(2)))
      assert.isTrue(late._tag === "Left" && late.left._tag === "SupervisorStopped")
      assert.strictEqual(mailbox.take(), undefined)
      assert.isFalse(mailbox.alive)
    }))

  it.effect("offerAfter: offered when the clock reaches the delay, not if canceled", () =>
    Effect.gen(function*() {
      const mailbox = new SupervisorMailboxImpl<Message>()
      const seen: Array<string> = []
      const loop = yield* Effect.fork(makeLoop(mailbox, seen))
      yield* mailbox.offerAfter("1 second", note("timer"))
      const cancel = yield* mailbox.offerAfter("1 second", note("canceled"))
      cancel()
      yield* TestClock.adjust("999 millis")
      assert.deepStrictEqual(seen, [])
      yield* TestClock.adjust("1 millis")
      yield* Effect.repeatN(Effect.yieldNow(), 5)
      assert.deepStrictEqual(seen, ["timer"])
      yield* Fiber.interrupt(loop)
    }))
})
