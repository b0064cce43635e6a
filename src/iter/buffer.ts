import { checkInteger } from "../_validate.ts";
import { type AsyncOperator, CLOSE, Op, PULL, type Step } from "./_op.ts";
import { Deque } from "../_deque.ts";
import { type AnySource, toOp } from "./_source.ts";

/**
 * Reads ahead: from the first `next()` on, keeps pulling `source` (one pull
 * at a time) until `size` items wait for the consumer, so a slow producer
 * and a slow consumer overlap. A source error is reported after the items
 * read before it.
 *
 * @throws {TypeError} `source` is not iterable.
 * @throws {RangeError} `size` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example
 * ```ts
 * import { buffer, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * let pulled = 0;
 * async function* numbers() {
 *   for (let i = 0; i < 10; i++) {
 *     pulled++;
 *     yield i;
 *   }
 * }
 * const ahead = buffer(numbers(), 3);
 * assert.equal((await ahead.next()).value, 0);
 * await new Promise((resolve) => setTimeout(resolve, 0));
 * assert.isAtMost(pulled, 1 + 3);
 * assert.deepEqual(await toArray(ahead), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * ```
 */
export function buffer<T>(
  source: AnySource<T>,
  size: number,
): AsyncOperator<T> {
  checkInteger("buffer", "size", size, 1, true);
  return new BufferOp(toOp<T>("buffer", "source", source), size);
}

class BufferOp<T> extends Op<T> {
  readonly #source: Op<T>;
  readonly #size: number;
  readonly #items = new Deque<T>();
  #pulling = false;
  #ended = false;
  #error: { error: unknown } | undefined;

  constructor(source: Op<T>, size: number) {
    super();
    this.#source = source;
    this.#size = size;
  }

  protected step(): Step<T> {
    this.#fill();
    if (this.#items.size > 0) {
      const value = this.#items.take();
      this.#fill();
      return { done: false, value };
    }
    if (!this.#ended) return this.park();
    return this.#error ? this.fail(this.#error.error) : this.finish();
  }

  protected stop(reason: unknown): Promise<void> {
    return this.#source[CLOSE](reason);
  }

  #fill(): void {
    while (
      !this.#pulling && !this.#ended && this.#items.size < this.#size &&
      !this.closed
    ) {
      const result = this.#source[PULL]();
      if (result instanceof Promise) {
        this.#pulling = true;
        result.then(this.#onResult, this.#onError);
        return;
      }
      this.#accept(result);
    }
  }

  #accept(result: IteratorResult<T, undefined>): void {
    if (result.done) this.#ended = true;
    else this.#items.push(result.value);
  }

  readonly #onResult = (result: IteratorResult<T, undefined>): void => {
    this.#pulling = false;
    if (this.closed) return;
    this.#accept(result);
    this.#fill();
    this.unpark();
  };

  readonly #onError = (error: unknown): void => {
    this.#pulling = false;
    this.#ended = true;
    this.#error = { error };
    if (!this.closed) this.unpark();
  };
}
