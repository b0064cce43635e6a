import type { AsyncOperator, Op } from "./_op.ts";
import { FlattenOp } from "./_flatten.ts";
import type { AnySource } from "./_source.ts";
import { mapOp } from "./map.ts";
import type { CallbackContext, ConcurrencyOptions } from "./types.ts";

/** What a {@linkcode flatMap} callback returns: an iterable, or an iterator. */
export type Flattenable<U> =
  | AnySource<U>
  | AsyncIterator<U>
  | Iterator<U>;

/**
 * Calls `fn(item, { index, signal })`, which returns (or resolves to) an
 * `Iterable`, an `AsyncIterable` or an iterator (an object with `next`), and
 * yields every item of each result. A string or other primitive result is a
 * `TypeError`, as with TC39's `Iterator.prototype.flatMap`: `"ab"` is not
 * split into characters.
 *
 * `concurrency` bounds how many `fn` calls run at once (as in
 * {@linkcode map}); their results are then read one at a time, in input
 * order (or, with `ordered: false`, in the order the calls finished). Each
 * inner iterable is read to its end before the next; an early exit returns
 * the one being read.
 *
 * A call's signal stays live once its iterable is being read; an early exit
 * returns that iterable and aborts the calls still running or buffered.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 * @throws {RangeError} `concurrency` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example Pages of results, flattened
 * ```ts
 * import { flatMap, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const items = flatMap([1, 2], async (page) => [`${page}a`, `${page}b`], {
 *   concurrency: 2,
 * });
 * assert.deepEqual(await toArray(items), ["1a", "1b", "2a", "2b"]);
 * ```
 */
export function flatMap<T, U>(
  source: AnySource<T>,
  fn: (
    item: T,
    context: CallbackContext,
  ) => Flattenable<U> | PromiseLike<Flattenable<U>>,
  options?: ConcurrencyOptions,
): AsyncOperator<U> {
  const outer = mapOp("flatMap", source, fn, options) as Op<unknown>;
  // The signal also guards reading the inner sources, level-triggered.
  return new FlattenOp<U>("flatMap", outer, options?.signal);
}
