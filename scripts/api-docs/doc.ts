// JSDoc comments as text and tags, and their example sections.
import type ts from "typescript"
import { jsDocLines, OPEN_FENCE } from "../jsdoc.js"

export interface Doc {
  /** The Markdown lines before the tags. */
  readonly text: ReadonlyArray<string>
  /** The value of each tag, by name (the first occurrence). */
  readonly tags: ReadonlyMap<string, string>
}

const emptyDoc: Doc = { text: [], tags: new Map() }

/** The text and the tags of a JSDoc comment: a tag is a line starting with `@name`, outside code blocks. */
export const parseDoc = (sourceFile: ts.SourceFile, range: ts.TextRange | undefined): Doc => {
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
export const splitExample = (lines: ReadonlyArray<string>): [Array<string>, Array<string>] => {
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
