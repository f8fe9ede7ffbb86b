// The pages: a module's, with its anchors and links, and the index.
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"
import { OPEN_FENCE, publicPackageDirs, readPackageJson } from "../jsdoc.js"
import { categoriesOf, type Entry, type ModuleDoc } from "./collect.js"
import type { Doc } from "./doc.js"
import { checker, type ModuleInfo } from "./program.js"

/** GitHub's heading anchors: lower case, punctuation removed, spaces as `-`, `-1`, `-2`... for repeats. */
const makeSlugger = () => {
  const occurrences = new Map<string, number>()
  return (heading: string): string => {
    const base = heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-")
    let slug = base
    while (occurrences.has(slug)) {
      const n = occurrences.get(base)! + 1
      occurrences.set(base, n)
      slug = `${base}-${n}`
    }
    occurrences.set(slug, 0)
    return slug
  }
}

const moduleTitle = (info: ModuleInfo): string => `${info.packageName}/${info.name}`

/** Assigns the anchors of a page, in the order its headings are written by {@link renderModule}. */
export const assignAnchors = (module: ModuleDoc): void => {
  const slug = makeSlugger()
  slug(moduleTitle(module.info))
  slug("Contents")
  for (const [category, entries] of categoriesOf(module)) {
    module.headings.set(category, slug(category))
    for (const entry of entries) {
      entry.anchor = slug(entry.name)
      if (!module.anchors.has(entry.name)) module.anchors.set(entry.name, entry.anchor)
    }
  }
}

/** A fence that no line of the content can close. */
const fenceFor = (lines: ReadonlyArray<string>): string => {
  const longest = Math.max(0, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)))
  return "`".repeat(Math.max(3, longest + 1))
}

const codeBlock = (code: string): Array<string> => {
  const lines = code.split("\n")
  const fence = fenceFor(lines)
  return [`${fence}ts no-check`, ...lines, fence]
}

type LinkResolver = (target: string) => string | undefined

/** The `{@link}` targets that are written as code, not as links (listed by `--verbose`). */
export const unresolvedLinks: Array<string> = []

const LINK = /\{@link(?:code|plain)?\s+([^\s|}]+)(?:\s*\|\s*|\s+)?([^}]*)\}/g

/**
 * JSDoc text as Markdown: `{@link}`s as links (or code when `resolve` finds nothing), `ts` code blocks
 * fenced as `ts no-check`.
 */
const markdown = (lines: ReadonlyArray<string>, resolve: LinkResolver): Array<string> => {
  let fence: string | undefined
  return lines.map((line) => {
    if (fence !== undefined) {
      if (new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`).test(line)) fence = undefined
      return line
    }
    const open = OPEN_FENCE.exec(line)
    if (open !== null && !(open[2][0] === "`" && open[4].includes("`"))) {
      const [, indent, marker, language, info] = open
      fence = marker
      const isTs = language === "ts" || language === "typescript"
      return isTs && !info.split(/\s+/).includes("no-check") ? `${indent}${marker}ts no-check${info}` : line
    }
    return line.replace(LINK, (_, target: string, label: string) => {
      const text = label.trim() === "" ? `\`${target}\`` : label.trim()
      const href = resolve(target)
      if (href === undefined) unresolvedLinks.push(target)
      return href === undefined ? text : `[${text}](${href})`
    })
  })
}

const relativeLink = (from: ModuleInfo, to: ModuleInfo, anchor: string | undefined): string => {
  const page = from.page === to.page ? "" : path.posix.relative(path.posix.dirname(from.page), to.page)
  return anchor === undefined ? page : `${page}#${anchor}`
}

/**
 * Resolves `{@link name}` and `{@link Module.name}` in a module's page, for JSDoc written in `file` (the
 * module, or the module that declares an export it re-exports): an export of the module, a module
 * imported as a namespace in `file` (and one of its exports), or a name `file` imports from another
 * public module.
 */
const linkResolver = (module: ModuleDoc, file: ts.SourceFile, docs: ReadonlyMap<string, ModuleDoc>): LinkResolver => {
  const scope = checker.getSymbolsInScope(
    file,
    ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace | ts.SymbolFlags.Alias
  )
  const resolveSymbol = (name: string): ts.Symbol | undefined => {
    const symbol = scope.find((candidate) => candidate.name === name)
    return symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0
      ? checker.getAliasedSymbol(symbol)
      : symbol
  }
  const docOf = (symbol: ts.Symbol): ModuleDoc | undefined => {
    const declaration = symbol.declarations?.[0]
    return declaration === undefined ? undefined : docs.get(path.resolve(declaration.getSourceFile().fileName))
  }
  return (target) => {
    const [head, ...rest] = target.split(".")
    if (rest.length === 0 && module.anchors.has(head)) return `#${module.anchors.get(head)}`
    const symbol = resolveSymbol(head)
    if (symbol === undefined) return undefined
    const declaration = symbol.declarations?.[0]
    if (declaration !== undefined && ts.isSourceFile(declaration)) {
      const other = docs.get(path.resolve(declaration.fileName))
      if (other === undefined) return undefined
      return relativeLink(module.info, other.info, rest.length === 1 ? other.anchors.get(rest[0]) : undefined)
    }
    const other = docOf(symbol)
    if (other === undefined || other === module || rest.length > 0) return undefined
    const anchor = other.anchors.get(head)
    return anchor === undefined ? undefined : relativeLink(module.info, other.info, anchor)
  }
}

