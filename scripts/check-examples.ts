// Type-checks every code example of the repository and checks that every public export is
// documented. Run by `npm test` through `npm run check:examples` (`tsx scripts/check-examples.ts`).
//
// 1. Examples. A `ts` (or `typescript`) fenced code block is extracted from:
//    - README.md, packages/*/README.md and every docs/**/*.md;
//    - every JSDoc comment (`/** ... */`, the leading ` * ` stripped) of packages/*/src/**/*.ts,
//      except src/internal/**.
//    Each block is written as its own module to `.examples-check/` (git-ignored, recreated at every
//    run), named after its source and its position among the `ts` blocks of that source, e.g.
//    `packages_supervisor_src_Supervisor.ts_3.ts` is the third `ts` block of Supervisor.ts. A block
//    without any import or export gets an `export {}`. All blocks are type-checked together, as one
//    TypeScript program, with the compiler options of tsconfig.base.json (`noUnusedLocals` off, no
//    emit): examples import the packages by their names ("@effect-otp/supervisor", "effect"), which
//    resolve through node_modules like a user's code would. `.examples-check/tsconfig.json` is kept,
//    so `npx tsc -p .examples-check` reproduces the check after a run.
//
//    Escape hatch: a block fenced as ```ts no-check is not checked (use it for fragments that cannot
//    compile on their own, e.g. a sketch of an API that does not exist). Other languages (```json,
//    ```sh, plain ```) are never checked.
//
// 2. Documentation. Every exported declaration of the public modules, packages/*/src/*.ts of the
//    packages that are not private (index.ts and internal/ excluded), must have a JSDoc comment with
//    an `@since` tag. Exports marked `@internal` are skipped; for overloaded functions the first
//    signature carries the JSDoc.
//
// Errors are printed as `file:line:column`, pointing into the Markdown or source file the example
// comes from, and the script exits with 1.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const outDir = path.join(root, ".examples-check")

// -----------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------

const toPosix = (file: string): string => file.split(path.sep).join("/")

const walk = (dir: string, accept: (relative: string) => boolean): Array<string> => {
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

const packageDirs = fs.readdirSync(path.join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, "packages", entry.name, "package.json")))
  .map((entry) => path.join(root, "packages", entry.name))
  .sort()

const isPrivatePackage = (dir: string): boolean =>
  JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).private === true

const markdownFiles = [
  path.join(root, "README.md"),
  ...packageDirs.map((dir) => path.join(dir, "README.md"))
].filter((file) => fs.existsSync(file)).concat(walk(path.join(root, "docs"), (file) => file.endsWith(".md")))

const isSource = (file: string) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !/\/src\/internal\//.test(file)

const sourceFiles = packageDirs.flatMap((dir) => walk(path.join(dir, "src"), isSource))

/** The public modules: packages/<public package>/src/<Module>.ts, index.ts excluded. */
const publicModules = packageDirs
  .filter((dir) => !isPrivatePackage(dir))
  .flatMap((dir) => {
    const src = path.join(dir, "src")
    return fs.existsSync(src)
      ? fs.readdirSync(src).filter((name) => isSource(name) && name !== "index.ts").map((name) => path.join(src, name))
        .sort()
      : []
  })

// -----------------------------------------------------------------------------
// Extraction
// -----------------------------------------------------------------------------

/** A line of text as it appears in its file: `text` starts at 0-based `line`, `column`. */
interface Line {
  readonly text: string
  readonly line: number
  readonly column: number
}

interface Block {
  /** Path of the source, relative to the root, with `/`. */
  readonly source: string
  /** 1-based position among the `ts` blocks of the source. */
  readonly index: number
  readonly lines: ReadonlyArray<Line>
  readonly file: string
}

const OPEN_FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)(.*)$/

/**
 * The `ts` fenced blocks of a source, given as groups of lines of Markdown (a Markdown file, or
 * each JSDoc comment of a source file): a block does not go past the end of its group.
 */
