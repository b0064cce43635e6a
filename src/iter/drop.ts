import { checkInteger } from "../_validate.ts";
import type { AsyncOperator, Op } from "./_op.ts";
import { AGAIN, type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";

/**
 * Skips the first `count` items of `source` and yields the rest.
 *
 * @throws {TypeError} `source` is not iterable.
 * @throws {RangeError} `count` is not an integer ≥ 0 (or `Infinity`).
 *
 * @example
 * ```ts
 * import { drop, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(drop([1, 2, 3, 4], 2)), [3, 4]);
 * ```
 */
export function drop<T>(source: AnySource<T>, count: number): AsyncOperator<T> {
  checkInteger("drop", "count", count, 0, true);
  return new DropOp(toOp<T>("drop", "source", source), count);
}

class DropOp<T> extends SeqOp<T, T> {
  #left: number;

  constructor(source: Op<T>, count: number) {
    super(source, undefined);
    this.#left = count;
  }

  protected override item(result: IteratorYieldResult<T>): Outcome<T> {
    if (this.#left === 0) return result;
    this.#left--;
    return AGAIN;
  }
}
