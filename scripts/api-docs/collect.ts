// The entries of a module's page: its exports, documented, grouped by category.
import ts from "typescript"
import { exportsOf, isInternal, moduleDocRange } from "../jsdoc.js"
import { kindOf, setCurrentModule, signatures, targetDeclarations } from "./declarations.js"
import { type Doc, parseDoc, splitExample } from "./doc.js"
import { checker, type ModuleInfo, sourceFileOf } from "./program.js"

export interface Entry {
  readonly name: string
  readonly kind: string
  readonly category: string | undefined
  readonly since: string | undefined
  readonly deprecated: string | undefined
  readonly description: ReadonlyArray<string>
  readonly example: ReadonlyArray<string>
  readonly signatures: ReadonlyArray<string>
  /** Set when the export is another export under a second name (`export { await_ as await }`). */
  readonly aliasOf: string | undefined
  readonly position: number
  /** The file of its JSDoc (the module's, or the declaring module's): its `{@link}`s name what is in scope there. */
  readonly jsDocFile: ts.SourceFile
  /** Filled in once every heading of the page is known. */
  anchor: string
}

export interface ModuleDoc {
  readonly info: ModuleInfo
  readonly sourceFile: ts.SourceFile
  readonly doc: Doc
  readonly entries: ReadonlyArray<Entry>
  /** The anchor of each export (its first entry, for a name with a value and a type). */
  readonly anchors: Map<string, string>
  readonly headings: Map<string, string>
}

export const UNCATEGORIZED = "uncategorized"

export const collectModule = (info: ModuleInfo): ModuleDoc => {
  const sourceFile = sourceFileOf(info.file)
  setCurrentModule(sourceFile)
  const moduleDoc = parseDoc(sourceFile, moduleDocRange(sourceFile))

  const entries: Array<Entry> = []
  for (const item of exportsOf(sourceFile, checker)) {
    if (isInternal(item.sourceFile, item.jsDoc)) continue
    const doc = parseDoc(item.sourceFile, item.jsDoc)
    let declarations: Array<ts.Node>
    let aliasOf: string | undefined
    if (ts.isExportSpecifier(item.node)) {
      declarations = targetDeclarations(item.node)
      const local = item.node.propertyName?.getText(sourceFile)
      if (local !== undefined && item.node.parent.parent.moduleSpecifier === undefined) aliasOf = local
    } else if (item.overloads.length > 0) {
      const overloads = item.overloads.filter((declaration) => declaration.body === undefined)
      declarations = overloads.length > 0 ? overloads : [...item.overloads]
    } else {
      declarations = [item.node]
    }
    if (declarations.length === 0) declarations = [item.node]
    // a value and a type under one name (`export { X } from`): one entry per kind of declaration
    const byKind = new Map<string, Array<ts.Node>>()
    for (const declaration of declarations) {
      const kind = kindOf(declaration)
      byKind.set(kind, [...(byKind.get(kind) ?? []), declaration])
    }
    const [description, example] = splitExample(doc.text)
    for (const [kind, nodes] of byKind) {
      entries.push({
        name: item.name,
        kind,
        category: doc.tags.get("category") || undefined,
        since: doc.tags.get("since") || undefined,
        deprecated: doc.tags.has("deprecated") ? doc.tags.get("deprecated")! : undefined,
        description,
        example,
        signatures: nodes.flatMap((node) => signatures(node, item.name)),
        aliasOf,
        position: item.node.getStart(item.sourceFile),
        jsDocFile: item.sourceFile,
        anchor: ""
      })
    }
  }
  return { info, sourceFile, doc: moduleDoc, entries, anchors: new Map(), headings: new Map() }
}

const compareNames = (a: string, b: string): number => {
  const la = a.toLowerCase()
  const lb = b.toLowerCase()
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0
}

export const categoriesOf = (module: ModuleDoc): Array<[string, Array<Entry>]> => {
  const groups = new Map<string, Array<Entry>>()
  for (const entry of module.entries) {
    const category = entry.category ?? UNCATEGORIZED
    groups.set(category, [...(groups.get(category) ?? []), entry])
  }
  return Array.from(groups.entries())
    .sort(([a], [b]) => compareNames(a, b))
    .map(([category, entries]) => [
      category,
      entries.sort((a, b) => compareNames(a.name, b.name) || a.position - b.position || compareNames(a.kind, b.kind))
    ])
}