const fencedBlocks = (source: string, groups: ReadonlyArray<ReadonlyArray<Line>>): Array<Block> => {
  const blocks: Array<Block> = []
  let index = 0
  for (const lines of groups) {
    for (let i = 0; i < lines.length; i++) {
      const open = OPEN_FENCE.exec(lines[i].text)
      if (open === null) continue
      const [, indent, fence, language, info] = open
      // an info string cannot hold a backtick: "```a``` b" is inline code
      if (fence[0] === "`" && info.includes("`")) continue
      const close = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`)
      let end = i + 1
      while (end < lines.length && !close.test(lines[end].text)) end++
      const isTs = language === "ts" || language === "typescript"
      if (isTs) index++
      if (isTs && !info.split(/\s+/).includes("no-check")) {
        const body = lines.slice(i + 1, end).map((line) => {
          // strip the fence's indentation (a fence inside a list item)
          const strip = Math.min(indent.length, /^ */.exec(line.text)![0].length)
          return { text: line.text.slice(strip), line: line.line, column: line.column + strip }
        })
        if (body.some((line) => line.text.trim() !== "")) {
          const file = `${source.replace(/\//g, "_")}_${index}.ts`
          blocks.push({ source, index, lines: body, file })
        }
      }
      i = end
    }
  }
  return blocks
}

const markdownBlocks = (file: string): Array<Block> => {
  const text = fs.readFileSync(file, "utf8")
  const lines = text.split(/\r?\n/).map((line, i) => ({ text: line, line: i, column: 0 }))
  return fencedBlocks(toPosix(path.relative(root, file)), [lines])
}

const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)

/** Every JSDoc comment of a file (every comment is the leading trivia of some token). */
const jsDocRanges = (sourceFile: ts.SourceFile): Array<ts.CommentRange> => {
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

const isJsDoc = (text: string, range: ts.TextRange): boolean =>
  text.startsWith("/**", range.pos) && !text.startsWith("/**/", range.pos)

/** The lines of a JSDoc comment without `/**`, `*\/` and the leading ` * `. */
const jsDocLines = (sourceFile: ts.SourceFile, range: ts.CommentRange): Array<Line> => {
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

const sourceBlocks = (file: string): Array<Block> => {
  const sourceFile = parse(file)
  const comments = jsDocRanges(sourceFile).map((range) => jsDocLines(sourceFile, range))
  return fencedBlocks(toPosix(path.relative(root, file)), comments)
}

const hasModuleSyntax = (text: string): boolean =>
  ts.createSourceFile("block.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS).statements.some((statement) =>
    ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) ||
    ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) ||
    (ts.canHaveModifiers(statement) &&
      (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword))
  )

// -----------------------------------------------------------------------------
// Type-checking the examples
// -----------------------------------------------------------------------------

interface Problem {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (file) => file,
  getCurrentDirectory: () => root,
  getNewLine: () => "\n"
}

const checkExamples = (blocks: ReadonlyArray<Block>): Array<Problem> => {
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(outDir, { recursive: true })
  const byFile = new Map<string, Block>()
  for (const block of blocks) {
    const text = block.lines.map((line) => line.text).join("\n") + "\n"
    fs.writeFileSync(path.join(outDir, block.file), hasModuleSyntax(text) ? text : `${text}\nexport {}\n`)
    byFile.set(path.join(outDir, block.file), block)
  }
  const tsconfig = path.join(outDir, "tsconfig.json")
  fs.writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: "../tsconfig.base.json",
        compilerOptions: {
          noEmit: true,
          composite: false,
          incremental: false,
          declaration: false,
          declarationMap: false,
          sourceMap: false,
          noUnusedLocals: false
        },
        include: ["*.ts"]
      },
      null,
      2
    ) + "\n"
  )
  if (blocks.length === 0) return []

  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.formatDiagnostic(diagnostic, formatHost))
    }
  })!
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    configFileParsingDiagnostics: config.errors
  })
  // only the examples are checked: the packages' own sources are checked by `npm run check`
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSourceFiles()
      .filter((sourceFile) => byFile.has(path.resolve(sourceFile.fileName)))
      .flatMap((sourceFile) => [
        ...program.getSyntacticDiagnostics(sourceFile),
        ...program.getSemanticDiagnostics(sourceFile)
      ])
  ]
  return diagnostics.map((diagnostic): Problem => {
    const message = `error TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`
    const block = diagnostic.file === undefined ? undefined : byFile.get(path.resolve(diagnostic.file.fileName))
    if (diagnostic.file === undefined || diagnostic.start === undefined) {
      return { file: "(typescript)", line: 0, column: 0, message }
    }
    const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    if (block === undefined) {
      return {
        file: toPosix(path.relative(root, diagnostic.file.fileName)),
        line: position.line + 1,
        column: position.character + 1,
        message
      }
    }
    // the `export {}` added after the block maps to its last line
    const line = block.lines[Math.min(position.line, block.lines.length - 1)]
    return {
      file: block.source,
      line: line.line + 1,
      column: line.column + position.character + 1,
      message: `${message}\n    in example ${block.index} (${block.file}), line ${
        position.line + 1
      }: ${line.text.trim()}`
    }
  })
}

