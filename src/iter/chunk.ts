import type { Clock } from "../cancel/clock.ts";
import { checkDuration, checkInteger, checkOptions } from "../_validate.ts";
import { type AsyncOperator, type Op, PULL, type Step } from "./_op.ts";
import { type AnySource, toOp } from "./_source.ts";
import { clockOption, TimedOp } from "./_timed.ts";

/** Options of {@linkcode chunk}. */
export interface ChunkOptions {
  /**
   * Emit a partial chunk once this many milliseconds have passed since its
   * first item arrived. Default `Infinity`: only full chunks (and the rest
   * at the end).
   */
  maxWait?: number;
  /** The clock `maxWait` is measured on; default `systemClock`. */
  clock?: Clock;
}

/**
 * Groups items into arrays of `size` (the last may be shorter). With
 * `maxWait`, a chunk is also emitted when its first item has waited that
 * long — batching for a slow or bursty source. If the source fails, the
 * partial chunk is dropped and the error propagates.
 *
 * @throws {TypeError} `source` is not iterable.
 * @throws {RangeError} `size` is not an integer ≥ 1, or `maxWait` is negative.
 *
 * @example
 * ```ts
 * import { chunk, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(chunk([1, 2, 3, 4, 5], 2)), [[1, 2], [3, 4], [5]]);
 * ```
 */
export function chunk<T>(
  source: AnySource<T>,
  size: number,
  options?: ChunkOptions,
): AsyncOperator<T[]> {
  checkInteger("chunk", "size", size, 1);
  const { maxWait = Infinity, clock } = checkOptions(
    "chunk",
    options,
  ) as ChunkOptions;
  checkDuration("chunk", "maxWait", maxWait);
  const timers = clockOption("chunk", clock);
  const op = toOp<T>("chunk", "source", source);
  return new ChunkOp(op, size, maxWait, timers);
}

class ChunkOp<T> extends TimedOp<T, T[]> {
  readonly #size: number;
  readonly #maxWait: number;
  #items: T[] = [];
  #pulling = false;
  #exhausted = false;
  #due = false; // maxWait passed for the current chunk

  constructor(source: Op<T>, size: number, maxWait: number, clock: Clock) {
    super(source, clock);
    this.#size = size;
    this.#maxWait = maxWait;
  }

  protected step(): Step<T[]> {
    for (;;) {
      if (this.#due || this.#items.length === this.#size) return this.#emit();
      if (this.#exhausted) {
        return this.#items.length > 0 ? this.#emit() : this.finish();
      }
      if (this.#pulling) return this.park();
      const result = this.source[PULL]();
      if (result instanceof Promise) {
        this.#pulling = true;
        result.then(this.#onResult, this.#onError);
        return this.park();
      }
      this.#add(result);
    }
  }

  #emit(): IteratorYieldResult<T[]> {
    const value = this.#items;
    this.#items = [];
    this.#due = false;
    this.stopTimer();
    return { done: false, value };
  }

  #add(result: IteratorResult<T, undefined>): void {
    if (result.done) {
      this.#exhausted = true;
      return;
    }
    this.#items.push(result.value);
    if (this.#items.length === 1 && this.#maxWait !== Infinity) {
      this.startTimer(this.#maxWait);
    }
  }

  readonly #onResult = (result: IteratorResult<T, undefined>): void => {
    this.#pulling = false;
    if (this.closed) return;
    this.#add(result);
    this.unpark();
  };

  readonly #onError = (error: unknown): void => {
    this.#pulling = false;
    this.failNow(error);
  };

  // The pull goes on; the consumer gets what there is now.
  protected onTimer(): void {
    this.#due = true;
    this.unpark();
  }
}
