/**
 * The process implementation, one concept per module under process/, for the modules
 * that use it: the process (processImpl), its fibers (fiber), its `Self` tag (self), a
 * start's outcome (starting), spawns (spawn), and the processes still running (running).
 * The declarations of the public `Process` module are in process/models, constructors,
 * signals, monitor and run.
 */
export { classify, exitFiberId, killFiberId, shutdownFiberId } from "./exitReason.js"
export type { Origin } from "./process/fiber.js"
export type { Started } from "./process/models.js"
export { ProcessImpl } from "./process/processImpl.js"
export { Self } from "./process/self.js"
export type { SpawnImpl } from "./process/spawn.js"
export { StartIgnored, StartingImpl } from "./process/starting.js"

/** @internal */
export { addFinalizer, hibernate, isHibernation, originOf, resume, startHibernated } from "./process/fiber.js"
/** @internal */
export { trackProcesses } from "./process/running.js"
/** @internal */
export { isSpawn, makeSpawn, spawnEffect, spawnFailure, spawnWithInit, startWithInit } from "./process/spawn.js"
/** @internal */
export { ignored, ignoreEffect } from "./process/starting.js"
