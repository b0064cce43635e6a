import type { SignalOptions } from "./sleep.ts";
import { startTimer, stopTimer } from "./_timer.ts";
import { checkDuration, checkFunction } from "../_validate.ts";

/**
 * Where the library reads time and starts timers. Every time-based API takes
 * a `clock` option; a test passes a virtual clock (`TestClock` from
 * `@seed/async/testing`) instead of patching globals.
 *
 * Which clock an API uses: its explicit `clock` option; else the clock of the
 * scope its `signal` belongs to (a `CancelScope`, `TaskGroup`, `withTimeout`
 * or `moveOnAfter` created with a clock hands it to every signal it derives);
 * else {@linkcode systemClock}.
 *
 * @example A clock that runs ten times faster than real time
 * ```ts
 * import { type Clock, sleep, systemClock } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const fast: Clock = {
 *   now: () => systemClock.now() * 10,
 *   setTimer: (ms, callback) => systemClock.setTimer(ms / 10, callback),
 * };
 * const start = fast.now();
 * await sleep(50, { clock: fast }); // about 5 ms of real time
 * assert.isAtLeast(fast.now() - start, 40); // timers may fire 1 ms early
 * ```
 */
export interface Clock {
  /** The current time in ms; only differences between readings matter. */
  now(): number;
  /**
   * Calls `callback` once, `ms` milliseconds from now (`Infinity`: never).
   * Returns a function that cancels the timer; calling it after the timer
   * fired does nothing.
   */
  setTimer(ms: number, callback: () => void): () => void;
}

/** Options of every time-based operation: a signal and a clock. */
export interface TimeOptions extends SignalOptions {
  /**
   * The clock to read time from and start timers on; default: the clock of
   * `signal`'s scope, else {@linkcode systemClock}.
   */
  clock?: Clock;
}

/**
 * Real time: `now()` is `Date.now()` (ms since the epoch) and `setTimer` is
 * `setTimeout`, except that delays over the host's 2^31−1 ms limit are
 * chained rather than firing at once, and `Infinity` arms no timer at all.
 *
 * @example
 * ```ts
 * import { systemClock } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const start = systemClock.now();
 * await new Promise<void>((resolve) => systemClock.setTimer(5, resolve));
 * assert.isAtLeast(systemClock.now(), start);
 *
 * let fired = false;
 * const cancel = systemClock.setTimer(1, () => fired = true);
 * cancel();
 * assert.isFalse(fired);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms: number, callback: () => void): () => void {
    checkDuration("systemClock.setTimer", "ms", ms);
    checkFunction("systemClock.setTimer", "callback", callback);
    const timer = startTimer(undefined, ms, callback, undefined);
    return () => stopTimer(timer);
  },
};
