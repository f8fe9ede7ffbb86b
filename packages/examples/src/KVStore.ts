/**
 * The lesson's KVStore: a GenServer holding a map of strings.
 */
import { GenServer } from "@effect-otp/supervisor"
import { Effect, Option, Request } from "effect"

export class Get extends Request.TaggedClass("Get")<Option.Option<string>, never, { readonly key: string }> {}
export class Put extends Request.TaggedClass("Put")<void, never, { readonly key: string; readonly value: string }> {}

export const KVStore = GenServer.make({
  requests: [Get, Put],
  init: () => Effect.succeed(new Map<string, string>()),
  handlers: {
    Get: ({ key }, store) => Effect.succeed([Option.fromNullable(store.get(key)), store]),
    Put: ({ key, value }, store) => Effect.succeed([undefined, new Map(store).set(key, value)])
  }
})

export const KVStoreName = GenServer.name(KVStore, "KVStore")

/** `{KVStore, []}` in a children list. */
export const childSpec = GenServer.childSpec(KVStore, undefined, { id: "KVStore", name: KVStoreName })

export const get = (key: string) => GenServer.call(KVStoreName, new Get({ key }))

export const put = (key: string, value: string) => GenServer.call(KVStoreName, new Put({ key, value }))
