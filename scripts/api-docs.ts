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
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"
import {
  createProgram,
  exportsOf,
  isInternal,
  jsDocLines,
  jsDocRangeOf,
  moduleDocRange,
  modulesOf,
  OPEN_FENCE,
  publicPackageDirs,
  readPackageJson,
  root,
  toPosix,
  walk
} from "./jsdoc.js"

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

const started = performance.now()

// -----------------------------------------------------------------------------
// The program
// -----------------------------------------------------------------------------

interface ModuleInfo {
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

const modules: Array<ModuleInfo> = publicPackageDirs.flatMap((dir) =>
  modulesOf(dir).filter((file) => !isForImplementers(file)).map((file) => ({
    file,
    packageDir: path.basename(dir),
    packageName: readPackageJson(dir).name,
    name: path.basename(file, ".ts"),
    page: `${path.basename(dir)}/${path.basename(file, ".ts")}.md`
  }))
)

const program = createProgram(modules.map((module) => module.file))
const checker = program.getTypeChecker()
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })

const sourceFileOf = (file: string): ts.SourceFile => {
  const sourceFile = program.getSourceFile(file)
  if (sourceFile === undefined) throw new Error(`api-docs: ${file} is not in the program`)
  return sourceFile
}

// -----------------------------------------------------------------------------
// JSDoc
// -----------------------------------------------------------------------------

interface Doc {
  /** The Markdown lines before the tags. */
  readonly text: ReadonlyArray<string>
  /** The value of each tag, by name (the first occurrence). */
  readonly tags: ReadonlyMap<string, string>
}

const emptyDoc: Doc = { text: [], tags: new Map() }

/** The text and the tags of a JSDoc comment: a tag is a line starting with `@name`, outside code blocks. */
const parseDoc = (sourceFile: ts.SourceFile, range: ts.TextRange | undefined): Doc => {
  if (range === undefined) return emptyDoc
  const lines = jsDocLines(sourceFile, range).map((line) => line.text)
  const text: Array<string> = []
  const tags = new Map<string, string>()
  let fence: string | undefined
  let tag: { name: string; value: Array<string> } | undefined
  const flush = () => {
    if (tag !== undefined && !tags.has(tag.name)) tags.set(tag.name, tag.value.join(" ").trim())
  }
  for (const line of lines) {
    if (fence === undefined) {
      const open = OPEN_FENCE.exec(line)
      if (open !== null && !(open[2][0] === "`" && open[4].includes("`"))) fence = open[2]
      const tagLine = fence === undefined ? /^\s*@(\w+)\s*(.*)$/.exec(line) : null
      if (tagLine !== null) {
        flush()
        tag = { name: tagLine[1], value: [tagLine[2]] }
        continue
      }
    } else if (new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`).test(line)) {
      fence = undefined
    }
    if (tag !== undefined) tag.value.push(line.trim())
    else text.push(line)
  }
  flush()
  return { text: trimBlankLines(text), tags }
}

const trimBlankLines = (lines: ReadonlyArray<string>): Array<string> => {
  let start = 0
  let end = lines.length
  while (start < end && lines[start].trim() === "") start++
  while (end > start && lines[end - 1].trim() === "") end--
  return lines.slice(start, end)
}

/**
 * Splits a description at its `**Example**` line (outside code blocks): the text before it, and the
 * example section from it on.
 */
const splitExample = (lines: ReadonlyArray<string>): [Array<string>, Array<string>] => {
  let fence: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (fence === undefined) {
      const open = OPEN_FENCE.exec(line)
      if (open !== null) fence = open[2]
      else if (/^\s*\*\*Examples?\*\*/.test(line)) return [trimBlankLines(lines.slice(0, i)), lines.slice(i)]
    } else if (new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`).test(line)) {
      fence = undefined
    }
  }
  return [[...lines], []]
}

// -----------------------------------------------------------------------------
// Declarations
// -----------------------------------------------------------------------------

const typeFlags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope
const nodeFlags = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.UseAliasDefinedOutsideCurrentScope |
  ts.NodeBuilderFlags.MultilineObjectLiterals | ts.NodeBuilderFlags.IgnoreErrors

/** The printer indents by 4 spaces; the sources by 2. */
const reindent = (text: string): string =>
  text.split("\n").map((line) => line.replace(/^(?: {4})+/, (spaces) => " ".repeat(spaces.length / 2))).join("\n")

