/**
 * A start's outcome: started (the process and its value) or declined (OTP `ignore`), and
 * a start under way, whose outcome is known once `init` has ended.
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Process from "../../Process.js"
import type { Started } from "./models.js"
import type { ProcessImpl } from "./processImpl.js"

/**
 * A start that declines (OTP `ignore`).
 * Not part of the public API: public modules re-export it.
 */
export class StartIgnored extends Data.TaggedError("StartIgnored")<{}> {
  get message() {
    return "the start declined (ignore)"
  }
}

/** @internal */
export const ignored: StartIgnored = new StartIgnored()

/** @internal */
export const ignoreEffect: Effect.Effect<never, StartIgnored> = Effect.fail(ignored)

/**
 * A start under way: its outcome once known (`poll`), and a wait for it (`await`). An
 * interrupted wait stops the process being started.
 */
export class StartingImpl<A, E> implements Process.Starting<A, E> {
  exit: Exit.Exit<Started<A>, E> | undefined = undefined
  private waiters: Array<(exit: Exit.Exit<Started<A>, E>) => void> | undefined = undefined
  /** The process to interrupt when a wait is interrupted. */
  process: ProcessImpl | undefined = undefined

  done(exit: Exit.Exit<Started<A>, E>): void {
    if (this.exit !== undefined) return
    this.exit = exit
    const waiters = this.waiters
    this.waiters = undefined
    if (waiters !== undefined) { for (const resume of waiters) resume(exit) }
  }

  get poll(): Option.Option<Exit.Exit<Started<A>, E>> {
    return Option.fromNullable(this.exit)
  }

  get await(): Effect.Effect<Started<A>, E> {
    return this.exit !== undefined ? this.exit : Effect.async<Started<A>, E>((resume) => {
      // the start may have ended between this effect's making and its running
      if (this.exit !== undefined) return resume(this.exit)
      if (this.waiters === undefined) this.waiters = []
      this.waiters.push(resume)
      return Effect.suspend(() => {
        if (this.waiters !== undefined) this.waiters = this.waiters.filter((waiter) => waiter !== resume)
        const process = this.process
        return process === undefined ? Effect.void : Effect.fiberIdWith((id) => process.interruptAs(id))
      })
    })
  }
}
