import { CancelScope } from "./cancel_scope.ts";
import type { TimeOptions } from "./clock.ts";
import { disposeSymbol } from "../_symbols.ts";
import {
  checkClock,
  checkDuration,
  checkFunction,
  checkOptions,
  checkSignal,
} from "../_validate.ts";

/** Work that runs under a signal it should honour. */
export type Cancellable<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * Runs `fn(signal)` with a signal that aborts after `ms` milliseconds (reason:
 * a `DOMException` named `TimeoutError`) or when `options.signal` aborts.
 * Waits for `fn` to settle, then:
 *
 * - resolves with its value if it fulfilled (even after the deadline);
 * - rejects with the `TimeoutError` if it failed after this call's own
 *   deadline fired, even when `fn` turned the abort into some other error;
 * - otherwise rejects with `fn`'s error (an outer timeout or abort passes
 *   through untouched — only the scope that owns a deadline converts it).
 *
 * The deadline runs on `options.clock` (default: the clock of `signal`'s
 * scope, else `systemClock`), and `fn`'s signal carries that clock on to
 * whatever it is given to.
 *
 * Trio's `fail_after`; `asyncio.timeout`.
 *
 * @throws {RangeError} `ms` is negative or NaN.
 * @throws {TypeError} `fn` is not a function, `signal` is not an
 * AbortSignal, or `clock` is not a Clock.
 *
 * @example
 * ```ts
 * import { isTimeoutError, sleep, withTimeout } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const fast = await withTimeout(1000, async () => "done");
 * assert.equal(fast, "done");
 *
 * const slow = withTimeout(10, (signal) => sleep(1000, { signal }));
 * assert.isTrue(isTimeoutError(await slow.catch((e) => e)));
 * ```
 */
export function withTimeout<T>(
  ms: number,
  fn: Cancellable<T>,
  options?: TimeOptions,
): Promise<T> {
  return runWithDeadline("withTimeout", ms, fn, options, (timeout) => {
    throw timeout;
  });
}

/**
 * Like {@linkcode withTimeout}, but when its own deadline fires and `fn`
 * fails, resolves `undefined` instead of rejecting — Trio's `move_on_after`.
 * A timeout of an enclosing scope still rejects.
 *
 * @example
 * ```ts
 * import { moveOnAfter, sleep } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const result = await moveOnAfter(10, async (signal) => {
 *   await sleep(1000, { signal });
 *   return "finished";
 * });
 * assert.isUndefined(result);
 * ```
 */
export function moveOnAfter<T>(
  ms: number,
  fn: Cancellable<T>,
  options?: TimeOptions,
): Promise<T | undefined> {
  return runWithDeadline("moveOnAfter", ms, fn, options, () => undefined);
}

function runWithDeadline<T, U>(
  where: string,
  ms: number,
  fn: Cancellable<T>,
  options: TimeOptions | undefined,
  onExpired: (timeout: unknown) => U,
): Promise<T | U> {
  checkDuration(where, "ms", ms);
  checkFunction(where, "fn", fn);
  const { signal, clock } = checkOptions(where, options);
  checkSignal(where, signal);
  checkClock(where, clock);
  if (signal?.aborted) return Promise.reject(signal.reason);
  const scope = new CancelScope({ timeout: ms, signal, clock });
  return runInScope(scope, fn, onExpired);
}

async function runInScope<T, U>(
  scope: CancelScope,
  fn: Cancellable<T>,
  onExpired: (timeout: unknown) => U,
): Promise<T | U> {
  // Expired before fn ran (a zero timeout), or fn failed after this
  // scope's own deadline fired: onExpired decides.
  try {
    if (!scope.expired) return await fn(scope.signal);
  } catch (error) {
    if (!scope.expired) throw error;
  } finally {
    scope[disposeSymbol]();
  }
  return onExpired(scope.signal.reason);
}