const printNode = (node: ts.Node, sourceFile: ts.SourceFile): string =>
  // the sources leave out semicolons
  reindent(printer.printNode(ts.EmitHint.Unspecified, node, sourceFile)).replace(/;$/gm, "")

/**
 * The type of a variable initialized by a call with explicit type arguments to a function of a
 * namespace, as the function's declared return type (if it is a type reference) names it:
 * `const events = Data.taggedEnum<Event>()` gives `Data.TaggedEnum.Constructor<Event>` (from
 * `taggedEnum<A>(): TaggedEnum.Constructor<A>`), where the checker would print the whole object type.
 */
const declaredCallType = (identifier: ts.Identifier): string | undefined => {
  const declaration = checker.getSymbolAtLocation(identifier)?.valueDeclaration
  const call = declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.type === undefined
    ? declaration.initializer
    : undefined
  if (
    call === undefined || !ts.isCallExpression(call) || call.typeArguments === undefined ||
    !ts.isPropertyAccessExpression(call.expression) || !ts.isIdentifier(call.expression.expression)
  ) return undefined
  const resolved = checker.getResolvedSignature(call)?.declaration
  const signature = resolved !== undefined && !ts.isJSDocSignature(resolved) ? resolved : undefined
  const returnType = signature?.type
  const parameters = signature?.typeParameters ?? []
  if (
    returnType === undefined || !ts.isTypeReferenceNode(returnType) || parameters.length !== call.typeArguments.length
  ) return undefined
  const sourceFile = identifier.getSourceFile()
  let text = returnType.getText()
  parameters.forEach((parameter, i) => {
    text = text.replace(new RegExp(`\\b${parameter.name.text}\\b`, "g"), call.typeArguments![i].getText(sourceFile))
  })
  return `${call.expression.expression.text}.${text}`
}

const isLong = (text: string): boolean => {
  const lines = text.split("\n")
  return lines.length > 40 || lines.some((line) => line.length > 200)
}

/**
 * The type of a variable as the checker prints it, object types on several lines. A type that would be
 * too long to read is printed, if the variable is initialized with `object.property`, as
 * `Type["property"]` (e.g. `Data.TaggedEnum.Constructor<Event>["$match"]`), or else with only its outer
 * object type (e.g. the overloads of a function) on several lines.
 */
const printVariableType = (declaration: ts.VariableDeclaration | ts.BindingElement): string => {
  const sourceFile = declaration.getSourceFile()
  const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined
  const property = initializer !== undefined && ts.isPropertyAccessExpression(initializer) &&
      ts.isIdentifier(initializer.expression)
    ? { object: initializer.expression, name: initializer.name.text }
    : undefined
  const declared = property === undefined ? undefined : declaredCallType(property.object)
  if (declared !== undefined) return `${declared}["${property!.name}"]`
  const type = checker.getTypeAtLocation(declaration.name)
  const multiline = checker.typeToTypeNode(type, declaration, nodeFlags)
  if (multiline === undefined) return checker.typeToString(type, declaration, typeFlags)
  const text = printNode(multiline, sourceFile)
  if (!isLong(text)) return text
  if (property !== undefined) {
    const objectType = checker.typeToString(checker.getTypeAtLocation(property.object), declaration, typeFlags)
    if (!isLong(objectType) && objectType.length <= 120) return `${objectType}["${property.name}"]`
  }
  const compact = checker.typeToTypeNode(type, declaration, nodeFlags & ~ts.NodeBuilderFlags.MultilineObjectLiterals)!
  if (ts.isTypeLiteralNode(compact)) ts.setEmitFlags(compact, ts.EmitFlags.None)
  return printNode(compact, sourceFile)
}

const inferredReturnType = (declaration: ts.SignatureDeclaration): string => {
  const signature = checker.getSignatureFromDeclaration(declaration)
  return signature === undefined
    ? "unknown"
    : checker.typeToString(checker.getReturnTypeOfSignature(signature), declaration, typeFlags)
}

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

