import type { Clock, TimeOptions } from "./clock.ts";
import { resolveClock } from "../_clock.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import {
  checkClock,
  checkDuration,
  checkOptions,
  checkSignal,
} from "../_validate.ts";
import { inspectHook } from "../_inspect_hook.ts";

/** Options of every operation that waits: an optional cancellation signal. */
export interface SignalOptions {
  /** Aborting it rejects the wait with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Resolves after `ms` milliseconds on `clock` (default: the clock of
 * `signal`'s scope, else `systemClock`). Aborting `signal` clears the timer
 * and rejects with `signal.reason`; an already-aborted signal rejects at once.
 *
 * `ms` is a number ≥ 0, or `Infinity` to wait until aborted. Delays longer
 * than the host's 2^31−1 ms timer limit are chained, not clamped.
 *
 * @throws {RangeError} `ms` is negative or NaN.
 * @throws {TypeError} `ms` is not a number, `signal` is not an AbortSignal,
 * or `clock` is not a Clock.
 *
 * @example
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * await sleep(5);
 *
 * const controller = new AbortController();
 * const nap = sleep(Infinity, { signal: controller.signal });
 * controller.abort(new Error("wake up"));
 * assert.equal((await nap.catch((e) => e)).message, "wake up");
 * ```
 */
export function sleep(ms: number, options?: TimeOptions): Promise<void> {
  checkDuration("sleep", "ms", ms);
  const { signal, clock } = checkOptions("sleep", options);
  checkSignal("sleep", signal);
  const timers = resolveClock(checkClock("sleep", clock), signal);
  return new Promise((resolve, reject) => {
    if (!signal) return void timers.setTimer(ms, resolve);
    if (signal.aborted) return reject(signal.reason);
    new Nap(ms, timers, signal, resolve, reject);
  });
}

// A sleep pending on a signal is this one object: the signal's abort handler
// (handleEvent) and what the timer wakes. 100,000 sleeps on one signal keep
// 100,000 of these plus their promises and timers, and no closure per
// outcome.
class Nap {
  declare signal: AbortSignal;
  declare resolve: () => void;
  declare reject: (reason: unknown) => void;
  declare subscription: AbortSubscription;
  declare stop: () => void;

  constructor(
    ms: number,
    clock: Clock,
    signal: AbortSignal,
    resolve: () => void,
    reject: (reason: unknown) => void,
  ) {
    this.signal = signal;
    this.resolve = resolve;
    this.reject = reject;
    this.subscription = onAbort(signal, this);
    this.stop = clock.setTimer(ms, () => this.wake());
    inspectHook?.enter(this, signal, "sleep");
  }

  handleEvent(): void {
    inspectHook?.leave(this);
    this.stop();
    this.reject(this.signal.reason);
  }

  wake(): void {
    offAbort(this.subscription);
    inspectHook?.leave(this);
    this.resolve();
  }
}
