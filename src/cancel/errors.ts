/**
 * Recognising cancellation and timeout errors, whatever produced them.
 *
 * @module
 */

/**
 * Whether `error` is an abort: a `DOMException` (or any error) named
 * `"AbortError"`, the default reason of `AbortController#abort()` and what
 * `fetch` rejects with.
 *
 * @example Telling a cancellation from a failure
 * ```ts
 * import { isAbortError, sleep } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const controller = new AbortController();
 * const nap = sleep(1000, { signal: controller.signal });
 * controller.abort();
 * const error = await nap.catch((e) => e);
 * assert.isTrue(isAbortError(error));
 * ```
 */
export function isAbortError(error: unknown): boolean {
  return hasName(error, "AbortError");
}

/**
 * Whether `error` is a timeout: an error named `"TimeoutError"`, as thrown by
 * this library's timeouts and by `AbortSignal.timeout()`.
 *
 * @example
 * ```ts
 * import { isTimeoutError, withTimeout, sleep } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const error = await withTimeout(10, (signal) => sleep(1000, { signal }))
 *   .catch((e) => e);
 * assert.isTrue(isTimeoutError(error));
 * ```
 */
export function isTimeoutError(error: unknown): boolean {
  return hasName(error, "TimeoutError");
}

function hasName(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null &&
    (error as { name?: unknown }).name === name;
}

/** The `TimeoutError` a deadline of `ms` milliseconds rejects with. */
export function timeoutError(ms: number): DOMException {
  return new DOMException(`Timed out after ${ms} ms`, "TimeoutError");
}

/** The default reason of an abort without one, as `AbortController` makes it. */
export function abortError(): DOMException {
  return new DOMException("This operation was aborted", "AbortError");
}
