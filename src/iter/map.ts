import type { AsyncOperator, Op } from "./_op.ts";
import { concurrencyOptions } from "./_options.ts";
import { PoolOp } from "./_pool.ts";
import { type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";
import type { CallbackContext, ConcurrencyOptions } from "./types.ts";

/**
 * Calls `fn(item, { index, signal })` on every item of `source` and yields
 * the results. `fn` may be async.
 *
 * With `concurrency` > 1, up to that many calls run at once, and running
 * calls plus finished results never exceed it; with `ordered: false`
 * results come out as they finish, otherwise in input order. The first
 * failing call aborts the others (their `signal`), returns the source and
 * rejects. Nothing runs before the first `next()`.
 *
 * Each call that reads `signal` gets its own. A result that was yielded
 * keeps a live signal, so a `fetch` response yielded before a `break` can
 * still be read; an early exit aborts only the calls still running and the
 * finished results not yet yielded. `fn` is called with `this` undefined.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 * @throws {RangeError} `concurrency` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example Fetch-like work, three at a time, in input order
 * ```ts
 * import { map, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const lengths = map(
 *   ["a", "bb", "ccc"],
 *   async (word, { signal }) => {
 *     signal.throwIfAborted();
 *     return word.length;
 *   },
 *   { concurrency: 3 },
 * );
 * assert.deepEqual(await toArray(lengths), [1, 2, 3]);
 * ```
 *
 * @example What was yielded stays live after a `break`
 * ```ts
 * import { map } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const signals: AbortSignal[] = [];
 * const pages = map([1, 2, 3, 4], async (page, { signal }) => {
 *   signals.push(signal); // e.g. fetch(`/page/${page}`, { signal })
 *   return page;
 * }, { concurrency: 4 });
 * for await (const page of pages) {
 *   if (page === 1) break;
 * }
 * assert.isFalse(signals[0].aborted); // yielded: its body is still readable
 * assert.isTrue(signals.slice(1).every((signal) => signal.aborted)); // dropped
 * ```
 */
export function map<T, U>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => U | PromiseLike<U>,
  options?: ConcurrencyOptions,
): AsyncOperator<U> {
  return mapOp("map", source, fn, options);
}

/** {@linkcode map} for other operators, with their name in errors. */
export function mapOp<T, U>(
  where: string,
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => U | PromiseLike<U>,
  options: ConcurrencyOptions | undefined,
): Op<U> {
  const { limit, ordered, signal } = concurrencyOptions(where, fn, options);
  const op = toOp<T>(where, "source", source);
  if (limit > 1) return new PoolOp(op, fn, false, limit, ordered, signal);
  return new MapOp<T, U>(op, signal, fn);
}

class MapOp<T, U> extends SeqOp<T, U> {
  protected override result(_value: T, out: unknown): Outcome<U> {
    return { done: false, value: out as U };
  }
}
