import { timeoutError } from "../cancel/errors.ts";
import type { Clock } from "../cancel/clock.ts";
import { checkDuration, checkOptions } from "../_validate.ts";
import { type AsyncOperator, type Op, PULL, type Step } from "./_op.ts";
import { type AnySource, toOp } from "./_source.ts";
import { clockOption, TimedOp } from "./_timed.ts";

/** Options of {@linkcode timeoutEach}. */
export interface TimeoutEachOptions {
  /** The clock each `next()`'s time limit runs on; default `systemClock`. */
  clock?: Clock;
}

/**
 * Yields the items of `source`, but each `next()` must be answered within
 * `ms` milliseconds of being asked; otherwise it rejects with a
 * `DOMException` named `TimeoutError` and the source is returned (without
 * waiting on its stuck `next()`).
 *
 * @throws {TypeError} `source` is not iterable, or `clock` is not a Clock.
 * @throws {RangeError} `ms` is negative or NaN.
 *
 * @example A source that stalls
 * ```ts
 * import { timeoutEach } from "@seed/async/iter";
 * import { isTimeoutError } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const stalled = {
 *   [Symbol.asyncIterator]: () => ({
 *     next: () => new Promise<IteratorResult<number>>(() => {}),
 *     return: async () => ({ done: true as const, value: undefined }),
 *   }),
 * };
 * const error = await timeoutEach(stalled, 10).next().catch((e) => e);
 * assert.isTrue(isTimeoutError(error));
 * ```
 */
export function timeoutEach<T>(
  source: AnySource<T>,
  ms: number,
  options?: TimeoutEachOptions,
): AsyncOperator<T> {
  checkDuration("timeoutEach", "ms", ms);
  const { clock } = checkOptions("timeoutEach", options);
  const timers = clockOption("timeoutEach", clock);
  const op = toOp<T>("timeoutEach", "source", source);
  return new TimeoutEachOp(op, ms, timers);
}

class TimeoutEachOp<T> extends TimedOp<T, T> {
  readonly #ms: number;

  constructor(source: Op<T>, ms: number, clock: Clock) {
    super(source, clock);
    this.#ms = ms;
  }

  protected step(): Step<T> {
    const step = this.source[PULL]();
    if (!(step instanceof Promise)) return step.done ? this.finish() : step;
    this.startTimer(this.#ms);
    step.then(this.#onResult, this.#onError);
    return this.park();
  }

  readonly #onResult = (result: IteratorResult<T, undefined>): void => {
    this.stopTimer();
    if (this.closed) return;
    this.unpark(() => result.done ? this.finish() : result);
  };

  readonly #onError = (error: unknown): void => {
    this.stopTimer();
    this.failNow(error);
  };

  protected onTimer(): void {
    this.failNow(timeoutError(this.#ms));
  }
}
