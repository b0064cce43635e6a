import { checkInteger, checkOptions } from "../_validate.ts";
import { type AsyncOperator, CLOSE, Op, PULL, type Step } from "./_op.ts";
import { Deque } from "../_deque.ts";
import { type AnySource, toOp } from "./_source.ts";

/** Options of {@linkcode tee}. */
export interface TeeOptions {
  /**
   * The most items held for branches that lag behind (default 64). When the
   * fastest branch is this far ahead of the slowest live one, it waits for
   * the slowest to catch up.
   */
  bufferSize?: number;
}

/**
 * Splits `source` into `count` branches that each yield every item. The
 * source is read once, by whichever branch is ahead; items are kept until
 * every live branch has read them, at most `bufferSize` of them — a lagging
 * branch holds the others back (backpressure) instead of letting memory
 * grow. So read the branches concurrently: reading one to its end before
 * starting another stalls once more than `bufferSize` items are ahead.
 *
 * A branch that leaves (`break`, `return()`, or an operator over it that is
 * closed), whether it read anything or not, stops counting at once, so the
 * others run on; the source is returned when the last branch has left. A
 * source error reaches each branch after the items before it.
 *
 * @throws {TypeError} `source` is not iterable.
 * @throws {RangeError} `count` is not an integer ≥ 1, or `bufferSize` < 1.
 *
 * @example
 * ```ts
 * import { map, tee, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const [a, b] = tee([1, 2, 3], 2);
 * const [doubled, squared] = await Promise.all([
 *   toArray(map(a, (n) => n * 2)),
 *   toArray(map(b, (n) => n * n)),
 * ]);
 * assert.deepEqual(doubled, [2, 4, 6]);
 * assert.deepEqual(squared, [1, 4, 9]);
 * ```
 *
 * @example A branch that leaves unread holds nothing back
 * ```ts
 * import { tee, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const [a, b] = tee([1, 2, 3, 4, 5], 2, { bufferSize: 2 });
 * await b.return();
 * assert.deepEqual(await toArray(a), [1, 2, 3, 4, 5]);
 * ```
 */
export function tee<T>(
  source: AnySource<T>,
  count = 2,
  options?: TeeOptions,
): AsyncOperator<T>[] {
  checkInteger("tee", "count", count, 1);
  const { bufferSize = 64 } = checkOptions("tee", options) as TeeOptions;
  checkInteger("tee", "bufferSize", bufferSize, 1, true);
  return new TeeCore(toOp<T>("tee", "source", source), bufferSize, count)
    .branches;
}

// The shared reader: one pull at a time, and the items not yet read by
// every live branch; the first of them has index `#base`.
class TeeCore<T> {
  readonly #source: Op<T>;
  readonly #bufferSize: number;
  readonly #branches: Set<Branch<T>>;
  /** The branches, in the order tee returns them. */
  readonly branches: Branch<T>[];
  readonly #items = new Deque<T>();
  #base = 0;
  #pulling = false;
  // Set when the source has ended: how (the error it failed with, or none).
  #end: { error?: unknown } | undefined;

  constructor(source: Op<T>, bufferSize: number, count: number) {
    this.#source = source;
    this.#bufferSize = bufferSize;
    this.branches = Array.from({ length: count }, () => new Branch(this));
    this.#branches = new Set(this.branches);
  }

  /** The item at `index`, the branch's end, or undefined: wait. */
  read(branch: Branch<T>, index: number): Step<T> | undefined {
    for (;;) {
      const items = this.#items;
      const offset = index - this.#base;
      if (offset < items.size) return { done: false, value: items.at(offset) };
      if (this.#end) return branch.over(this.#end);
      if (this.#pulling || items.size >= this.#bufferSize) return;
      const step = this.#source[PULL]();
      if (step instanceof Promise) {
        this.#pulling = true;
        step.then(this.#onResult, this.#onError);
        return;
      }
      this.#accept(step);
    }
  }

  /** A branch moved on (or left): drop what no live branch needs. */
  trim(): void {
    let drop = this.#items.size;
    for (const branch of this.#branches) {
      drop = Math.min(drop, branch.position - this.#base);
    }
    if (drop <= 0) return;
    this.#items.drop(drop);
    this.#base += drop;
    this.#wakeAll();
  }

  /** A branch left; the last one to leave returns the source. */
  leave(branch: Branch<T>, reason: unknown): Promise<void> | void {
    this.#branches.delete(branch);
    this.trim();
    if (this.#branches.size === 0) return this.#source[CLOSE](reason);
  }

  #accept(result: IteratorResult<T, undefined>): void {
    if (result.done) this.#end = {};
    else this.#items.push(result.value);
  }

  readonly #onResult = (result: IteratorResult<T, undefined>): void => {
    this.#pulling = false;
    this.#accept(result);
    this.#wakeAll();
  };

  readonly #onError = (error: unknown): void => {
    this.#pulling = false;
    this.#end = { error };
    this.#wakeAll();
  };

  #wakeAll(): void {
    for (const branch of this.#branches) branch.wake();
  }
}

class Branch<T> extends Op<T> {
  readonly #core: TeeCore<T>;
  position = 0;

  constructor(core: TeeCore<T>) {
    super();
    this.#core = core;
  }

  protected step(): Step<T> {
    const step = this.#core.read(this, this.position);
    if (!step) return this.park();
    if (!(step instanceof Promise) && !step.done) {
      this.position++;
      this.#core.trim();
    }
    return step;
  }

  wake(): void {
    if (!this.closed) this.unpark();
  }

  /** The source's end reached this branch: done, or its error. */
  over(end: { error?: unknown }): Step<T> {
    return "error" in end ? this.fail(end.error) : this.finish();
  }

  protected override release(): void {
    this.#core.leave(this, undefined);
  }

  protected stop(reason: unknown): Promise<void> | void {
    return this.#core.leave(this, reason);
  }
}
