import { checkInteger, checkOptions } from "../_validate.ts";
import { type AsyncOperator, CLOSE, Op, PULL, type Step } from "./_op.ts";
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
  const core = new TeeCore(toOp<T>("tee", "source", source), bufferSize);
  return Array.from({ length: count }, () => core.branch());
}

// The shared reader: one pull at a time, and the items not yet read by
// every live branch, indexed from `#base`.
class TeeCore<T> {
  readonly #source: Op<T>;
  readonly #bufferSize: number;
  readonly #branches = new Set<Branch<T>>();
  #items: T[] = [];
  #head = 0; // items[#head] has index #base
  #base = 0;
  #pulling = false;
  #end: { at: number; failed: boolean; error: unknown } | undefined;

  constructor(source: Op<T>, bufferSize: number) {
    this.#source = source;
    this.#bufferSize = bufferSize;
  }

  branch(): Branch<T> {
    const branch = new Branch(this);
    this.#branches.add(branch);
    return branch;
  }

  /** The item at `index`, or what the branch must do instead. */
  read(branch: Branch<T>, index: number): Step<T> | "wait" {
    for (;;) {
      const offset = index - this.#base + this.#head;
      if (offset < this.#items.length) {
        return { done: false, value: this.#items[offset] };
      }
      const end = this.#end;
      if (end && index >= end.at) {
        return end.failed ? branch.failWith(end.error) : DONE_MARK;
      }
      if (this.#pulling) return "wait";
      if (this.#items.length - this.#head >= this.#bufferSize) return "wait";
      const step = this.#source[PULL]();
      if (step instanceof Promise) {
        this.#pulling = true;
        step.then(this.#onResult, this.#onError);
        return "wait";
      }
      this.#accept(step);
    }
  }

  /** A branch moved on (or left): drop what no live branch needs. */
  trim(): void {
    let lowest = Infinity;
    for (const branch of this.#branches) {
      lowest = Math.min(lowest, branch.position);
    }
    if (lowest === Infinity) {
      lowest = this.#base + this.#items.length - this.#head;
    }
    const drop = Math.min(lowest - this.#base, this.#items.length - this.#head);
    if (drop <= 0) return;
    for (let i = 0; i < drop; i++) this.#items[this.#head + i] = undefined as T;
    this.#head += drop;
    this.#base += drop;
    if (this.#head > 32 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#wakeAll();
  }

  /** A branch left; the last one to leave returns the source. */
  leave(branch: Branch<T>, reason: unknown): Promise<void> | void {
    this.#branches.delete(branch);
    this.trim();
    if (this.#branches.size === 0) return this.#source[CLOSE](reason);
  }

  #accept(result: IteratorResult<T, undefined>): void {
    const at = this.#base + this.#items.length - this.#head;
    if (result.done) this.#end = { at, failed: false, error: undefined };
    else this.#items.push(result.value);
  }

  readonly #onResult = (result: IteratorResult<T, undefined>): void => {
    this.#pulling = false;
    this.#accept(result);
    this.#wakeAll();
  };

  readonly #onError = (error: unknown): void => {
    this.#pulling = false;
    const at = this.#base + this.#items.length - this.#head;
    this.#end = { at, failed: true, error };
    this.#wakeAll();
  };

  #wakeAll(): void {
    for (const branch of this.#branches) branch.wake();
  }
}

const DONE_MARK = { done: true, value: undefined } as const;

class Branch<T> extends Op<T> {
  readonly #core: TeeCore<T>;
  position = 0;

  constructor(core: TeeCore<T>) {
    super();
    this.#core = core;
  }

  protected step(): Step<T> {
    const step = this.#core.read(this, this.position);
    if (step === "wait") return this.park();
    if (step === DONE_MARK) return this.finish();
    if (!(step instanceof Promise) && !step.done) {
      this.position++;
      this.#core.trim();
    }
    return step;
  }

  readonly #step = (): Step<T> => this.step();

  wake(): void {
    if (!this.closed) this.unpark(this.#step);
  }

  failWith(error: unknown): Promise<never> {
    return this.fail(error);
  }

  protected override release(): void {
    this.#core.leave(this, undefined);
  }

  protected stop(reason: unknown): Promise<void> | void {
    return this.#core.leave(this, reason);
  }
}
