import { type Clock, systemClock } from "./clock.ts";
import { timeoutError } from "./errors.ts";
import { registerClock } from "../_clock.ts";
import { checkClock, checkDuration, checkOptions } from "../_validate.ts";

/** Options of {@linkcode timeoutSignal}. */
export interface TimeoutSignalOptions {
  /** The clock whose time the signal waits on; default `systemClock`. */
  clock?: Clock;
}

/**
 * A signal that aborts `ms` milliseconds from now on `clock` with a
 * `DOMException` named `TimeoutError`: `AbortSignal.timeout` that a test can
 * run on virtual time. The signal carries its clock on, so a `sleep` or a
 * `CancelScope` given it runs on the same clock.
 *
 * Unlike `AbortSignal.timeout`, its timer is an ordinary one: until it fires
 * it keeps a Node or Deno process alive and counts as pending in Deno's test
 * sanitizer. For work that may finish early, prefer a disposable
 * `CancelScope({ timeout })` or `withTimeout`, which clear their timer.
 *
 * @throws {RangeError} `ms` is negative or NaN.
 * @throws {TypeError} `ms` is not a number, or `clock` is not a Clock.
 *
 * @example
 * ```ts
 * import { isTimeoutError, sleep, timeoutSignal } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const signal = timeoutSignal(10);
 * const error = await sleep(Infinity, { signal }).catch((e) => e);
 * assert.isTrue(isTimeoutError(error) && signal.aborted);
 * ```
 */
export function timeoutSignal(
  ms: number,
  options?: TimeoutSignalOptions,
): AbortSignal {
  checkDuration("timeoutSignal", "ms", ms);
  const clock =
    checkClock("timeoutSignal", checkOptions("timeoutSignal", options).clock) ??
      systemClock;
  const controller = new AbortController();
  registerClock(controller.signal, clock);
  clock.setTimer(ms, () => controller.abort(timeoutError(ms)));
  return controller.signal;
}
