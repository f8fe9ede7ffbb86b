// Resolve hooks (see build.ts): `@effect-otp/*` resolves to the packages' compiled output
// (packages/*/build/esm, as published), not to src/ through tsx. BENCH_LIBRARY_ROOT
// points at another tree with the same layout (e.g. a patched copy of the build, to
// measure a change before making it in src/; keep it under the repository so that
// `effect` resolves).
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = process.env.BENCH_LIBRARY_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

export const resolve = (specifier, context, next) => {
  const match = /^@effect-otp\/([a-z-]+)(?:\/(.+))?$/.exec(specifier)
  // the private test helpers have no build: they run from their sources
  if (match === null || match[1] === "test-utils") return next(specifier, context)
  const file = path.join(root, "packages", match[1], "build", "esm", `${match[2] ?? "index"}.js`)
  return { url: pathToFileURL(file).href, shortCircuit: true }
}
