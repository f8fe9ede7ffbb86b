/**
 * The 1,000,000-children spawn of the full run (`npm run bench`), in a child process with a
 * larger heap, started by suite.ts with the flags that resolve the library as the parent
 * does (see build.ts); prints one raw and one library sample as JSON.
 */
import { gc } from "./harness.js"
import { librarySample, rawSample } from "./spawn.js"

const n = Number(process.argv[2])
const raw = await rawSample(n)
gc()
const library = await librarySample("genserver", n)
process.stdout.write(JSON.stringify({ raw, library }))
