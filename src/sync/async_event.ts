import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { resolveAll, Waiters } from "./_waiters.ts";

/**
 * A flag that tasks can wait on (asyncio's `Event`, named so as not to shadow
 * the DOM's `Event`). {@linkcode AsyncEvent.set} wakes every waiter and makes
 * later waits resolve at once until {@linkcode AsyncEvent.clear}.
 *
 * @example
 * ```ts
 * import { AsyncEvent } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const ready = new AsyncEvent();
 * const waiters = [ready.wait(), ready.wait()];
 * assert.isFalse(ready.isSet);
 * ready.set();
 * await Promise.all(waiters);
 * assert.isTrue(ready.isSet);
 * ```
 */
export class AsyncEvent {
  readonly #waiters = new Waiters<void>("AsyncEvent.wait");
  #set = false;

  /** Whether the event is set. */
  get isSet(): boolean {
    return this.#set;
  }

  /** Callers waiting for the event. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Sets the event and wakes every waiter. Setting it again does nothing. */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    resolveAll(this.#waiters);
  }

  /** Clears the event: later waits block until the next {@linkcode set}. */
  clear(): void {
    this.#set = false;
  }

  /**
   * Resolves once the event is set (at once if it already is). Aborting
   * `signal` rejects with `signal.reason`; an already-aborted signal rejects
   * even if the event is set.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { AsyncEvent } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const event = new AsyncEvent();
   * const controller = new AbortController();
   * const waiting = event.wait({ signal: controller.signal });
   * controller.abort(new Error("stop"));
   * assert.equal((await waiting.catch((e) => e)).message, "stop");
   * ```
   */
  wait(options?: SignalOptions): Promise<void> {
    const signal = checkSignalOption("AsyncEvent.wait", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#set) return Promise.resolve();
    return this.#waiters.wait(signal);
  }
}