const GENERATED =
  "<!-- Generated by scripts/api-docs.ts (npm run docs:api) from the JSDoc of the sources: do not edit. -->"

export const renderModule = (module: ModuleDoc, docs: ReadonlyMap<string, ModuleDoc>): string => {
  const resolvers = new Map<ts.SourceFile, LinkResolver>()
  const resolverOf = (file: ts.SourceFile): LinkResolver => {
    const resolver = resolvers.get(file) ?? linkResolver(module, file, docs)
    resolvers.set(file, resolver)
    return resolver
  }
  const { info } = module
  const out: Array<string> = [GENERATED, "", `# ${moduleTitle(info)}`, ""]
  /** Writes a block of lines and a blank line. */
  const write = (lines: ReadonlyArray<string>) => {
    for (const line of lines) out.push(line)
    out.push("")
  }
  const index = path.join(path.dirname(info.file), "index.ts")
  const inIndex = fs.existsSync(index) &&
    fs.readFileSync(index, "utf8").includes(`export * as ${info.name} from "./${info.name}.js"`)
  out.push(
    (inIndex ? `\`import { ${info.name} } from "${info.packageName}"\` or ` : "") +
      `\`import * as ${info.name} from "${info.packageName}/${info.name}"\``,
    ""
  )
  if (module.doc.text.length > 0) write(markdown(module.doc.text, resolverOf(module.sourceFile)))
  const since = module.doc.tags.get("since")
  if (since !== undefined) out.push(`Since ${since}`, "")
  const categories = categoriesOf(module)
  out.push("## Contents", "")
  for (const [category, entries] of categories) {
    const label = (entry: Entry) =>
      module.entries.filter((other) => other.name === entry.name).length > 1
        ? `\`${entry.name}\` (${entry.kind})`
        : `\`${entry.name}\``
    out.push(
      `- [${category}](#${module.headings.get(category)}): ` +
        entries.map((entry) => `[${label(entry)}](#${entry.anchor})`).join(", ")
    )
  }
  out.push("")
  for (const [category, entries] of categories) {
    out.push(`## ${category}`, "")
    for (const entry of entries) {
      out.push(`### ${entry.name}`, "")
      out.push(`*${entry.kind}${entry.since === undefined ? "" : ` · since ${entry.since}`}*`, "")
      if (entry.deprecated !== undefined) {
        out.push(`**Deprecated.**${entry.deprecated === "" ? "" : ` ${entry.deprecated}`}`, "")
      }
      if (entry.description.length > 0) write(markdown(entry.description, resolverOf(entry.jsDocFile)))
      else if (entry.aliasOf !== undefined) {
        const anchor = module.anchors.get(entry.aliasOf)
        out.push(
          `The same as ${anchor === undefined ? `\`${entry.aliasOf}\`` : `[\`${entry.aliasOf}\`](#${anchor})`}.`,
          ""
        )
      }
      write(codeBlock(entry.signatures.join("\n\n")))
      if (entry.example.length > 0) write(markdown(entry.example, resolverOf(entry.jsDocFile)))
    }
  }
  return out.join("\n").replace(/\n+$/, "\n")
}

/** The first paragraph of a description, on one line, for the index (links as code). */
const summary = (doc: Doc): string => {
  const paragraph: Array<string> = []
  for (const line of doc.text) {
    if (line.trim() === "" || OPEN_FENCE.test(line) || /^\s*\*\*Examples?\*\*/.test(line)) break
    paragraph.push(line.trim())
  }
  return paragraph.join(" ").replace(
    LINK,
    (_, target: string, label: string) => label.trim() === "" ? `\`${target}\`` : label.trim()
  ).replace(/\|/g, "\\|")
}

export const renderIndex = (docs: ReadonlyArray<ModuleDoc>): string => {
  const out: Array<string> = [
    GENERATED,
    "",
    "# API reference",
    "",
    "One page per public module, generated from the JSDoc of its exports by `npm run docs:api`;",
    "`npm test` checks that the pages are up to date. The [guides](../README.md) explain how the pieces fit",
    "together.",
    ""
  ]
  for (const dir of publicPackageDirs) {
    const pkg = readPackageJson(dir)
    const modulesOfPackage = docs.filter((module) => module.info.packageDir === path.basename(dir))
    if (modulesOfPackage.length === 0) continue
    out.push(`## ${pkg.name}`, "")
    if (pkg.description !== undefined) out.push(pkg.description, "")
    out.push("| module | description |", "|---|---|")
    for (const module of modulesOfPackage) {
      out.push(`| [${module.info.name}](${module.info.page}) | ${summary(module.doc)} |`)
    }
    out.push("")
  }
  return out.join("\n").replace(/\n+$/, "\n")
}
