import { offAbort, onAbort } from "../_on_abort.ts";
import { checkSignal } from "../_validate.ts";
import { noop } from "../_noop.ts";

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal`
 * aborts, whichever comes first. The promise itself keeps running (use this
 * for work that cannot be cancelled); its eventual rejection is handled, and
 * the abort listener is removed on every path.
 *
 * @example
 * ```ts
 * import { abortable } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const controller = new AbortController();
 * const never = new Promise<never>(() => {});
 * const guarded = abortable(never, controller.signal);
 * controller.abort(new Error("gave up"));
 * const error = await guarded.catch((e) => e);
 * assert.equal(error.message, "gave up");
 * ```
 */
export function abortable<T>(
  promise: PromiseLike<T> | T,
  signal: AbortSignal | undefined,
): Promise<T> {
  const checked = checkSignal("abortable", signal);
  if (!checked) return Promise.resolve(promise);
  if (checked.aborted) {
    Promise.resolve(promise).then(undefined, noop);
    return Promise.reject(checked.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const subscription = onAbort(checked, () => reject(checked.reason));
    Promise.resolve(promise).then(
      (value) => {
        offAbort(subscription);
        resolve(value);
      },
      (error) => {
        offAbort(subscription);
        reject(error);
      },
    );
  });
}
