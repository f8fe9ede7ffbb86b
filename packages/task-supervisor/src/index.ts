/**
 * Supervised one-off tasks with results (Elixir's `Task.Supervisor`).
 *
 * @since 0.1.0
 */
export * as TaskSupervisor from "./TaskSupervisor.js"

/**
 * A task started by a task supervisor: await its result, yield, shut it down (Elixir's `Task`).
 *
 * @since 0.1.0
 */
export * as Task from "./Task.js"