const resolveAlias = (symbol: ts.Symbol): ts.Symbol =>
  (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol

/** The public modules that export each symbol, and under which name. */
const publicNames = new Map<ts.Symbol, Array<{ readonly file: string; readonly name: string }>>()
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

/** The module whose page is being written: names it exports are written without a qualifier. */
let currentModule: ts.SourceFile | undefined

const isInternalModule = (symbol: ts.Symbol): boolean => {
  const declaration = symbol.declarations?.[0]
  return declaration !== undefined && ts.isSourceFile(declaration) &&
    /\/src\/internal\//.test(toPosix(declaration.fileName))
}

/**
 * `internal.Foo` (a type of an internal module, in a declaration) as the public modules name it: `Foo`
 * if the current module exports it, `Module.Foo` if a module imported as `Module` does.
 */
const publicNameEdits = (node: ts.Node): Array<Edit> => {
  const sourceFile = node.getSourceFile()
  const edits: Array<Edit> = []
  const namespaces = sourceFile.statements.flatMap((statement) => {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined
    const module = bindings !== undefined && ts.isNamespaceImport(bindings)
      ? checker.getSymbolAtLocation((statement as ts.ImportDeclaration).moduleSpecifier)
      : undefined
    const file = module?.declarations?.[0]?.getSourceFile().fileName
    return bindings !== undefined && ts.isNamespaceImport(bindings) && file !== undefined
      ? [{ local: bindings.name.text, file: path.resolve(file) }]
      : []
  })
  const visit = (child: ts.Node) => {
    const name = ts.isTypeReferenceNode(child)
      ? child.typeName
      : ts.isTypeQueryNode(child)
      ? child.exprName
      : ts.isExpressionWithTypeArguments(child)
      ? child.expression
      : undefined
    const [left, right] = name === undefined
      ? []
      : ts.isQualifiedName(name)
      ? [name.left, name.right]
      : ts.isPropertyAccessExpression(name)
      ? [name.expression, name.name]
      : []
    const leftSymbol = left !== undefined && ts.isIdentifier(left) ? checker.getSymbolAtLocation(left) : undefined
    const rightSymbol = right === undefined ? undefined : checker.getSymbolAtLocation(right)
    if (name !== undefined && leftSymbol !== undefined && rightSymbol !== undefined) {
      if (isInternalModule(resolveAlias(leftSymbol))) {
        const owners = publicNames.get(resolveAlias(rightSymbol)) ?? []
        const own = currentModule === undefined
          ? undefined
          : owners.find((owner) => owner.file === path.resolve(currentModule!.fileName))
        const imported = owners.flatMap((owner) =>
          namespaces.filter((namespace) =>
            namespace.file === owner.file
          ).map((namespace) => `${namespace.local}.${owner.name}`)
        )[0]
        const text = own?.name ?? imported
        if (text !== undefined) {
          edits.push({ start: name.getStart(sourceFile), end: name.end, text })
        }
      }
    }
    ts.forEachChild(child, visit)
  }
  visit(node)
  return edits
}

/**
 * The text of a node (from its first token, its JSDoc excluded; or from `start` to `end`) with edits
 * applied, and internal names replaced by their public names.
 */
const editedText = (node: ts.Node, edits: ReadonlyArray<Edit>, start = node.getStart(), end = node.end): string => {
  const sourceFile = node.getSourceFile()
  let text = ""
  let at = start
  const all = [...edits, ...publicNameEdits(node)]
    .filter((edit) => edit.start >= start && edit.end <= end)
    .sort((a, b) => a.start - b.start || b.end - a.end)
  for (const edit of all) {
    if (edit.start < at) continue // inside an edit already made
    text += sourceFile.text.slice(at, edit.start) + edit.text
    at = edit.end
  }
  return text + sourceFile.text.slice(at, end)
}

const isPrivateMember = (member: ts.ClassElement): boolean =>
  (member.name !== undefined && ts.isPrivateIdentifier(member.name)) ||
  (ts.canHaveModifiers(member) &&
    (ts.getModifiers(member) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword)) ||
  ts.isClassStaticBlockDeclaration(member) ||
  isInternal(member.getSourceFile(), jsDocRangeOf(member.getSourceFile(), member)) ||
  ts.isSemicolonClassElement(member)

/** Replaces `export` (or nothing) before a declaration's keyword with `export declare`. */
const declareEdit = (node: ts.Node): Array<Edit> => {
  if (!ts.canHaveModifiers(node)) return []
  const modifiers = ts.getModifiers(node) ?? []
  const exportKeyword = modifiers.find((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword)) return []
  return exportKeyword === undefined
    ? [{ start: node.getStart(), end: node.getStart(), text: "export declare " }]
    : [{ start: exportKeyword.getStart(), end: exportKeyword.end, text: "export declare" }]
}

/** Renames a declaration (an export under another name). */
const renameEdit = (name: ts.Node | undefined, as: string): Array<Edit> =>
  name === undefined || name.getText() === as ? [] : [{ start: name.getStart(), end: name.end, text: as }]

/** The body of a function-like declaration removed (its return type added if the source infers it). */
const bodyEdit = (declaration: ts.FunctionLikeDeclaration): Array<Edit> => {
  if (declaration.body === undefined) return []
  const returnType = declaration.type === undefined && !ts.isConstructorDeclaration(declaration) &&
      !ts.isSetAccessorDeclaration(declaration)
    ? `: ${inferredReturnType(declaration)}`
    : ""
  return [{ start: declaration.body.getFullStart(), end: declaration.body.end, text: returnType }]
}

const classText = (declaration: ts.ClassDeclaration, as: string): string => {
  const edits: Array<Edit> = [...declareEdit(declaration), ...renameEdit(declaration.name, as)]
  for (const member of declaration.members) {
    if (isPrivateMember(member)) {
      edits.push({ start: member.getFullStart(), end: member.end, text: "" })
    } else if (ts.isPropertyDeclaration(member) && member.initializer !== undefined) {
      const before = member.type ?? member.questionToken ?? member.exclamationToken ?? member.name
      const type = member.type === undefined
        ? `: ${checker.typeToString(checker.getTypeAtLocation(member.name), member, typeFlags)}`
        : ""
      edits.push({ start: before.end, end: member.initializer.end, text: type })
    } else if (
      ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member) || ts.isGetAccessorDeclaration(member) ||
      ts.isSetAccessorDeclaration(member)
    ) {
      for (const edit of [...member.parameters.flatMap(defaultValueEdits), ...bodyEdit(member)]) edits.push(edit)
    }
  }
  return editedText(declaration, edits).replace(/\{\s*\}$/, "{}")
}

