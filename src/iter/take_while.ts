import { checkFunction } from "../_validate.ts";
import type { AsyncOperator } from "./_op.ts";
import { type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";
import type { CallbackContext } from "./types.ts";

/**
 * Yields items while `fn(item, { index, signal })` is truthy; at the first
 * falsy answer, returns the source and ends. `fn` may be async.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { takeWhile, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(takeWhile([1, 2, 5, 1], (n) => n < 3)), [1, 2]);
 * ```
 */
export function takeWhile<T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => unknown,
): AsyncOperator<T> {
  checkFunction("takeWhile", "fn", fn);
  return new TakeWhileOp(
    toOp<T>("takeWhile", "source", source),
    undefined,
    fn,
  );
}

class TakeWhileOp<T> extends SeqOp<T, T> {
  protected override result(value: T, keep: unknown): Outcome<T> {
    return keep ? { done: false, value } : this.end();
  }
}
