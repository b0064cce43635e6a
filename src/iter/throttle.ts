import type { Clock } from "../cancel/clock.ts";
import { checkDuration, checkInteger, checkOptions } from "../_validate.ts";
import { type AsyncOperator, type Op, PULL, type Step } from "./_op.ts";
import { type AnySource, toOp } from "./_source.ts";
import { clockOption, TimedOp } from "./_timed.ts";

/** Options of {@linkcode throttle}. */
export interface ThrottleOptions {
  /** How many items may pass per `interval`. Default 1. */
  limit?: number;
  /** The window, in milliseconds. Required. */
  interval: number;
  /** The clock the window is measured on; default `systemClock`. */
  clock?: Clock;
}

/**
 * Rate-limits `source` to at most `limit` items in any `interval`
 * milliseconds (a sliding window). Nothing is dropped: when the window is
 * full, the next pull of the source waits until an earlier item leaves the
 * window, so a request-per-item pipeline never asks its source too early.
 *
 * @throws {TypeError} `source` is not iterable, or `interval` is missing.
 * @throws {RangeError} `limit` is not an integer ≥ 1, or `interval` is negative.
 *
 * @example Two items per 20 ms (on virtual time, so the instants are exact)
 * ```ts
 * import { map, throttle, toArray } from "@seed/async/iter";
 * import { TestClock } from "@seed/async/testing";
 * import { assert } from "chai";
 *
 * using clock = new TestClock({ autojump: true });
 * const paced = throttle([1, 2, 3], { limit: 2, interval: 20, clock });
 * const at = await toArray(map(paced, () => clock.now()));
 * assert.deepEqual(at, [0, 0, 20]);
 * ```
 */
export function throttle<T>(
  source: AnySource<T>,
  options: ThrottleOptions,
): AsyncOperator<T> {
  const bag = checkOptions("throttle", options) as Partial<ThrottleOptions>;
  const limit = checkInteger("throttle", "limit", bag.limit ?? 1, 1);
  const interval = checkDuration("throttle", "interval", bag.interval);
  const clock = clockOption("throttle", bag.clock);
  const op = toOp<T>("throttle", "source", source);
  return new ThrottleOp(op, limit, interval, clock);
}

class ThrottleOp<T> extends TimedOp<T, T> {
  readonly #interval: number;
  // When each of the last `limit` items passed, oldest first (a ring).
  readonly #times: number[];
  #next = 0;

  constructor(source: Op<T>, limit: number, interval: number, clock: Clock) {
    super(source, clock);
    this.#interval = interval;
    this.#times = new Array(limit).fill(-Infinity);
  }

  protected step(): Step<T> {
    const wait = this.#times[this.#next] + this.#interval - this.clock.now();
    if (wait <= 0) return this.#pull();
    this.startTimer(wait);
    return this.park();
  }

  readonly #pull = (): Step<T> => {
    const step = this.source[PULL]();
    if (!(step instanceof Promise)) return this.#pass(step);
    return step.then(this.#pass, (error) => this.fail(error));
  };

  readonly #pass = (result: IteratorResult<T, undefined>): Step<T> => {
    if (result.done) return this.finish();
    this.#times[this.#next] = this.clock.now();
    this.#next = (this.#next + 1) % this.#times.length;
    return result;
  };

  protected onTimer(): void {
    this.unpark(this.#pull);
  }
}