const functionText = (declaration: ts.FunctionDeclaration, as: string): string =>
  editedText(declaration, [
    ...declareEdit(declaration),
    ...renameEdit(declaration.name, as),
    ...declaration.parameters.flatMap(defaultValueEdits),
    ...bodyEdit(declaration)
  ])

const isFunctionExpression = (node: ts.Expression | undefined): node is ts.ArrowFunction | ts.FunctionExpression =>
  node !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node))

/** A parameter's default value removed: `options: Options = {}` as `options?: Options`. */
const defaultValueEdits = (parameter: ts.ParameterDeclaration): Array<Edit> => {
  if (parameter.initializer === undefined) return []
  const optional: Array<Edit> = parameter.questionToken === undefined
    ? [{ start: parameter.name.end, end: parameter.name.end, text: "?" }]
    : []
  const type = parameter.type === undefined
    ? `: ${checker.typeToString(checker.getTypeAtLocation(parameter), parameter, typeFlags)}`
    : ""
  const from = parameter.type ?? parameter.questionToken ?? parameter.name
  return [...optional, { start: from.end, end: parameter.initializer.end, text: type }]
}

/** `(a: A, b: B) => R` from an arrow function or a function expression, as written. */
const functionTypeText = (fn: ts.ArrowFunction | ts.FunctionExpression): string => {
  const sourceFile = fn.getSourceFile()
  const children = fn.getChildren(sourceFile)
  const lessThan = children.find((child) => child.kind === ts.SyntaxKind.LessThanToken)
  const open = children.find((child) => child.kind === ts.SyntaxKind.OpenParenToken)
  const close = children.find((child) => child.kind === ts.SyntaxKind.CloseParenToken)
  const returnType = fn.type === undefined ? inferredReturnType(fn) : editedText(fn.type, [])
  if (open === undefined || close === undefined) {
    // `x => ...`: one parameter, no type parameters
    return `(${
      fn.parameters.map((parameter) => editedText(parameter, defaultValueEdits(parameter))).join(", ")
    }) => ${returnType}`
  }
  const edits = fn.parameters.flatMap(defaultValueEdits)
  return `${editedText(fn, edits, (lessThan ?? open).getStart(sourceFile), close.end)} => ${returnType}`
}

