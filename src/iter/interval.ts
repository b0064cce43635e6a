import type { Clock, TimeOptions } from "../cancel/clock.ts";
import { checkDuration, checkOptions, checkSignal } from "../_validate.ts";
import type { AsyncOperator, Step } from "./_op.ts";
import { clockOption, TimedOp } from "./_timed.ts";

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
  return new IntervalOp(ms, signal, clockOption("interval", clock, signal));
}

class IntervalOp extends TimedOp<never, number> {
  readonly #ms: number;
  #tick = 0;
  #due = 0;

  constructor(ms: number, signal: AbortSignal | undefined, clock: Clock) {
    super(undefined, clock, signal);
    this.#ms = ms;
  }

  protected override start(): void {
    this.#due = this.clock.now();
  }

  protected step(): Step<number> {
    const now = this.clock.now();
    this.#due = Math.max(this.#due + this.#ms, now);
    this.startTimer(this.#due - now);
    return this.park();
  }

  readonly #tock = (): Step<number> => ({ done: false, value: this.#tick++ });

  protected onTimer(): void {
    this.unpark(this.#tock);
  }
}
