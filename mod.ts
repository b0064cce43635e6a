/**
 * Portable async utilities: structured concurrency, cancellation and
 * timeouts, `await using` disposal, coordination primitives, async
 * iterator combinators and a live task tree, built on `AbortSignal`, and a
 * worker pool for CPU work off the event loop. Virtual time for tests is
 * its own subpath, `@seed/async/testing`.
 *
 * @example
 * ```ts
 * import { sleep, TaskGroup } from "@seed/async";
 * import { assert } from "chai";
 *
 * const group = new TaskGroup();
 * const a = group.spawn(async (signal) => { await sleep(5, { signal }); return 1; });
 * const b = group.spawn(async () => 2);
 * await group.wait();
 * assert.deepEqual([await a, await b], [1, 2]);
 * ```
 *
 * @module
 */
export * from "./src/cancel/mod.ts";
export * from "./src/tasks/mod.ts";
export * from "./src/sync/mod.ts";
export * from "./src/dispose/mod.ts";
export * from "./src/iter/mod.ts";
export * from "./src/worker/mod.ts";
export * from "./src/inspect/mod.ts";
