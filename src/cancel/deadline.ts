import { abortable } from "./abortable.ts";
import { CancelScope } from "./cancel_scope.ts";
import type { TimeOptions } from "./clock.ts";
import { disposeSymbol } from "../_symbols.ts";
import {
  checkClock,
  checkDuration,
  checkOptions,
  checkSignal,
} from "../_validate.ts";

/**
 * For work that cannot be cancelled: settles like `promise`, or rejects with a
 * `TimeoutError` once `ms` milliseconds pass (or with `signal.reason` when
 * `signal` aborts). The promise keeps running; its outcome is handled, and the
 * timer is cleared as soon as anything settles. The timer runs on
 * `options.clock` (default: the clock of `signal`'s scope, else
 * `systemClock`).
 *
 * @throws {RangeError} `ms` is negative or NaN.
 * @throws {TypeError} `signal` is not an AbortSignal, or `clock` is not a Clock.
 *
 * @example
 * ```ts
 * import { deadline, isTimeoutError } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const stuck = new Promise<never>(() => {});
 * const error = await deadline(stuck, 10).catch((e) => e);
 * assert.isTrue(isTimeoutError(error));
 * assert.equal(await deadline(Promise.resolve(7), 1000), 7);
 * ```
 */
export function deadline<T>(
  promise: PromiseLike<T> | T,
  ms: number,
  options?: TimeOptions,
): Promise<T> {
  checkDuration("deadline", "ms", ms);
  const { signal, clock } = checkOptions("deadline", options);
  checkSignal("deadline", signal);
  checkClock("deadline", clock);
  const scope = new CancelScope({ timeout: ms, signal, clock });
  const result = abortable(promise, scope.signal);
  const release = () => scope[disposeSymbol]();
  result.then(release, release);
  return result;
}
