/**
 * A supervision tree read from a `ConfigProvider`: either a JSON string at one key, or a
 * structure of keys (`ConfigProvider.fromJson`, nested environment variables such as
 * `APP__SUPERVISION__CHILDREN__0__ID`). A structure's leaves are strings: they are given
 * the types the tree's Schema (and each kind's arguments Schema) expects before decoding,
 * and keys are matched without regard to case or `_` (`MAX_RESTARTS` is `maxRestarts`).
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type * as ChildKind from "../../ChildKind.js"
import type * as Supervisor from "../../Supervisor.js"
import { formatIssue } from "../issue.js"
import { treeJsonSchema, treeSchema } from "./treeSchema.js"

/** A value read from configuration: a string, or keys under which more values are. */
type Raw = string | { readonly [key: string]: Raw }

/**
 * Whatever is at the current path: its string, or the values under it; missing data when
 * there is neither (so that `Config.withDefault` and `Config.option` apply).
 */
const raw: Config.Config<Raw> = Config.suspend(() =>
  Config.mapOrFail(
    Config.all([Config.option(Config.string()), Config.hashMap(raw)]),
    ([text, map]): Either.Either<Raw, ConfigError.ConfigError> =>
      Option.isSome(text)
        ? Either.right(text.value)
        : HashMap.size(map) > 0
        ? Either.right(Object.fromEntries(map))
        : Either.left(ConfigError.MissingData([], "Expected a value or keys under it"))
  )
)

const normalize = (key: string): string => key.replace(/[_-]/g, "").toLowerCase()

/** The entries of an object or array read from configuration (`[0]` or `0` keys), in index order. */
const asArray = (value: unknown): ReadonlyArray<unknown> | undefined => {
  if (Array.isArray(value)) return value
  if (value === "<nil>" || value === "") return [] // ConfigProvider.fromJson's empty array
  if (!Predicate.isRecord(value)) return undefined
  const entries: Array<[number, unknown]> = []
  for (const [key, item] of Object.entries(value)) {
    const match = /^\[?(\d+)\]?$/.exec(key)
    if (match === null) return undefined
    entries.push([Number(match[1]), item])
  }
  return entries.sort(([a], [b]) => a - b).map(([, item]) => item)
}

/** A string that holds JSON where an object or an array is expected (`ARGS='{"size":100}'`). */
const parseJson = Schema.decodeUnknownOption(Schema.parseJson())

