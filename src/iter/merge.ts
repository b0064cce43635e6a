import { type AsyncOperator, CLOSE, Op, PULL, type Step } from "./_op.ts";
import { Deque } from "../_deque.ts";
import { type AnySource, type SourceItem, toOps } from "./_source.ts";

/**
 * Yields the items of all sources as they arrive. Each source is pulled
 * again only after its last item was taken, so at most one item per source
 * waits in the buffer. A failing source returns the others and rejects.
 *
 * @throws {TypeError} a source is not iterable.
 *
 * @example
 * ```ts
 * import { merge, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * async function* slow() {
 *   await new Promise((resolve) => setTimeout(resolve, 5));
 *   yield "slow";
 * }
 * const all = await toArray(merge(slow(), ["fast"]));
 * assert.deepEqual(all, ["fast", "slow"]);
 * ```
 */
export function merge<T>(...sources: AnySource<T>[]): AsyncOperator<T>;
/**
 * {@linkcode merge} over sources of different item types: each item is any
 * of them.
 *
 * @example
 * ```ts
 * import { merge, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const items: (number | string)[] = await toArray(merge([1], ["a"]));
 * assert.sameMembers(items, [1, "a"]);
 * ```
 */
export function merge<S extends AnySource<unknown>[]>(
  ...sources: S
): AsyncOperator<SourceItem<S[number]>>;
export function merge<T>(...sources: AnySource<T>[]): AsyncOperator<T> {
  return new MergeOp(toOps<T>("merge", sources));
}

class MergeOp<T> extends Op<T> {
  readonly #ops: Op<T>[];
  // Whether each source may be pulled: not while a pull is in flight or its
  // item waits in #ready, and never again once it has ended.
  readonly #idle: boolean[];
  #live: number;
  readonly #ready = new Deque<{ index: number; value: T }>();

  constructor(ops: Op<T>[]) {
    super();
    this.#ops = ops;
    this.#idle = ops.map(() => true);
    this.#live = ops.length;
  }

  protected step(): Step<T> {
    for (let i = 0; i < this.#ops.length && !this.closed; i++) {
      if (this.#idle[i]) this.#pull(i);
    }
    if (this.closed) return this.closedStep();
    if (this.#ready.size > 0) {
      const first = this.#ready.take();
      this.#idle[first.index] = true;
      return { done: false, value: first.value };
    }
    return this.#live === 0 ? this.finish() : this.park();
  }

  protected stop(reason: unknown): Promise<unknown> {
    return Promise.all(this.#ops.map((op) => op[CLOSE](reason)));
  }

  #pull(index: number): void {
    this.#idle[index] = false;
    const step = this.#ops[index][PULL]();
    if (!(step instanceof Promise)) {
      this.#accept(index, step);
      return;
    }
    step.then((result) => {
      if (this.closed) return;
      this.#accept(index, result);
      this.unpark();
    }, (error) => this.failNow(error));
  }

  #accept(index: number, result: IteratorResult<T, undefined>): void {
    if (result.done) this.#live--;
    else this.#ready.push({ index, value: result.value });
  }
}
