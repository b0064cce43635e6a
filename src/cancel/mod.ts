/**
 * Cancellation and time: the `Clock` every timer goes through, abortable
 * `sleep`, `yieldNow`, timeouts (`withTimeout`, `moveOnAfter`, `deadline`,
 * `timeoutSignal`), `CancelScope`, and the leak-free signal plumbing
 * (`linkSignals`, `abortable`) the rest of the library is built on. Every wait takes `{ signal }` and rejects with
 * `signal.reason` untouched; timeouts reject with a `DOMException` named
 * `TimeoutError`.
 *
 * @example
 * ```ts
 * import { isTimeoutError, sleep, withTimeout } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const error = await withTimeout(10, (signal) => sleep(1000, { signal }))
 *   .catch((e) => e);
 * assert.isTrue(isTimeoutError(error));
 * ```
 *
 * @module
 */
export { abortable } from "./abortable.ts";
export { CancelScope, type CancelScopeOptions } from "./cancel_scope.ts";
export { type Clock, systemClock, type TimeOptions } from "./clock.ts";
export { deadline } from "./deadline.ts";
export { isAbortError, isTimeoutError } from "./errors.ts";
export { type LinkedSignal, linkSignals } from "./link_signals.ts";
export { type SignalOptions, sleep } from "./sleep.ts";
export { timeoutSignal, type TimeoutSignalOptions } from "./timeout_signal.ts";
export { type Cancellable, moveOnAfter, withTimeout } from "./with_timeout.ts";
export { yieldNow } from "./yield_now.ts";
