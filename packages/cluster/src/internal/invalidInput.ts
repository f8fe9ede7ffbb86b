/**
 * A value that does not match its Schema, as the `InvalidInput` of the child and field
 * it was for.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"
import * as ClusterError from "../ClusterError.js"

/** The `InvalidInput` of `field` of child `id`, from a parse error. @internal */
export const invalidInput = (id: string, field: string) => (error: ParseResult.ParseError): ClusterError.InvalidInput =>
  new ClusterError.InvalidInput({ id, field, issue: ParseResult.TreeFormatter.formatErrorSync(error) })