const structured = (value: unknown): unknown => {
  if (typeof value !== "string") return value
  const parsed = parseJson(value)
  return Option.isSome(parsed) && typeof parsed.value === "object" ? parsed.value : value
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

const toNumber = (value: unknown): unknown => (typeof value === "string" && NUMBER.test(value) ? Number(value) : value)

const toBoolean = (value: unknown): unknown => (value === "true" ? true : value === "false" ? false : value)

type Fields = { readonly [field: string]: (value: unknown) => unknown }

/** An object whose keys are matched to `fields` (exactly, or by their normalized form). */
const conformObject = (value: unknown, fields: Fields): unknown => {
  const input = structured(value)
  if (!Predicate.isRecord(input) || Array.isArray(input)) return input
  const byNormal = new Map(Object.keys(fields).map((field) => [normalize(field), field]))
  const out: { [key: string]: unknown } = {}
  for (const [key, item] of Object.entries(input)) {
    const field = Object.hasOwn(fields, key) ? key : byNormal.get(normalize(key)) ?? key
    out[field] = Object.hasOwn(fields, field) ? fields[field](item) : item
  }
  return out
}

const isValid = (ast: AST.AST) => Schema.is(Schema.make(AST.encodedAST(ast)))

/**
 * A value read from configuration given the types of `ast`'s encoded side: numbers,
 * booleans and literals from their strings, structs and arrays from keys or JSON.
 */
const conformAst = (ast: AST.AST, value: unknown): unknown => {
  switch (ast._tag) {
    case "Transformation":
      return conformAst(ast.from, value)
    case "Refinement":
      return conformAst(ast.from, value)
    case "Suspend":
      return conformAst(ast.f(), value)
    case "NumberKeyword":
      return toNumber(value)
    case "BooleanKeyword":
      return toBoolean(value)
    case "Literal":
      return typeof value === "string" && typeof ast.literal !== "string" && String(ast.literal) === value
        ? ast.literal
        : value
    case "Union": {
      if (typeof value === "string" && isValid(ast)(value)) return value
      for (const member of ast.types) {
        const conformed = conformAst(member, value)
        if (isValid(member)(conformed)) return conformed
      }
      return value
    }
    case "TypeLiteral": {
      const fields: { [field: string]: (value: unknown) => unknown } = {}
      for (const property of ast.propertySignatures) {
        if (typeof property.name === "string") fields[property.name] = (item) => conformAst(property.type, item)
      }
      const conformed = conformObject(value, fields)
      if (ast.indexSignatures.length === 0 || !Predicate.isRecord(conformed)) return conformed
      const index = ast.indexSignatures[0].type
      return Object.fromEntries(
        Object.entries(conformed).map((
          [key, item]
        ) => [key, Object.hasOwn(fields, key) ? item : conformAst(index, item)])
      )
    }
    case "TupleType": {
      const items = asArray(structured(value))
      if (items === undefined) return value
      return items.map((item, i) => {
        const element = i < ast.elements.length ? ast.elements[i].type : ast.rest[0]?.type
        return element === undefined ? item : conformAst(element, item)
      })
    }
    default:
      return value
  }
}

const duration = toNumber

const backoffFields: Fields = { base: duration, factor: toNumber, max: duration, jitter: toBoolean }

const conformTree = (kinds: ReadonlyMap<string, ChildKind.Any>, value: unknown): unknown =>
  conformObject(value, {
    name: (item) => item,
    strategy: (item) => item,
    maxRestarts: toNumber,
    maxSeconds: toNumber,
    autoShutdown: (item) => item,
    backoff: (item) => conformObject(item, backoffFields),
    resetBackoffAfter: duration,
    children: (item) => {
      const children = asArray(structured(item))
      return children === undefined ? item : children.map((child) => conformChild(kinds, child))
    }
  })

const conformChild = (kinds: ReadonlyMap<string, ChildKind.Any>, value: unknown): unknown => {
  const child = conformObject(value, {
    id: (item) => item,
    kind: (item) => item,
    args: (item) => item,
    supervisor: (item) => conformTree(kinds, item),
    restart: (item) => item,
    shutdown: duration,
    type: (item) => item,
    significant: toBoolean,
    startTimeout: duration,
    backoff: (item) => conformObject(item, backoffFields),
    resetBackoffAfter: duration
  })
  if (!Predicate.isRecord(child) || typeof child.kind !== "string" || !Object.hasOwn(child, "args")) return child
  const kind = kinds.get(child.kind)
  return kind === undefined ? child : { ...child, args: conformAst(kind.args.ast, child.args) }
}

/** @internal */
export const treeConfig = (
  kinds: ReadonlyArray<ChildKind.Any>,
  name: string
): Config.Config<Supervisor.Options<unknown>> => {
  const byName = new Map(kinds.map((kind) => [kind.name, kind]))
  const fromJson = ParseResult.decodeUnknownEither(treeJsonSchema(kinds))
  const fromData = ParseResult.decodeUnknownEither(treeSchema(kinds))
  return Config.mapOrFail(Config.nested(raw, name), (value) =>
    Either.mapLeft(
      typeof value === "string"
        ? fromJson(value, { errors: "all" })
        : fromData(conformTree(byName, value), { errors: "all" }),
      (issue) => ConfigError.InvalidData([], formatIssue(issue))
    ))
}
