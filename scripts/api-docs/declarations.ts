// The declarations of the exports as TypeScript without bodies, as the pages show them.
import * as path from "node:path"
import ts from "typescript"
import { isInternal, jsDocRangeOf, toPosix } from "../jsdoc.js"
import { checker, publicNames, resolveAlias } from "./program.js"

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })

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

/** The module whose page is being written: names it exports are written without a qualifier. */
let currentModule: ts.SourceFile | undefined

export const setCurrentModule = (module: ts.SourceFile): void => {
  currentModule = module
}

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
export const signatures = (declaration: ts.Node, as: string): Array<string> => {
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

export const kindOf = (declaration: ts.Node): string => {
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
export const targetDeclarations = (specifier: ts.ExportSpecifier): Array<ts.Declaration> => {
  let symbol = checker.getExportSpecifierLocalTargetSymbol(specifier)
  if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol)
  return [...(symbol?.declarations ?? [])]
}
