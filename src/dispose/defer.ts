import { asyncDisposeSymbol } from "../_symbols.ts";
import { checkFunction } from "../_validate.ts";
import { onceAsync } from "./_once.ts";

/**
 * Turns a cleanup function into an `AsyncDisposable`: Go's `defer` as a
 * one-liner, `await using _ = defer(() => …)`. The cleanup runs (and is
 * awaited) when the enclosing block exits, however it exits, and at most
 * once: later disposals wait for the first and resolve without repeating its
 * error.
 *
 * @example
 * ```ts
 * import { defer } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const log: string[] = [];
 * async function work() {
 *   await using _ = defer(async () => {
 *     await Promise.resolve();
 *     log.push("cleaned up");
 *   });
 *   log.push("working");
 *   throw new Error("failed");
 * }
 * const error = await work().catch((e) => e);
 * assert.equal(error.message, "failed");
 * assert.deepEqual(log, ["working", "cleaned up"]);
 * ```
 *
 * @throws {TypeError} `fn` is not a function.
 */
export function defer(fn: () => unknown): AsyncDisposable {
  checkFunction("defer", "fn", fn);
  return { [asyncDisposeSymbol]: onceAsync(fn) };
}
