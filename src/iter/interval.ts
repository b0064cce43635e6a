import type { Clock, TimeOptions } from "../cancel/clock.ts";
import { resolveClock } from "../_clock.ts";
import {
  checkClock,
  checkDuration,
  checkOptions,
  checkSignal,
} from "../_validate.ts";
import { type AsyncOperator, Op, type Step } from "./_op.ts";

/**
 * Yields 0, 1, 2… one every `ms` milliseconds, from the first `next()`.
 * Ticks are due at fixed times; a consumer that falls behind gets the next
 * tick at once, and the schedule restarts from then (ticks are never
 * bunched up). A timer runs only while a `next()` waits, so an idle
 * consumer costs nothing. Never ends by itself: `break`, `take()`, or abort
 * `signal` (which rejects with `signal.reason`). Ticks are timed on
 * `options.clock` (default: the clock of `signal`'s scope, else
 * `systemClock`).
 *
 * @throws {RangeError} `ms` is negative or NaN.
 *
 * @example
 * ```ts
 * import { interval, take, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * assert.deepEqual(await toArray(take(interval(2), 3)), [0, 1, 2]);
 * ```
 */
export function interval(
  ms: number,
  options?: TimeOptions,
): AsyncOperator<number> {
  checkDuration("interval", "ms", ms);
  const { signal, clock } = checkOptions("interval", options);
  checkSignal("interval", signal);
  checkClock("interval", clock);
  return new IntervalOp(ms, signal, resolveClock(clock, signal));
}

class IntervalOp extends Op<number> {
  readonly #ms: number;
  readonly #clock: Clock;
  #tick = 0;
  #due = 0;
  #stopTimer: (() => void) | undefined;

  constructor(ms: number, signal: AbortSignal | undefined, clock: Clock) {
    super(signal);
    this.#ms = ms;
    this.#clock = clock;
  }

  protected override start(): void {
    this.#due = this.#clock.now();
  }

  protected step(): Step<number> {
    const now = this.#clock.now();
    this.#due = Math.max(this.#due + this.#ms, now);
    this.#stopTimer = this.#clock.setTimer(this.#due - now, this.#onTimer);
    return this.park();
  }

  protected stop(): void {
    this.#stopTimer?.();
  }

  readonly #onTimer = (): void => {
    this.#stopTimer = undefined;
    this.unpark(() => ({ done: false, value: this.#tick++ }));
  };
}
