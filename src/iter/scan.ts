import { checkFunction } from "../_validate.ts";
import type { AsyncOperator, Op } from "./_op.ts";
import { type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";
import type { CallbackContext } from "./types.ts";

/**
 * Like {@linkcode reduce}, but yields every intermediate accumulator:
 * `fn(accumulator, item, { index, signal })`, starting from `initial`.
 * `fn` may be async.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example Running totals
 * ```ts
 * import { scan, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(scan([1, 2, 3], (sum, n) => sum + n, 0)), [1, 3, 6]);
 * ```
 */
export function scan<T, A>(
  source: AnySource<T>,
  fn: (accumulator: A, item: T, context: CallbackContext) => A | PromiseLike<A>,
  initial: A,
): AsyncOperator<A> {
  checkFunction("scan", "fn", fn);
  return new ScanOp(toOp<T>("scan", "source", source), fn, initial);
}

class ScanOp<T, A> extends SeqOp<T, A> {
  #accumulator: A;

  constructor(
    source: Op<T>,
    fn: (accumulator: A, item: T, context: CallbackContext) => unknown,
    initial: A,
  ) {
    // `fn` is still called with `this` undefined.
    super(
      source,
      undefined,
      (item, context) => fn(this.#accumulator, item, context),
    );
    this.#accumulator = initial;
  }

  protected override result(_value: T, out: unknown): Outcome<A> {
    this.#accumulator = out as A;
    return { done: false, value: out as A };
  }
}
