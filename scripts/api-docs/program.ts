// The public modules that have a page, in one program, and the names each symbol is exported under.
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"
import { createProgram, modulesOf, publicPackageDirs, readPackageJson } from "../jsdoc.js"

/** When the run started: the program is made first. */
export const started = performance.now()

export interface ModuleInfo {
  readonly file: string
  /** The package directory's name: `supervisor`. */
  readonly packageDir: string
  /** `@effect-otp/supervisor`. */
  readonly packageName: string
  /** `Supervisor`. */
  readonly name: string
  /** The page, relative to docs/api/, with `/`: `supervisor/Supervisor.md`. */
  readonly page: string
}

/**
 * Modules for people who write supervisors (their module comment has `@implementers`): left out
 * of the user reference; docs/engine.md describes them.
 */
const isForImplementers = (file: string): boolean => /^ \* @implementers$/m.test(fs.readFileSync(file, "utf8"))

export const modules: Array<ModuleInfo> = publicPackageDirs.flatMap((dir) =>
  modulesOf(dir).filter((file) => !isForImplementers(file)).map((file) => ({
    file,
    packageDir: path.basename(dir),
    packageName: readPackageJson(dir).name,
    name: path.basename(file, ".ts"),
    page: `${path.basename(dir)}/${path.basename(file, ".ts")}.md`
  }))
)

export const program = createProgram(modules.map((module) => module.file))
export const checker = program.getTypeChecker()

export const sourceFileOf = (file: string): ts.SourceFile => {
  const sourceFile = program.getSourceFile(file)
  if (sourceFile === undefined) throw new Error(`api-docs: ${file} is not in the program`)
  return sourceFile
}

export const resolveAlias = (symbol: ts.Symbol): ts.Symbol =>
  (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol

/** The public modules that export each symbol, and under which name. */
export const publicNames = new Map<ts.Symbol, Array<{ readonly file: string; readonly name: string }>>()
for (const module of modules) {
  const symbol = checker.getSymbolAtLocation(sourceFileOf(module.file))
  for (const exported of symbol === undefined ? [] : checker.getExportsOfModule(symbol)) {
    const target = resolveAlias(exported)
    publicNames.set(target, [...(publicNames.get(target) ?? []), {
      file: path.resolve(module.file),
      name: exported.name
    }])
  }
}
