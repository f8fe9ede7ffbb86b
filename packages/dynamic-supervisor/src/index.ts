/**
 * A supervisor whose children are started at run time.
 *
 * @since 0.1.0
 */
export * as DynamicSupervisor from "./DynamicSupervisor.js"
