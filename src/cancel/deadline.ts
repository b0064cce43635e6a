import { abortable } from "./abortable.ts";
import { CancelScope } from "./cancel_scope.ts";
import type { SignalOptions } from "./sleep.ts";
import { disposeSymbol } from "../_symbols.ts";
import { checkDuration, checkSignalOption } from "../_validate.ts";

/**
 * For work that cannot be cancelled: settles like `promise`, or rejects with a
 * `TimeoutError` once `ms` milliseconds pass (or with `signal.reason` when
 * `signal` aborts). The promise keeps running; its outcome is handled, and the
 * timer is cleared as soon as anything settles.
 *
 * @throws {RangeError} `ms` is negative or NaN.
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
  options?: SignalOptions,
): Promise<T> {
  checkDuration("deadline", "ms", ms);
  const signal = checkSignalOption("deadline", options);
  const scope = new CancelScope({ timeout: ms, signal });
  const result = abortable(promise, scope.signal);
  const release = () => scope[disposeSymbol]();
  result.then(release, release);
  return result;
}
