/**
 * Structured concurrency: `TaskGroup` and `taskGroup` own the tasks spawned
 * into them — the first failure cancels the siblings, and nothing outlives
 * the group. Errors always arrive as a `TaskGroupError` aggregate.
 *
 * @example
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { taskGroup } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const pages = await taskGroup(async (group) => {
 *   const tasks = ["a", "b", "c"].map((name) =>
 *     group.spawn(async (signal) => {
 *       await sleep(1, { signal });
 *       return name.toUpperCase();
 *     })
 *   );
 *   return Promise.all(tasks);
 * });
 * assert.deepEqual(pages, ["A", "B", "C"]);
 * ```
 *
 * @module
 */
export {
  type SpawnOptions,
  type StartFunction,
  type StartOptions,
  type Task,
  type TaskFunction,
  TaskGroup,
  taskGroup,
  type TaskGroupOptions,
  type TaskState,
} from "./task_group.ts";
export { TaskGroupError } from "./task_group_error.ts";
export { asCompleted } from "./as_completed.ts";
export { gather, type GatherOptions } from "./gather.ts";
export { race, type RaceOptions } from "./race.ts";
export { retry, type RetryFunction, type RetryOptions } from "./retry.ts";
export { shield, type ShieldOptions } from "./shield.ts";
export {
  type ReturnWhen,
  wait,
  type WaitOptions,
  type WaitResult,
} from "./wait.ts";
