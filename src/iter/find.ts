// some, every and find: short-circuiting searches that share one loop.

import type { SignalOptions } from "../cancel/sleep.ts";
import { checkFunction } from "../_validate.ts";
import { STOP } from "./_drain.ts";
import { fold } from "./_fold.ts";
import type { AnySource } from "./_source.ts";
import type { CallbackContext } from "./types.ts";

/** A test on one item; may be async. */
export type Predicate<T> = (item: T, context: CallbackContext) => unknown;

/**
 * Whether `fn` is truthy for some item. Stops at the first hit and returns
 * the source. Aborting `signal` rejects with `signal.reason`.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { some } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.isTrue(await some([1, 2, 3], (n) => n > 2));
 * assert.isFalse(await some([], () => true));
 * ```
 */
export function some<T>(
  source: AnySource<T>,
  fn: Predicate<T>,
  options?: SignalOptions,
): Promise<boolean> {
  return search("some", source, fn, options, true)
    .then((hit) => hit !== undefined);
}

/**
 * Whether `fn` is truthy for every item. Stops at the first miss and
 * returns the source. Aborting `signal` rejects with `signal.reason`.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { every } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.isTrue(await every([2, 4], async (n) => n % 2 === 0));
 * assert.isFalse(await every([2, 3], (n) => n % 2 === 0));
 * ```
 */
export function every<T>(
  source: AnySource<T>,
  fn: Predicate<T>,
  options?: SignalOptions,
): Promise<boolean> {
  return search("every", source, fn, options, false)
    .then((miss) => miss === undefined);
}

/**
 * The first item for which `fn` is truthy, or `undefined`. Stops there and
 * returns the source. Aborting `signal` rejects with `signal.reason`.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { find } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.equal(await find(["x", "yy", "zzz"], (s) => s.length === 2), "yy");
 * assert.isUndefined(await find([1], (n) => n > 5));
 * ```
 */
export function find<T, S extends T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => item is S,
  options?: SignalOptions,
): Promise<S | undefined>;
/**
 * {@linkcode find} with any test, sync or async: the item keeps its type.
 *
 * @example
 * ```ts
 * import { find } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.equal(await find([1, 20, 300], async (n) => n > 10), 20);
 * ```
 */
export function find<T>(
  source: AnySource<T>,
  fn: Predicate<T>,
  options?: SignalOptions,
): Promise<T | undefined>;
export function find<T>(
  source: AnySource<T>,
  fn: Predicate<T>,
  options?: SignalOptions,
): Promise<T | undefined> {
  return search("find", source, fn, options, true)
    .then((hit) => hit?.item);
}

// The first item whose test is `wanted` (boxed, so an undefined item counts).
function search<T>(
  where: string,
  source: AnySource<T>,
  fn: Predicate<T>,
  options: SignalOptions | undefined,
  wanted: boolean,
): Promise<{ item: T } | undefined> {
  checkFunction(where, "fn", fn);
  let found: { item: T } | undefined;
  return fold(where, source, options, fn, (item, out) => {
    if (Boolean(out) !== wanted) return;
    found = { item };
    return STOP;
  }).then(() => found);
}
