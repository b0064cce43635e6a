import { checkOptions } from "../_validate.ts";
import { drain } from "./_drain.ts";
import { noop } from "../_noop.ts";
import type { AnySource } from "./_source.ts";
import { mapOp } from "./map.ts";
import type { CallbackContext, ConcurrencyOptions } from "./types.ts";

/**
 * Calls `fn(item, { index, signal })` on every item of `source`, up to
 * `concurrency` calls at once, and resolves when all have finished. The
 * first failure aborts the running calls (their `signal`), returns the
 * source, waits for those calls to settle and rejects with it; aborting
 * `signal` does the same with `signal.reason`.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 * @throws {RangeError} `concurrency` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example
 * ```ts
 * import { forEach } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const seen = new Set<number>();
 * await forEach([1, 2, 3], async (n) => {
 *   seen.add(n * 10);
 * }, { concurrency: 2 });
 * assert.deepEqual([...seen].sort(), [10, 20, 30]);
 * ```
 */
export function forEach<T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => unknown,
  options?: ConcurrencyOptions,
): Promise<void> {
  // Nothing reads the results, so none should wait for a slower one.
  const bag = { ...checkOptions("forEach", options), ordered: false };
  const op = mapOp("forEach", source, fn, bag);
  return drain(op, noop);
}
