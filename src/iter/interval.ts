import type { SignalOptions } from "../cancel/sleep.ts";
import { systemClock } from "../cancel/clock.ts";
import { checkDuration, checkSignalOption } from "../_validate.ts";
import { type AsyncOperator, Op, type Step } from "./_op.ts";

/**
 * Yields 0, 1, 2… one every `ms` milliseconds, from the first `next()`.
 * Ticks are due at fixed times; a consumer that falls behind gets the next
 * tick at once, and the schedule restarts from then (ticks are never
 * bunched up). A timer runs only while a `next()` waits, so an idle
 * consumer costs nothing. Never ends by itself: `break`, `take()`, or abort
 * `signal` (which rejects with `signal.reason`).
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
  options?: SignalOptions,
): AsyncOperator<number> {
  checkDuration("interval", "ms", ms);
  return new IntervalOp(ms, checkSignalOption("interval", options));
}

class IntervalOp extends Op<number> {
  readonly #ms: number;
  #tick = 0;
  #due = 0;
  #stopTimer: (() => void) | undefined;

  constructor(ms: number, signal: AbortSignal | undefined) {
    super(signal);
    this.#ms = ms;
  }

  protected override start(): void {
    this.#due = Date.now();
  }

  protected step(): Step<number> {
    const now = Date.now();
    this.#due = Math.max(this.#due + this.#ms, now);
    this.#stopTimer = systemClock.setTimer(this.#due - now, this.#onTimer);
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
