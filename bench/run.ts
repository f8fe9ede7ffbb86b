/**
 * `npm run bench` (full) and `npm run bench -- --quick` (smoke check, under a minute);
 * see suite.ts. The library is measured from its compiled build (see build.ts).
 */
import { useBuild } from "./build.js"

useBuild()
await import("./suite.js")
