// The files of the repository's packages and the JSDoc comments of their sources, shared by
// scripts/check-examples.ts (examples and `@since` checks) and scripts/api-docs.ts (the API reference).
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

/** The root of the repository. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

// -----------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------

export const toPosix = (file: string): string => file.split(path.sep).join("/")

/** The files under `dir` (node_modules and dot-directories skipped) whose path relative to the root is accepted. */
export const walk = (dir: string, accept: (relative: string) => boolean): Array<string> => {
  const found: Array<string> = []
  const visit = (current: string) => {
    if (!fs.existsSync(current)) return
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) visit(full)
      } else if (accept(toPosix(path.relative(root, full)))) {
        found.push(full)
      }
    }
  }
  visit(dir)
  return found.sort()
}

/** The directories of the workspace packages, packages/<name>, sorted. */
export const packageDirs = fs.readdirSync(path.join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, "packages", entry.name, "package.json")))
  .map((entry) => path.join(root, "packages", entry.name))
  .sort()

export interface PackageJson {
  readonly name: string
  readonly description?: string
  readonly private?: boolean
}

export const readPackageJson = (dir: string): PackageJson =>
  JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))

export const isPrivatePackage = (dir: string): boolean => readPackageJson(dir).private === true

/** A TypeScript source of a package, internal/ excluded. */
export const isSource = (file: string): boolean =>
  file.endsWith(".ts") && !file.endsWith(".d.ts") && !/\/src\/internal\//.test(file)

/** The public packages: those that are not private. */
export const publicPackageDirs = packageDirs.filter((dir) => !isPrivatePackage(dir))

/** The public modules of a package directory: src/<Module>.ts, index.ts excluded, sorted. */
export const modulesOf = (dir: string): Array<string> => {
  const src = path.join(dir, "src")
  return fs.existsSync(src)
    ? fs.readdirSync(src).filter((name) => isSource(name) && name !== "index.ts").map((name) => path.join(src, name))
      .sort()
    : []
}

/** The public modules: packages/<public package>/src/<Module>.ts, index.ts excluded. */
export const publicModules = publicPackageDirs.flatMap(modulesOf)

// -----------------------------------------------------------------------------
// Programs
// -----------------------------------------------------------------------------

export const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (file) => file,
  getCurrentDirectory: () => root,
  getNewLine: () => "\n"
}

/** A program of `files` (and what they import) with the compiler options of tsconfig.base.json, not emitted. */
export const createProgram = (files: ReadonlyArray<string>): ts.Program => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.base.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.formatDiagnostic(diagnostic, formatHost))
    }
  })!
  const options = { ...config.options, noEmit: true, composite: false, incremental: false, declaration: false }
  return ts.createProgram({ rootNames: files, options })
}

// -----------------------------------------------------------------------------
// JSDoc comments
// -----------------------------------------------------------------------------

/** A line of text as it appears in its file: `text` starts at 0-based `line`, `column`. */
export interface Line {
  readonly text: string
  readonly line: number
  readonly column: number
}

/** The opening line of a fenced code block: indentation, fence, language, rest of the info string. */
export const OPEN_FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)(.*)$/

export const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)

export const isJsDoc = (text: string, range: ts.TextRange): boolean =>
  text.startsWith("/**", range.pos) && !text.startsWith("/**/", range.pos)

/** Every JSDoc comment of a file (every comment is the leading trivia of some token), in order. */
export const jsDocRanges = (sourceFile: ts.SourceFile): Array<ts.CommentRange> => {
  const ranges = new Map<number, ts.CommentRange>()
  const visit = (node: ts.Node) => {
    for (const range of ts.getLeadingCommentRanges(sourceFile.text, node.pos) ?? []) {
      if (range.kind === ts.SyntaxKind.MultiLineCommentTrivia && isJsDoc(sourceFile.text, range)) {
        ranges.set(range.pos, range)
      }
    }
    for (const child of node.getChildren(sourceFile)) visit(child)
  }
  visit(sourceFile)
  return Array.from(ranges.values()).sort((a, b) => a.pos - b.pos)
}

