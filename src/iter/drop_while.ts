import { checkFunction } from "../_validate.ts";
import type { AsyncOperator } from "./_op.ts";
import { AGAIN, type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";
import type { CallbackContext } from "./types.ts";

/**
 * Skips items while `fn(item, { index, signal })` is truthy, then yields
 * the rest without calling `fn` again. `fn` may be async.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { dropWhile, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(dropWhile([1, 2, 5, 1], (n) => n < 3)), [5, 1]);
 * ```
 */
export function dropWhile<T>(
  source: AnySource<T>,
  fn: (item: T, context: CallbackContext) => unknown,
): AsyncOperator<T> {
  checkFunction("dropWhile", "fn", fn);
  return new DropWhileOp(toOp<T>("dropWhile", "source", source), undefined, fn);
}

class DropWhileOp<T> extends SeqOp<T, T> {
  #dropping = true;

  protected override item(result: IteratorYieldResult<T>): Outcome<T> {
    return this.#dropping ? this.apply(result.value) : result;
  }

  protected override result(value: T, skip: unknown): Outcome<T> {
    if (skip) return AGAIN;
    this.#dropping = false;
    return { done: false, value };
  }
}
