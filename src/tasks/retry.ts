import { abortable } from "../cancel/abortable.ts";
import { isAbortError } from "../cancel/errors.ts";
import type { Clock } from "../cancel/clock.ts";
import { sleep } from "../cancel/sleep.ts";
import { clockOf, registerClock } from "../_clock.ts";
import { fallbackSignal } from "../_fallback_signal.ts";
import {
  checkClock,
  checkDuration,
  checkFunction,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkSignal,
  describe,
} from "../_validate.ts";

/** The work {@linkcode retry} repeats: called with the signal and the attempt number (from 1). */
export type RetryFunction<T> = (
  signal: AbortSignal,
  attempt: number,
) => T | PromiseLike<T>;

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /** Total number of calls (not retries), an integer ≥ 1 or `Infinity`. Default `3`. */
  attempts?: number;
  /** The first delay's upper bound, in ms; later ones grow by `factor`. Default `100`. */
  minDelay?: number;
  /** No delay exceeds this, in ms (`Infinity` for no cap). Default `10_000`. */
  maxDelay?: number;
  /** Growth of the delay bound per attempt, a finite number ≥ 1. Default `2`. */
  factor?: number;
  /**
   * `"full"` (default): each delay is uniformly random in `[0, bound]`, so
   * many clients that failed together do not retry together. `"none"`: the
   * delay is the bound itself — deterministic, for tests and schedules.
   */
  jitter?: "full" | "none";
  /** Whether to retry after `error` from attempt `attempt`; may be async. Default: always. */
  shouldRetry?: (
    error: unknown,
    attempt: number,
  ) => boolean | PromiseLike<boolean>;
  /** Called before each backoff with the error, the failed attempt and the delay; awaited. */
  onRetry?: (error: unknown, attempt: number, delay: number) => unknown;
  /** Aborting it stops the retries (and any backoff) and rejects with its reason. */
  signal?: AbortSignal;
  /**
   * The clock the backoff waits on; default: the clock of `signal`'s scope,
   * else `systemClock`. Without a `signal`, the signal `fn` gets carries it.
   */
  clock?: Clock;
}

const JITTERS = ["full", "none"] as const;

/**
 * Calls `fn(signal, attempt)` until it fulfils, at most `attempts` times in
 * all, waiting between attempts with exponential backoff: the delay after
 * attempt `n` is at most `min(maxDelay, minDelay × factor^(n−1))`, and with
 * the default full jitter a uniformly random fraction of that bound.
 * Rejects with the last error once the attempts are used up or
 * `shouldRetry` says no.
 *
 * An abort is never retried: when `signal` has aborted, `retry` rejects with
 * its reason (also mid-backoff, clearing the timer); an `AbortError` thrown
 * by `fn` itself is rethrown at once. A `TimeoutError` (from
 * `AbortSignal.timeout` or `withTimeout` inside `fn`) is an
 * ordinary failure and is retried.
 *
 * @throws {RangeError} `attempts` is not an integer ≥ 1 (or `Infinity`), a
 * delay is negative or NaN (or `minDelay` infinite), or `factor` is below 1
 * or not finite; `jitter` is not `"full"` or `"none"`.
 * @throws {TypeError} `fn`, `shouldRetry` or `onRetry` is not a function, or
 * `signal` is not an AbortSignal.
 *
 * @example A flaky call that succeeds on the third attempt
 * ```ts
 * import { retry } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const delays: number[] = [];
 * const value = await retry(async (_signal, attempt) => {
 *   if (attempt < 3) throw new Error(`flaky ${attempt}`);
 *   return "ok";
 * }, {
 *   minDelay: 1,
 *   maxDelay: 10,
 *   jitter: "none",
 *   onRetry: (_error, _attempt, delay) => delays.push(delay),
 * });
 * assert.equal(value, "ok");
 * assert.deepEqual(delays, [1, 2]);
 * ```
 */
export function retry<T>(
  fn: RetryFunction<T>,
  options?: RetryOptions,
): Promise<T> {
  const where = "retry";
  checkFunction(where, "fn", fn);
  const {
    attempts = 3,
    minDelay = 100,
    maxDelay = 10_000,
    factor = 2,
    jitter = "full",
    shouldRetry,
    onRetry,
    signal,
    clock,
  } = checkOptions(where, options);
  checkInteger(where, "attempts", attempts, 1, true);
  checkDuration(where, "minDelay", minDelay);
  if (minDelay === Infinity) {
    throw new RangeError(`${where}: minDelay must be finite, got Infinity`);
  }
  checkDuration(where, "maxDelay", maxDelay);
  if (typeof factor !== "number") {
    throw new TypeError(
      `${where}: factor must be a number, got ${describe(factor)}`,
    );
  }
  if (!(factor >= 1 && factor < Infinity)) {
    throw new RangeError(
      `${where}: factor must be a finite number >= 1, got ${describe(factor)}`,
    );
  }
  checkOneOf(where, "jitter", jitter, JITTERS);
  if (shouldRetry !== undefined) {
    checkFunction(where, "shouldRetry", shouldRetry);
  }
  if (onRetry !== undefined) checkFunction(where, "onRetry", onRetry);
  checkSignal(where, signal);
  const timers = checkClock(where, clock) ?? clockOf(signal);
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Without a caller's signal, `fn` still gets one (that never aborts), on
  // the retry's clock.
  const fnSignal = fallbackSignal(fn, signal);
  if (!signal && fnSignal) registerClock(fnSignal, timers);
  return (async () => {
    for (let attempt = 1;; attempt++) {
      try {
        return await fn(fnSignal, attempt);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (isAbortError(error) || attempt >= attempts) throw error;
        if (
          shouldRetry &&
          !(await abortable(shouldRetry(error, attempt), signal))
        ) throw error;
        const bound = Math.min(maxDelay, minDelay * factor ** (attempt - 1));
        const delay = jitter === "full" ? Math.random() * bound : bound;
        if (onRetry) await abortable(onRetry(error, attempt, delay), signal);
        await sleep(delay, { signal, clock: timers });
      }
    }
  })();
}
