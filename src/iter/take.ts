import { checkInteger } from "../_validate.ts";
import type { AsyncOperator, Op, Step } from "./_op.ts";
import { type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";

/**
 * Yields the first `count` items of `source`, then returns the source (at
 * the next pull, without pulling it again).
 *
 * @throws {TypeError} `source` is not iterable.
 * @throws {RangeError} `count` is not an integer ≥ 0 (or `Infinity`).
 *
 * @example
 * ```ts
 * import { interval, take, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(take(interval(1), 3)), [0, 1, 2]);
 * ```
 */
export function take<T>(source: AnySource<T>, count: number): AsyncOperator<T> {
  checkInteger("take", "count", count, 0, true);
  return new TakeOp(toOp<T>("take", "source", source), count);
}

class TakeOp<T> extends SeqOp<T, T> {
  #left: number;

  constructor(source: Op<T>, count: number) {
    super(source, undefined);
    this.#left = count;
  }

  protected override step(): Step<T> {
    if (this.#left === 0) return this.end();
    this.#left--;
    return super.step();
  }

  protected override item(result: IteratorYieldResult<T>): Outcome<T> {
    return result;
  }
}