// -----------------------------------------------------------------------------
// `@since` on every export
// -----------------------------------------------------------------------------

const hasExportModifier = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)

/** The last JSDoc comment right before a node, if any. */
const jsDocOf = (sourceFile: ts.SourceFile, node: ts.Node): string | undefined => {
  const ranges = (ts.getLeadingCommentRanges(sourceFile.text, node.pos) ?? [])
    .filter((range) => range.kind === ts.SyntaxKind.MultiLineCommentTrivia && isJsDoc(sourceFile.text, range))
  const last = ranges.at(-1)
  return last === undefined ? undefined : sourceFile.text.slice(last.pos, last.end)
}

const declarationNames = (statement: ts.Statement): Array<string> => {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.map((declaration) => declaration.name.getText())
  }
  if (ts.isExportAssignment(statement)) return ["default"]
  const name = (statement as { readonly name?: ts.Node }).name
  return [name === undefined ? "default" : name.getText()]
}

let exportsChecked = 0

const checkSince = (file: string): Array<Problem> => {
  const sourceFile = parse(file)
  const source = toPosix(path.relative(root, file))
  const problems: Array<Problem> = []
  const report = (node: ts.Node, name: string, jsDoc: string | undefined) => {
    if (jsDoc !== undefined && /@internal\b/.test(jsDoc)) return
    exportsChecked++
    if (jsDoc !== undefined && /@since\s+\S/.test(jsDoc)) return
    const position = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
    problems.push({
      file: source,
      line: position.line + 1,
      column: position.character + 1,
      message: jsDoc === undefined
        ? `error: the export "${name}" has no JSDoc comment (with an @since tag)`
        : `error: the JSDoc comment of the export "${name}" has no @since tag`
    })
  }
  const functionsSeen = new Set<string>()
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement)) {
      const jsDoc = jsDocOf(sourceFile, statement)
      if (statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
        for (const specifier of statement.exportClause.elements) {
          report(specifier, specifier.name.getText(), jsDocOf(sourceFile, specifier) ?? jsDoc)
        }
      } else {
        report(statement, statement.exportClause?.name.getText() ?? "*", jsDoc)
      }
      continue
    }
    if (!ts.isExportAssignment(statement) && !hasExportModifier(statement)) continue
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      // overloads and the implementation: the first signature carries the JSDoc
      if (functionsSeen.has(statement.name.text)) continue
      functionsSeen.add(statement.name.text)
    }
    const jsDoc = jsDocOf(sourceFile, statement)
    for (const name of declarationNames(statement)) report(statement, name, jsDoc)
  }
  return problems
}

// -----------------------------------------------------------------------------
// Main
// -----------------------------------------------------------------------------

const started = performance.now()
const blocks = [...markdownFiles.flatMap(markdownBlocks), ...sourceFiles.flatMap(sourceBlocks)]
const exampleProblems = checkExamples(blocks)
const sinceProblems = publicModules.flatMap(checkSince)
const elapsed = Math.round(performance.now() - started)

const problems = [...exampleProblems, ...sinceProblems].sort((a, b) =>
  a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1
)
for (const problem of problems) {
  console.error(`${problem.file}:${problem.line}:${problem.column} - ${problem.message}`)
}
const sources = new Set(blocks.map((block) => block.source)).size
const summary = `${blocks.length} examples from ${sources} files, ${exportsChecked} exports of ` +
  `${publicModules.length} public modules`
if (problems.length > 0) {
  console.error(
    `\ncheck-examples: ${exampleProblems.length} example errors, ${sinceProblems.length} undocumented exports ` +
      `(${summary}; ${elapsed} ms)`
  )
  process.exit(1)
}
console.log(`check-examples: ok, ${summary} (${elapsed} ms)`)
