import type { SignalOptions } from "../cancel/sleep.ts";
import { checkFunction } from "../_validate.ts";
import { fold } from "./_fold.ts";
import type { AnySource } from "./_source.ts";
import type { CallbackContext } from "./types.ts";

/**
 * Folds `source` into one value: `fn(accumulator, item, { index, signal })`
 * for each item, starting from `initial` (always required, so it cannot be
 * confused with the options). `fn` may be async. Aborting `signal` rejects
 * with `signal.reason` and returns the source.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { reduce } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const total = await reduce([1, 2, 3], async (sum, n) => sum + n, 0);
 * assert.equal(total, 6);
 * ```
 */
export function reduce<T, A>(
  source: AnySource<T>,
  fn: (accumulator: A, item: T, context: CallbackContext) => A | PromiseLike<A>,
  initial: A,
  options?: SignalOptions,
): Promise<A> {
  checkFunction("reduce", "fn", fn);
  let accumulator = initial;
  return fold(
    "reduce",
    source,
    options,
    (item, context) => fn(accumulator, item, context),
    (_, out) => {
      accumulator = out as A;
    },
  ).then(() => accumulator);
}
