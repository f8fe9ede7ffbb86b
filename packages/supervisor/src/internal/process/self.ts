/**
 * The running process, as its own body reads it.
 */
import * as Context from "effect/Context"
import type * as Process from "../../Process.js"

/**
 * The running process, available to its own body.
 * Not part of the public API: public modules re-export it.
 */
export class Self extends Context.Tag("@effect-otp/supervisor/Process/Self")<Self, Process.ProcessRef>() {}
