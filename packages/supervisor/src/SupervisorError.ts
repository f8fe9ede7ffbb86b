/**
 * The typed errors of supervisors, one class per case of OTP's `{error, Reason}`.
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import { formatDuration } from "./internal/duration.js"
import { summarizeCause } from "./internal/report.js"
import type * as Process from "./Process.js"

/**
 * A child spec or supervisor option is invalid; `message` names the field and the value.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidChildSpec extends Data.TaggedError("InvalidChildSpec")<{
  readonly id: string
  readonly message: string
}> {}

/**
 * The supervisor's options are invalid; `message` names the option and the value.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidOptions extends Data.TaggedError("InvalidOptions")<{
  readonly message: string
}> {}

/**
 * Two children of one supervisor have the same id (OTP `duplicate_child_name`).
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateChildId extends Data.TaggedError("DuplicateChildId")<{
  readonly id: string
}> {
  get message() {
    return `two children have the id "${this.id}"`
  }
}

/**
 * OTP's `already_started`, with the process that is running: a child with this `id`
 * exists and is running, or (with `registryName`) the start of child `id` found its registry
 * name held by `process`. A start outside a supervisor that finds its name held fails
 * with `id` equal to `registryName`. `Supervisor.startChild` and `DynamicSupervisor.startChild`
 * fail with it as is (not wrapped in `StartFailed`), as OTP's `start_child` returns
 * `{error, {already_started, Pid}}` as is; at a supervisor's start it is the cause of the
 * `StartFailed` (OTP's `{shutdown, {failed_to_start_child, Id, {already_started, Pid}}}`).
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { SupervisorError } from "@effect-otp/supervisor"
 *
 * const describe = (error: SupervisorError.AlreadyStarted) =>
 *   error.registryName === undefined
 *     ? Effect.log(`child ${error.id} runs as ${error.process}`)
 *     : Effect.log(`child ${error.id}: the name ${error.registryName} is held by ${error.process}`)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyStarted extends Data.TaggedError("AlreadyStarted")<{
  readonly id: string
  readonly process: Process.ProcessRef
  /** The registry name that was held (a name clash); absent for a child id that runs. @since 0.3.0 */
  readonly registryName?: string | undefined
}> {
  get message() {
    if (this.registryName === undefined) return `child "${this.id}" is already started as ${this.process}`
    if (this.registryName === this.id) return `the name "${this.registryName}" is already held by ${this.process}`
    return `child "${this.id}" could not take the name "${this.registryName}": it is held by ${this.process}`
  }
}

/**
 * A child with this id exists but is not running (OTP `already_present`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyPresent extends Data.TaggedError("AlreadyPresent")<{
  readonly id: string
}> {
  get message() {
    return `child "${this.id}" is already present (not running)`
  }
}

/**
 * No child has this id (OTP `not_found`).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Data.TaggedError("NotFound")<{
  readonly id: string
}> {
  get message() {
    return `no child "${this.id}"`
  }
}

/**
 * The operation needs the child to be stopped, and it is running (OTP `running`).
 *
 * @since 0.1.0
 * @category errors
 */
export class Running extends Data.TaggedError("Running")<{
  readonly id: string
}> {
  get message() {
    return `child "${this.id}" is running`
  }
}

/**
 * The operation needs the child to be stopped, and the supervisor is restarting it (OTP
 * `restarting`).
 *
 * @since 0.1.0
 * @category errors
 */
export class Restarting extends Data.TaggedError("Restarting")<{
  readonly id: string
}> {
  get message() {
    return `child "${this.id}" is being restarted`
  }
}

/**
 * A child's start failed; `cause` is why. At boot this fails the supervisor's start
 * (OTP `{shutdown, {failed_to_start_child, Id, Reason}}`).
 *
 * @since 0.1.0
 * @category errors
 */
export class StartFailed extends Data.TaggedError("StartFailed")<{
  readonly id: string
  readonly cause: Cause.Cause<unknown>
}> {
  get message() {
    return `child "${this.id}" failed to start: ${summarizeCause(this.cause)}`
  }
}

/**
 * The supervisor is not running (it gave up, or was stopped): OTP's `noproc`.
 *
 * @since 0.1.0
 * @category errors
 */
export class SupervisorStopped extends Data.TaggedError("SupervisorStopped")<{}> {
  get message() {
    return "the supervisor is not running"
  }
}

/**
 * A dynamic supervisor already has `maxChildren` children (children being restarted
 * count): OTP `max_children`.
 *
 * @since 0.1.0
 * @category errors
 */
export class MaxChildren extends Data.TaggedError("MaxChildren")<{
  readonly maxChildren: number
}> {
  get message() {
    return `the supervisor already has its maximum of ${this.maxChildren} children`
  }
}

/**
 * A start took longer than the child's `startTimeout`: it was interrupted. Found as the
 * failure in `StartFailed`'s cause.
 *
 * @since 0.1.0
 * @category errors
 */
export class StartTimeout extends Data.TaggedError("StartTimeout")<{
  readonly id: string
  readonly timeout: Duration.Duration
}> {
  get message() {
    return `child "${this.id}" did not start within ${formatDuration(this.timeout)}`
  }
}

/**
 * A supervisor gave up: `childId` needed more restarts than the restart policy allows
 * (OTP's `reached_max_restart_intensity`). The supervisor stopped its children and exited
 * with `Shutdown`, as in OTP; `Supervisor.join` and `Supervisor.run` fail with this error, so an application run with `NodeRuntime.runMain` exits
 * with code 1.
 *
 * **Example**
 *
 * ```ts
 * import { Effect } from "effect"
 * import { SupervisorError } from "@effect-otp/supervisor"
 *
 * const error = new SupervisorError.GaveUp({ supervisor: "app", childId: "worker" })
 * const program = Effect.log(error.message)
 * // supervisor "app" gave up: "worker" needed more restarts than its restart policy allows
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export class GaveUp extends Data.TaggedError("GaveUp")<{
  /** The supervisor's path (`app/db`). */
  readonly supervisor: string
  readonly childId: string
}> {
  get message() {
    return `supervisor "${this.supervisor}" gave up: "${this.childId}" needed more restarts than its restart policy allows`
  }
  toString() {
    return `GaveUp: ${this.message}`
  }
}
