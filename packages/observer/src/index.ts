/**
 * @since 0.1.0
 */
export * as Observer from "./Observer.js"

/**
 * @since 0.1.0
 */
export * as ObserverError from "./ObserverError.js"

/**
 * @since 0.3.0
 */
export * as ObserverSource from "./ObserverSource.js"
