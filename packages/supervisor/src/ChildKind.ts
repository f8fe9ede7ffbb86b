/**
 * Child kinds: supervision trees as data.
 *
 * A kind pairs a name, a Schema of its arguments and a start function. A tree written as
 * data (JSON, a configuration value) names kinds and gives their arguments; decoding it
 * with the kinds checks every field, fills in OTP's defaults and yields the
 * `Supervisor.Options` to start, or a `ParseError` whose issues point at the bad path
 * (`children[1].args.port`).
 *
 * The data of a tree:
 *
 * ```json
 * {
 *   "name": "app",
 *   "strategy": "one_for_one",
 *   "maxRestarts": 3,
 *   "maxSeconds": 5,
 *   "autoShutdown": "never",
 *   "backoff": { "base": "100 millis", "max": "10 seconds", "jitter": true },
 *   "resetBackoffAfter": "1 minute",
 *   "children": [
 *     { "id": "cache", "kind": "cache", "args": { "size": 100 }, "restart": "transient", "shutdown": 1000 },
 *     { "id": "db", "supervisor": { "strategy": "one_for_all", "children": [] }, "startTimeout": "5 seconds" }
 *   ]
 * }
 * ```
 *
 * Flags (all optional): `name` (the supervisor's name), `strategy` (`"one_for_one"` by
 * default, `"one_for_all"`, `"rest_for_one"`), `maxRestarts` (an integer >= 0, default 3)
 * and `maxSeconds` (a number > 0, default 5), giving the restart policy
 * `Restart.intensity(maxRestarts, maxSeconds seconds)`, `autoShutdown` (`"never"` by
 * default, `"any_significant"`, `"all_significant"`), and `backoff` (the options of
 * `Restart.backoff`: `base`, `factor`, `max`, `jitter`) and `resetBackoffAfter` for the
 * children whose data has none. A child is a kind child (`id`, `kind`, `args`, and the
 * spec fields `restart`, `shutdown`, `type`, `significant` of `ChildSpec.DataSchema`) or
 * a nested supervisor (`id`, `supervisor`: a tree, and `restart`, `shutdown`,
 * `significant`; its type is `"supervisor"` and its shutdown `"infinity"` by default);
 * both may have `startTimeout`, `backoff` and `resetBackoffAfter`. Durations are
 * milliseconds (`1500`) or duration strings (`"1.5 seconds"`).
 *
 * With `{ errors: "all" }` every issue is reported in one pass: a child's bad arguments
 * with its other bad fields, the children under a bad flag, duplicate ids with the rest.
 * {@link treeConfig} reads a tree from any `ConfigProvider`, as keys or as JSON.
 *
 * Unknown keys are rejected (in a kind's arguments too, unless the caller passes its own
 * `onExcessProperty` option), and so are duplicate child ids within one supervisor, a
 * significant child under a supervisor whose `autoShutdown` is `"never"`, and a
 * significant `permanent` child.
 *
 * @since 0.1.0
 */
export { childSpec, isChildKind, make, TypeId } from "./internal/childKind/kind.js"
export type { Any, ChildKind, Context, Defaults } from "./internal/childKind/kind.js"

export type {
  BackoffData,
  ChildData,
  DurationData,
  KindChildData,
  SupervisorChildData,
  TimingData,
  TreeData
} from "./internal/childKind/treeData.js"

export { decodeTree, decodeTreeJson, formatError, treeConfig, treeSchema } from "./internal/childKind/decoding.js"
