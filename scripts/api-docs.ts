// Generates the API reference, docs/api/, from the JSDoc of the public modules
// (packages/<public package>/src/<Module>.ts, index.ts and internal/ excluded, as in check-examples.ts).
//
//   npm run docs:api                  writes docs/api/ (and removes stale pages from it)
//   npm run docs:api -- --check       fails, listing the stale files, if docs/api/ is not up to date
//   npm run docs:api -- --verbose     also lists the exports without a description or an @category
//
// Output:
// - docs/api/<package dir>/<Module>.md: the module's description (its first JSDoc comment), then its
//   exports grouped by `@category` (categories sorted, exports sorted by name), each with its kind, its
//   `@since`, its JSDoc text, its declaration (bodies and private members left out; a type the source
//   does not write is printed by the type checker) and its `**Example**` section. Code blocks are fenced
//   as ```ts no-check: the examples are type-checked from the sources by check-examples.ts.
//   `{@link name}` and `{@link Module.name}` become links to the export's heading. A name the module
//   re-exports without documenting it (`export { start } from "./internal/supervisor/lifecycle.js"`) is
//   documented from its declaration: its JSDoc, its declaration, and its links as named where it is declared.
// - docs/api/README.md: the packages and their modules, with the first paragraph of each module's
//   description.
//
// The output depends only on the sources (sorted, no timestamps). Exports marked `@internal` are left out.
//
// scripts/api-docs/: program.ts (the modules and the program), doc.ts (JSDoc text and tags),
// declarations.ts (declarations as shown), collect.ts (a page's entries), markdown.ts (the pages).
import * as fs from "node:fs"
import * as path from "node:path"
import { collectModule } from "./api-docs/collect.js"
import { assignAnchors, renderIndex, renderModule, unresolvedLinks } from "./api-docs/markdown.js"
import { modules, started } from "./api-docs/program.js"
import { root, toPosix, walk } from "./jsdoc.js"

const apiDir = path.join(root, "docs", "api")
const args = new Set(process.argv.slice(2))
const checkMode = args.has("--check")
const verbose = args.has("--verbose")
for (const arg of args) {
  if (arg !== "--check" && arg !== "--verbose") {
    console.error(`api-docs: unknown argument ${arg} (usage: tsx scripts/api-docs.ts [--check] [--verbose])`)
    process.exit(2)
  }
}

// -----------------------------------------------------------------------------
// Main
// -----------------------------------------------------------------------------

const docs = modules.map(collectModule)
for (const module of docs) assignAnchors(module)
const docsByFile = new Map(docs.map((module) => [path.resolve(module.info.file), module]))

const generated = new Map<string, string>([["README.md", renderIndex(docs)]])
for (const module of docs) generated.set(module.info.page, renderModule(module, docsByFile))

const existing = walk(apiDir, (file) => file.endsWith(".md")).map((file) => toPosix(path.relative(apiDir, file)))

/** The pages that differ from what is generated, and why. */
const stale = new Map<string, "missing" | "out of date" | "not generated">()
for (const [page, text] of generated) {
  const file = path.join(apiDir, page)
  if (!fs.existsSync(file)) stale.set(page, "missing")
  else if (fs.readFileSync(file, "utf8") !== text) stale.set(page, "out of date")
}
for (const page of existing) if (!generated.has(page)) stale.set(page, "not generated")
const stalePages = Array.from(stale.keys()).sort()

const entries = docs.flatMap((module) => module.entries.map((entry) => ({ module, entry })))
const undescribed = entries.filter(({ entry }) => entry.description.length === 0)
const uncategorized = entries.filter(({ entry }) => entry.category === undefined)
const elapsed = () => Math.round(performance.now() - started)
const counts = `${docs.length} modules, ${entries.length} exports` +
  (undescribed.length > 0 ? `, ${undescribed.length} without a description` : "") +
  (uncategorized.length > 0 ? `, ${uncategorized.length} without @category` : "")
if (verbose) {
  for (const { entry, module } of undescribed) {
    console.log(`${toPosix(path.relative(root, module.info.file))}: ${entry.name} (${entry.kind}) has no description`)
  }
  for (const { entry, module } of uncategorized) {
    console.log(`${toPosix(path.relative(root, module.info.file))}: ${entry.name} (${entry.kind}) has no @category`)
  }
  for (const target of Array.from(new Set(unresolvedLinks)).sort()) {
    console.log(`{@link ${target}} does not point at a public export: written as code`)
  }
}

const relativeApiDir = toPosix(path.relative(root, apiDir))
if (checkMode) {
  if (stalePages.length > 0) {
    for (const page of stalePages) console.error(`${relativeApiDir}/${page}: ${stale.get(page)}`)
    console.error(
      `\napi-docs: ${stalePages.length} stale files in ${relativeApiDir} (${counts}; ${elapsed()} ms): ` +
        "run `npm run docs:api`"
    )
    process.exit(1)
  }
  console.log(`api-docs: ok, ${relativeApiDir} is up to date (${counts}; ${elapsed()} ms)`)
} else {
  for (const page of stalePages) {
    const file = path.join(apiDir, page)
    if (generated.has(page)) {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, generated.get(page)!)
    } else {
      fs.rmSync(file)
    }
  }
  console.log(
    `api-docs: ${stalePages.length} files written or removed in ${relativeApiDir} (${counts}; ${elapsed()} ms)`
  )
}