/** The lines of a JSDoc comment without `/**`, `*\/` and the leading ` * `. */
export const jsDocLines = (sourceFile: ts.SourceFile, range: ts.TextRange): Array<Line> => {
  const start = sourceFile.getLineAndCharacterOfPosition(range.pos)
  const raw = sourceFile.text.slice(range.pos, range.end).split(/\r?\n/)
  return raw.map((text, i) => {
    let column = i === 0 ? start.character : 0
    let content = text
    if (i === 0) {
      content = content.slice(3)
      column += 3
    }
    if (i === raw.length - 1 && content.endsWith("*/")) content = content.slice(0, -2)
    const prefix = /^\s*\* ?/.exec(content)
    if (prefix !== null && i > 0) {
      content = content.slice(prefix[0].length)
      column += prefix[0].length
    }
    return { text: content, line: start.line + i, column }
  })
}

/** The last JSDoc comment right before a node, if any. */
export const jsDocRangeOf = (sourceFile: ts.SourceFile, node: ts.Node): ts.CommentRange | undefined =>
  (ts.getLeadingCommentRanges(sourceFile.text, node.pos) ?? [])
    .filter((range) => range.kind === ts.SyntaxKind.MultiLineCommentTrivia && isJsDoc(sourceFile.text, range))
    .at(-1)

// -----------------------------------------------------------------------------
// Exports
// -----------------------------------------------------------------------------

export const hasExportModifier = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)

/** One name exported by a module. */
export interface Export {
  readonly name: string
  /**
   * What declares it: the statement, a variable declaration, a binding element of a destructuring
   * declaration, an export specifier, or an `export *` declaration.
   */
  readonly node: ts.Node
  readonly statement: ts.Statement
  /**
   * The file of `node`, `statement` and `jsDoc`: the module's own, or for a name it re-exports
   * documented where it is declared (see {@link exportsOf}), the declaring module.
   */
  readonly sourceFile: ts.SourceFile
  /** The JSDoc comment that documents it (for an export specifier, its own or its statement's). */
  readonly jsDoc: ts.CommentRange | undefined
  /** For an overloaded function: every declaration of the function (the first one carries the JSDoc). */
  readonly overloads: ReadonlyArray<ts.FunctionDeclaration>
}

const bindingNames = (name: ts.BindingName): Array<ts.BindingElement | ts.Identifier> =>
  ts.isIdentifier(name)
    ? [name]
    : name.elements.flatMap((element) =>
      ts.isOmittedExpression(element)
        ? []
        : ts.isIdentifier(element.name)
        ? [element]
        : bindingNames(element.name)
    )

/**
 * The module's description: its first JSDoc comment, if it comes before the first statement
 * and is not that statement's own. An import has none, and neither does a re-export
 * (`export { ... } from`), whose names are documented by their specifiers or declarations.
 */
export const moduleDocRange = (sourceFile: ts.SourceFile): ts.CommentRange | undefined => {
  const first = jsDocRanges(sourceFile)[0]
  const statement = sourceFile.statements[0]
  if (first === undefined || statement === undefined || ts.isImportDeclaration(statement)) return first
  const isReExport = ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined &&
    statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)
  return first.end <= statement.getStart(sourceFile) &&
      (isReExport || jsDocRangeOf(sourceFile, statement)?.pos !== first.pos)
    ? first
    : undefined
}

/**
 * The exports of a module a name re-exported by `specifier` stands for: the exports, named as the
 * specifier names them, of the modules that declare it (e.g. a `const` and a `type` of one name).
 */
const declaredExports = (specifier: ts.ExportSpecifier, checker: ts.TypeChecker): Array<Export> => {
  const local = checker.getExportSpecifierLocalTargetSymbol(specifier)
  const symbol = local !== undefined && (local.flags & ts.SymbolFlags.Alias) !== 0
    ? checker.getAliasedSymbol(local)
    : local
  const declarations = symbol?.declarations ?? []
  const files = Array.from(new Set(declarations.map((declaration) => declaration.getSourceFile())))
  return files.flatMap((file) =>
    resolvedExportsOf(file, checker).filter((item) =>
      item.name === symbol!.name &&
      declarations.some((declaration) =>
        declaration.getSourceFile() === file && declaration.pos >= item.statement.pos &&
        declaration.end <= item.statement.end
      )
    ).map((item) => ({ ...item, name: specifier.name.getText() }))
  )
}

