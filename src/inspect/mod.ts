/**
 * See what runs: a live tree of every `TaskGroup`, task and `CancelScope`
 * with what each waits on (`python -m asyncio pstree` for this library), and
 * event-loop stall detection (asyncio's slow-callback warning). Free while
 * unused: the library checks one `null` hook.
 *
 * @example
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { enableInspector } from "@seed/async/inspect";
 * import { TaskGroup } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * using inspector = enableInspector();
 * const group = new TaskGroup();
 * group.spawn((signal) => sleep(10_000, { signal }));
 * group.cancel();
 * assert.match(inspector.format(), /CANCELLING/);
 * await group.wait();
 * assert.match(inspector.format(), /task #\d+ cancelled/);
 * ```
 *
 * @module
 */
export {
  enableInspector,
  type InspectNode,
  type Inspector,
  type InspectorOptions,
  type NodeKind,
  type NodeState,
} from "./inspector.ts";
export {
  type Stall,
  watchEventLoop,
  type WatchEventLoopOptions,
} from "./watch_event_loop.ts";
