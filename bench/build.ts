/**
 * The benchmarks measure the library as users get it: the packages' compiled output
 * (`npm run build`: packages/*\/build/esm), not tsx's transform of src/ (tsx wraps every
 * function in a `__name` helper, which costs ~150 bytes per closure: ~1.8 KB per idle
 * GenServer, and time). `useBuild()` brings the build up to date (`tsc -b`, incremental)
 * and makes `@effect-otp/*` resolve to it; entries then import the workloads dynamically.
 * `--source` measures src/ through tsx instead.
 */
import * as childProcess from "node:child_process"
import { createRequire, register } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** `true` when the library is measured from src/ through tsx (`--source`). */
export const fromSource = process.argv.includes("--source")

/** Node flags that make a child process resolve the library the same way. */
export const libraryFlags: ReadonlyArray<string> = fromSource
  ? ["--import", "tsx"]
  : ["--import", "tsx", "--import", path.join(root, "bench", "use-build.mjs")]

export const useBuild = (): void => {
  if (fromSource) return
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  const result = childProcess.spawnSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit"
  })
  if (result.status !== 0) {
    throw new Error("`tsc -b tsconfig.build.json` failed: fix the build, or measure src/ through tsx with --source")
  }
  register("./build-hooks.mjs", import.meta.url)
}

/** What the library side runs, for the report. */
export const librarySource = (): string =>
  fromSource ? "src/ through tsx (--source)" : "the compiled packages (packages/*/build/esm, rebuilt by the run)"
