/**
 * The messages between callers and a cluster child: the entity that holds each child,
 * with its RPCs (start, call, cast, terminate), and a call's result.
 *
 * @internal
 */
import * as ClusterSchema from "@effect/cluster/ClusterSchema"
import * as Entity from "@effect/cluster/Entity"
import * as Rpc from "@effect/rpc/Rpc"
import * as Schema from "effect/Schema"
import * as ClusterError from "../ClusterError.js"

/** A call's answer: the encoded reply, or the encoded typed error of the kind. @internal */
export const CallResult = Schema.Union(
  Schema.TaggedStruct("Ok", { value: Schema.Unknown }),
  Schema.TaggedStruct("Error", { error: Schema.Unknown })
)

/** @internal */
export const ChildEntity = Entity.make("effect-otp/ClusterChild", [
  Rpc.make("Start", {
    payload: { kind: Schema.String, args: Schema.Unknown, spec: Schema.Unknown },
    success: Schema.Void,
    error: Schema.Union(ClusterError.StartErrorSchema, ClusterError.Unavailable)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Call", {
    payload: { kind: Schema.String, request: Schema.Unknown },
    success: CallResult,
    error: Schema.Union(ClusterError.CallErrorSchema, ClusterError.Unavailable)
  }),
  Rpc.make("Cast", {
    payload: { kind: Schema.String, message: Schema.Unknown },
    success: Schema.Void,
    error: Schema.Union(ClusterError.CallErrorSchema, ClusterError.Unavailable)
  }),
  Rpc.make("Terminate", {
    success: Schema.Void,
    error: Schema.Union(ClusterError.ChildNotFound, ClusterError.Unavailable)
  }).annotate(ClusterSchema.Persisted, true)
])
