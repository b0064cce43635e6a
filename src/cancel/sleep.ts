import type { Clock, TimeOptions } from "./clock.ts";
import { clockOf } from "../_clock.ts";
import { startTimer, stopTimer, type Timer } from "./_timer.ts";
import { type AbortSubscription, offAbort, subscribe } from "../_on_abort.ts";
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
  // undefined: the system clock, whose timers start on the host directly.
  const timers = checkClock("sleep", clock) ?? clockOf(signal);
  return new Promise((resolve, reject) => {
    if (!signal) return void startTimer(timers, ms, resolve, undefined);
    if (signal.aborted) return reject(signal.reason);
    new Nap(ms, timers, signal, resolve, reject);
  });
}

// A sleep pending on a signal is this one object: its own subscription to
// the signal (handleEvent) and the state its timer wakes. 100,000 sleeps on
// one signal keep 100,000 of these plus their promises and timers, and no
// closure.
class Nap implements AbortSubscription {
  declare signal: AbortSignal;
  declare resolve: () => void;
  declare reject: (reason: unknown) => void;
  declare timer: Timer;
  declare handler: Nap;
  declare list: AbortSubscription["list"];

  constructor(
    ms: number,
    clock: Clock | undefined,
    signal: AbortSignal,
    resolve: () => void,
    reject: (reason: unknown) => void,
  ) {
    this.signal = signal;
    this.resolve = resolve;
    this.reject = reject;
    this.handler = this;
    subscribe(signal, this);
    this.timer = startTimer(clock, ms, wake, this);
    inspectHook?.enter(this, signal, "sleep");
  }

  handleEvent(): void {
    inspectHook?.leave(this);
    stopTimer(this.timer);
    this.reject(this.signal.reason);
  }
}

function wake(nap: Nap): void {
  offAbort(nap);
  inspectHook?.leave(nap);
  nap.resolve();
}
