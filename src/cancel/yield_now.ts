import type { SignalOptions } from "./sleep.ts";
import { nextMacrotask } from "../_macrotask.ts";
import { offAbort, onAbort } from "../_on_abort.ts";
import { checkSignalOption } from "../_validate.ts";

/**
 * Gives the event loop a turn: resolves in a later macrotask, after pending
 * I/O callbacks, timers and rendering get their chance — the cooperative
 * `asyncio.sleep(0)` for long CPU-bound loops. (A resolved promise would only
 * yield to other microtasks.)
 *
 * Uses `setImmediate` where the runtime has one (Node, Bun, Deno, workerd —
 * in workerd a `MessageChannel` loop would starve timers), else a
 * `MessageChannel` (browsers, which clamp nested `setTimeout(0)` to 4 ms),
 * else `setTimeout(0)`.
 *
 * @example A long loop that stays responsive
 * ```ts
 * import { yieldNow } from "@seed/async/cancel";
 *
 * let sum = 0;
 * for (let i = 0; i < 100_000; i++) {
 *   sum += i;
 *   if (i % 10_000 === 0) await yieldNow();
 * }
 * ```
 */
export function yieldNow(options?: SignalOptions): Promise<void> {
  const signal = checkSignalOption("yieldNow", options);
  if (!signal) return new Promise((resolve) => nextMacrotask(resolve));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const subscription = onAbort(signal, () => {
      cancelTurn();
      reject(signal.reason);
    });
    const cancelTurn = nextMacrotask(() => {
      offAbort(subscription);
      resolve();
    });
  });
}
