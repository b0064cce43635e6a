import { abortable } from "../cancel/abortable.ts";
import { fallbackSignal } from "../_fallback_signal.ts";
import { checkFunction, checkSignalOption } from "../_validate.ts";
import type { TaskFunction } from "./task_group.ts";

/** Options of {@linkcode shield}. */
export interface ShieldOptions {
  /** The caller's signal: aborting it rejects the call, but does not reach `fn`. */
  signal?: AbortSignal;
}

/**
 * Runs `fn(signal)` protected from the caller's cancellation — asyncio's
 * `shield`, Trio's shielded scope. `fn` gets a fresh signal that is **not**
 * linked to `options.signal`, so work that must finish (a commit, a
 * goodbye message) runs to completion.
 *
 * The caller is not held hostage: aborting `options.signal` still rejects
 * the returned promise at once with its reason, while `fn` carries on; its
 * eventual outcome is handled, so a later failure is not an unhandled
 * rejection. An already-aborted signal rejects at once, and `fn` is not
 * called (shielding protects work that has started, not new work).
 *
 * @throws {TypeError} `fn` is not a function, or `signal` is not an
 * AbortSignal.
 *
 * @example The caller gives up; the shielded write still completes
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { shield } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const controller = new AbortController();
 * let saved = false;
 * const write = async (signal: AbortSignal) => {
 *   await sleep(5, { signal }); // not aborted by the caller
 *   saved = true;
 * };
 * let running: Promise<void> = Promise.resolve();
 * const save = shield((signal) => running = write(signal), {
 *   signal: controller.signal,
 * });
 * controller.abort(new Error("caller left"));
 * assert.equal((await save.catch((e) => e)).message, "caller left");
 * assert.isFalse(saved); // the caller did not wait…
 * await running;
 * assert.isTrue(saved); // …but the write completed
 * ```
 */
export function shield<T>(
  fn: TaskFunction<T>,
  options?: ShieldOptions,
): Promise<T> {
  checkFunction("shield", "fn", fn);
  const signal = checkSignalOption("shield", options);
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Called now; a synchronous throw becomes the rejection.
  return abortable(
    new Promise<T>((resolve) => resolve(fn(fallbackSignal(fn, undefined)))),
    signal,
  );
}
