/**
 * The one place where the test helpers reach into @effect-otp/supervisor's internals
 * (which its package exports hide): the hooks that list the processes still running and
 * the registries made. When those internals move, only these imports change.
 */
export { trackProcesses } from "../../supervisor/src/internal/process.js"
export { trackRegistries } from "../../supervisor/src/internal/registry.js"
