// `node --import tsx --import ./bench/use-build.mjs ...`: `@effect-otp/*` resolves to the
// compiled packages (see build.ts; the caller has built them).
import { register } from "node:module"

register("./build-hooks.mjs", import.meta.url)
