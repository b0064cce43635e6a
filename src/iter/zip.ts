import { type AsyncOperator, CLOSE, DONE, Op, PULL, type Step } from "./_op.ts";
import { type AnySource, toOps } from "./_source.ts";

/**
 * Yields arrays holding one item of each source, pulled in parallel, until
 * the shortest source ends; then returns the others. A failing source
 * returns the others and rejects.
 *
 * @throws {TypeError} a source is not iterable.
 *
 * @example
 * ```ts
 * import { toArray, zip } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const pairs = await toArray(zip([1, 2, 3], ["a", "b"]));
 * assert.deepEqual(pairs, [[1, "a"], [2, "b"]]);
 * ```
 */
export function zip<T extends unknown[]>(
  ...sources: { [K in keyof T]: AnySource<T[K]> }
): AsyncOperator<T> {
  return new ZipOp<T>(toOps("zip", sources));
}

class ZipOp<T extends unknown[]> extends Op<T> {
  readonly #ops: Op<unknown>[];

  constructor(ops: Op<unknown>[]) {
    super();
    this.#ops = ops;
  }

  protected step(): Step<T> {
    if (this.#ops.length === 0) return this.finish();
    const steps = this.#ops.map((op) => op[PULL]());
    if (steps.some((step) => step instanceof Promise)) {
      return Promise.all(steps).then(this.#combine, this.#onError);
    }
    return this.#combine(steps as IteratorResult<unknown, undefined>[]);
  }

  protected stop(reason: unknown): Promise<unknown> {
    return Promise.all(this.#ops.map((op) => op[CLOSE](reason)));
  }

  readonly #combine = (
    results: IteratorResult<unknown, undefined>[],
  ): Step<T> => {
    if (this.closed) return DONE;
    if (results.some((result) => result.done)) return this.end();
    return { done: false, value: results.map((result) => result.value) as T };
  };

  readonly #onError = (error: unknown): Promise<never> => this.fail(error);
}