/** {@link exportsOf} with a type checker, once per module (a module's names may be re-exported one by one). */
const resolvedExports = new WeakMap<ts.SourceFile, Array<Export>>()

const resolvedExportsOf = (sourceFile: ts.SourceFile, checker: ts.TypeChecker): Array<Export> => {
  const cached = resolvedExports.get(sourceFile)
  if (cached !== undefined) return cached
  const found = exportsOf(sourceFile, checker)
  resolvedExports.set(sourceFile, found)
  return found
}

/**
 * The exports of a module, in source order. `@internal` exports are included (see {@link isInternal}).
 *
 * Given the program's type checker, a name re-exported from another module
 * (`export { start } from "./internal/supervisor/lifecycle.js"`) with no JSDoc comment of its own
 * is documented where it is declared: it stands for the declaring module's export of that name
 * (`sourceFile` is that module).
 */
export const exportsOf = (sourceFile: ts.SourceFile, checker?: ts.TypeChecker): Array<Export> => {
  const found: Array<Export> = []
  const functions = new Map<string, Array<ts.FunctionDeclaration>>()
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && hasExportModifier(statement)) {
      const overloads = functions.get(statement.name.text) ?? []
      overloads.push(statement)
      functions.set(statement.name.text, overloads)
    }
  }
  const moduleDoc = moduleDocRange(sourceFile)
  for (const statement of sourceFile.statements) {
    const add = (name: string, node: ts.Node, jsDoc: ts.CommentRange | undefined) =>
      found.push({ name, node, statement, sourceFile, jsDoc, overloads: [] })
    if (ts.isExportDeclaration(statement)) {
      const own = jsDocRangeOf(sourceFile, statement)
      const jsDoc = own !== undefined && own.pos === moduleDoc?.pos ? undefined : own
      if (statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
        for (const specifier of statement.exportClause.elements) {
          const specifierDoc = jsDocRangeOf(sourceFile, specifier) ?? jsDoc
          const declared = specifierDoc === undefined && checker !== undefined &&
              statement.moduleSpecifier !== undefined
            ? declaredExports(specifier, checker)
            : []
          if (declared.length > 0) {
            for (const item of declared) found.push(item)
          } else {
            add(specifier.name.getText(sourceFile), specifier, specifierDoc)
          }
        }
      } else {
        add(statement.exportClause?.name.getText(sourceFile) ?? "*", statement, jsDoc)
      }
      continue
    }
    if (ts.isExportAssignment(statement)) {
      add("default", statement, jsDocRangeOf(sourceFile, statement))
      continue
    }
    if (!hasExportModifier(statement)) continue
    const jsDoc = jsDocRangeOf(sourceFile, statement)
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingNames(declaration.name)) {
          if (ts.isIdentifier(name)) add(name.text, declaration, jsDoc)
          else add((name.name as ts.Identifier).text, name, jsDoc)
        }
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      // overloads and the implementation: the first signature carries the JSDoc
      const overloads = functions.get(statement.name.text)!
      if (overloads[0] === statement) {
        found.push({ name: statement.name.text, node: statement, statement, sourceFile, jsDoc, overloads })
      }
    } else {
      const name = (statement as { readonly name?: ts.Node }).name
      add(name === undefined ? "default" : name.getText(sourceFile), statement, jsDoc)
    }
  }
  return found
}

/** `true` if a JSDoc comment marks its declaration `@internal`. */
export const isInternal = (sourceFile: ts.SourceFile, jsDoc: ts.CommentRange | undefined): boolean =>
  jsDoc !== undefined && /@internal\b/.test(sourceFile.text.slice(jsDoc.pos, jsDoc.end))
