import type { AsyncOperator } from "./_op.ts";
import { concurrencyOptions } from "./_options.ts";
import { PoolOp } from "./_pool.ts";
import { AGAIN, type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";
import type { CallbackContext, ConcurrencyOptions } from "./types.ts";

/**
 * Yields the items of `source` for which `fn(item, { index, signal })` is
 * truthy. `fn` may be async; with `concurrency` > 1 up to that many tests run
 * at once (see {@linkcode map} for `ordered`, bounds and errors).
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 * @throws {RangeError} `concurrency` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example
 * ```ts
 * import { filter, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const even = filter([1, 2, 3, 4], async (n) => n % 2 === 0);
 * assert.deepEqual(await toArray(even), [2, 4]);
 * ```
 */
export function filter<T, S extends T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => item is S,
  options?: ConcurrencyOptions,
): AsyncOperator<S>;
/**
 * {@linkcode filter} with any test, sync or async: the items keep their type.
 *
 * @example
 * ```ts
 * import { filter, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const big = filter([1, 20, 300], async (n) => n > 10);
 * assert.deepEqual(await toArray(big), [20, 300]);
 * ```
 */
export function filter<T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => unknown,
  options?: ConcurrencyOptions,
): AsyncOperator<T>;
export function filter<T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => unknown,
  options?: ConcurrencyOptions,
): AsyncOperator<T> {
  const { limit, ordered, signal } = concurrencyOptions("filter", fn, options);
  const op = toOp<T>("filter", "source", source);
  if (limit > 1) return new PoolOp(op, fn, true, limit, ordered, signal);
  return new FilterOp(op, signal, fn);
}

class FilterOp<T> extends SeqOp<T, T> {
  protected override result(value: T, keep: unknown): Outcome<T> {
    return keep ? { done: false, value } : AGAIN;
  }
}