const variableText = (declaration: ts.VariableDeclaration | ts.BindingElement, as: string): string => {
  let list: ts.Node = declaration
  while (!ts.isVariableDeclarationList(list)) list = list.parent
  const keyword = (list.flags & ts.NodeFlags.Const) !== 0
    ? "const"
    : (list.flags & ts.NodeFlags.Let) !== 0
    ? "let"
    : "var"
  const type = ts.isVariableDeclaration(declaration) && declaration.type !== undefined
    ? editedText(declaration.type, [])
    : ts.isVariableDeclaration(declaration) && isFunctionExpression(declaration.initializer)
    ? functionTypeText(declaration.initializer)
    : printVariableType(declaration)
  return `export declare ${keyword} ${as}: ${type}`
}

/** The declaration of an export, as TypeScript without bodies, one entry per overload. */
const signatures = (declaration: ts.Node, as: string): Array<string> => {
  if (ts.isVariableDeclaration(declaration) || ts.isBindingElement(declaration)) return [variableText(declaration, as)]
  if (ts.isFunctionDeclaration(declaration)) return [functionText(declaration, as)]
  if (ts.isClassDeclaration(declaration)) return [classText(declaration, as)]
  if (ts.isInterfaceDeclaration(declaration)) {
    const internalMembers = declaration.members.filter((member) =>
      isInternal(member.getSourceFile(), jsDocRangeOf(member.getSourceFile(), member))
    )
    return [
      editedText(declaration, [
        ...renameEdit(declaration.name, as),
        ...internalMembers.map((member) => ({ start: member.getFullStart(), end: member.end, text: "" }))
      ])
    ]
  }
  if (ts.isTypeAliasDeclaration(declaration) || ts.isEnumDeclaration(declaration)) {
    return [editedText(declaration, renameEdit(declaration.name, as))]
  }
  if (ts.isModuleDeclaration(declaration)) return [editedText(declaration, [])]
  return [declaration.getText()]
}

const kindOf = (declaration: ts.Node): string => {
  if (ts.isFunctionDeclaration(declaration)) return "function"
  if (ts.isClassDeclaration(declaration)) return "class"
  if (ts.isInterfaceDeclaration(declaration)) return "interface"
  if (ts.isTypeAliasDeclaration(declaration)) return "type"
  if (ts.isEnumDeclaration(declaration)) return "enum"
  if (ts.isModuleDeclaration(declaration)) return "namespace"
  if (ts.isExportDeclaration(declaration)) return "re-export"
  if (ts.isVariableDeclaration(declaration) || ts.isBindingElement(declaration)) {
    const type = checker.getTypeAtLocation(declaration.name)
    return type.getCallSignatures().length > 0 && type.getProperties().length === 0 ? "function" : "const"
  }
  return "declaration"
}

/** What an export specifier stands for: the declarations of its target. */
const targetDeclarations = (specifier: ts.ExportSpecifier): Array<ts.Declaration> => {
  let symbol = checker.getExportSpecifierLocalTargetSymbol(specifier)
  if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol)
  return [...(symbol?.declarations ?? [])]
}

// -----------------------------------------------------------------------------
// Collecting the modules
// -----------------------------------------------------------------------------

interface Entry {
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

interface ModuleDoc {
  readonly info: ModuleInfo
  readonly sourceFile: ts.SourceFile
  readonly doc: Doc
  readonly entries: ReadonlyArray<Entry>
  /** The anchor of each export (its first entry, for a name with a value and a type). */
  readonly anchors: Map<string, string>
  readonly headings: Map<string, string>
}

const UNCATEGORIZED = "uncategorized"

const collectModule = (info: ModuleInfo): ModuleDoc => {
  const sourceFile = sourceFileOf(info.file)
  currentModule = sourceFile
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

const categoriesOf = (module: ModuleDoc): Array<[string, Array<Entry>]> => {
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

// -----------------------------------------------------------------------------
// Markdown
// -----------------------------------------------------------------------------

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
const assignAnchors = (module: ModuleDoc): void => {
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
const unresolvedLinks: Array<string> = []

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

const renderModule = (module: ModuleDoc, docs: ReadonlyMap<string, ModuleDoc>): string => {
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

const renderIndex = (docs: ReadonlyArray<ModuleDoc>): string => {
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
