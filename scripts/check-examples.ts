// Type-checks every code example of the repository and checks that every public export is
// documented. Run by `npm test` through `npm run check:examples` (`tsx scripts/check-examples.ts`).
//
// 1. Examples. A `ts` (or `typescript`) fenced code block is extracted from:
//    - README.md, packages/*/README.md and every docs/**/*.md;
//    - every JSDoc comment (`/** ... */`, the leading ` * ` stripped) of packages/*/src/**/*.ts,
//      except src/internal/**;
//    - the JSDoc comments of the declarations in src/internal/** that a public module re-exports
//      without documenting them itself (`export { start } from "./internal/supervisor/lifecycle.js"`),
//      their members' included: that is where those exports are documented.
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
//    signature carries the JSDoc. A name re-exported without a JSDoc comment of its own is checked
//    at its declaration (see `exportsOf` in scripts/jsdoc.ts).
//
// Errors are printed as `file:line:column`, pointing into the Markdown or source file the example
// comes from, and the script exits with 1.
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"
import {
  createProgram,
  type Export,
  exportsOf,
  formatHost,
  isInternal,
  isSource,
  jsDocLines,
  jsDocRanges,
  type Line,
  OPEN_FENCE,
  packageDirs,
  parse,
  publicModules,
  root,
  toPosix,
  walk
} from "./jsdoc.js"

const outDir = path.join(root, ".examples-check")

// -----------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------

const markdownFiles = [
  path.join(root, "README.md"),
  ...packageDirs.map((dir) => path.join(dir, "README.md"))
].filter((file) => fs.existsSync(file)).concat(walk(path.join(root, "docs"), (file) => file.endsWith(".md")))

const sourceFiles = packageDirs.flatMap((dir) => walk(path.join(dir, "src"), isSource))

/** The public modules in a program, for its type checker: names they re-export are documented where declared. */
const program = createProgram(publicModules)
const checker = program.getTypeChecker()

const exportsOfModule = (file: string): Array<Export> => {
  const sourceFile = program.getSourceFile(file)
  if (sourceFile === undefined) throw new Error(`check-examples: ${file} is not in the program`)
  return exportsOf(sourceFile, checker)
}

const relativePath = (sourceFile: ts.SourceFile): string => toPosix(path.relative(root, sourceFile.fileName))

// -----------------------------------------------------------------------------
// Extraction
// -----------------------------------------------------------------------------

interface Block {
  /** Path of the source, relative to the root, with `/`. */
  readonly source: string
  /** 1-based position among the `ts` blocks of the source. */
  readonly index: number
  readonly lines: ReadonlyArray<Line>
  readonly file: string
}

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

const sourceBlocks = (file: string): Array<Block> => {
  const sourceFile = parse(file)
  const comments = jsDocRanges(sourceFile).map((range) => jsDocLines(sourceFile, range))
  return fencedBlocks(toPosix(path.relative(root, file)), comments)
}

/**
 * The `ts` blocks of the JSDoc comments, members' included, of the declarations in src/internal/** that
 * public modules re-export and document there.
 */
const declarationBlocks = (): Array<Block> => {
  const byFile = new Map<ts.SourceFile, Map<number, ts.CommentRange>>()
  for (const item of publicModules.flatMap(exportsOfModule)) {
    if (isSource(relativePath(item.sourceFile))) continue
    const ranges = byFile.get(item.sourceFile) ?? new Map<number, ts.CommentRange>()
    for (const range of jsDocRanges(item.sourceFile)) {
      if (range.pos >= item.statement.pos && range.end <= item.statement.end) ranges.set(range.pos, range)
    }
    byFile.set(item.sourceFile, ranges)
  }
  return Array.from(byFile).sort(([a], [b]) => a.fileName < b.fileName ? -1 : 1).flatMap(([sourceFile, ranges]) =>
    fencedBlocks(
      relativePath(sourceFile),
      Array.from(ranges.values()).sort((a, b) => a.pos - b.pos).map((range) => jsDocLines(sourceFile, range))
    )
  )
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

let exportsChecked = 0

const checkSince = (file: string): Array<Problem> => {
  const problems: Array<Problem> = []
  for (const item of exportsOfModule(file)) {
    const { jsDoc, sourceFile } = item
    if (isInternal(sourceFile, jsDoc)) continue
    exportsChecked++
    const text = jsDoc === undefined ? undefined : sourceFile.text.slice(jsDoc.pos, jsDoc.end)
    if (text !== undefined && /@since\s+\S/.test(text)) continue
    const node = ts.isExportSpecifier(item.node) ? item.node : item.statement
    const position = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
    problems.push({
      file: relativePath(sourceFile),
      line: position.line + 1,
      column: position.character + 1,
      message: text === undefined
        ? `error: the export "${item.name}" has no JSDoc comment (with an @since tag)`
        : `error: the JSDoc comment of the export "${item.name}" has no @since tag`
    })
  }
  return problems
}

// -----------------------------------------------------------------------------
// Main
// -----------------------------------------------------------------------------

const started = performance.now()
const blocks = [
  ...markdownFiles.flatMap(markdownBlocks),
  ...sourceFiles.flatMap(sourceBlocks),
  ...declarationBlocks()
]
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
