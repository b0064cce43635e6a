import { abortError, timeoutError } from "./errors.ts";
import { type LinkedSignal, linkSignals } from "./link_signals.ts";
import { noop } from "../_noop.ts";
import { systemClock } from "./clock.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import {
  checkDuration,
  checkOptions,
  checkSignal,
  describe,
} from "../_validate.ts";

/** Options of {@linkcode CancelScope}. */
export interface CancelScopeOptions {
  /** Milliseconds from now until the scope expires; default `Infinity`. */
  timeout?: number;
  /** Absolute expiry time in ms since the epoch (`Date.now()`); the earlier of `timeout` and `deadline` wins. */
  deadline?: number;
  /** The parent: aborting it cancels the scope with the parent's reason. */
  signal?: AbortSignal;
  /** Ignore the parent `signal` (Trio's `shield`); only `cancel()` and the deadline apply. */
  shield?: boolean;
}

// CancelScope.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not in the class body.
let installed = false;

/**
 * A region of work that can be cancelled as a unit, with an optional,
 * movable deadline — Trio's `CancelScope` on top of `AbortSignal`.
 *
 * Pass {@linkcode CancelScope.signal} to the work inside. The scope aborts it
 * when its parent signal aborts (reason untouched), when
 * {@linkcode CancelScope.cancel} is called, or when the deadline passes (reason:
 * a `DOMException` named `TimeoutError`). Only the scope whose own deadline
 * fired reports {@linkcode CancelScope.expired}, so nested scopes can tell
 * their own timeout from an outer one. A deadline that has already passed
 * cancels the scope at once.
 *
 * Dispose it (`using scope = new CancelScope(…)`) to clear its timer and
 * unlink it from its parent.
 *
 * @example A deadline pushed back while progress is made
 * ```ts
 * import { CancelScope, sleep } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * using scope = new CancelScope({ timeout: 50 });
 * for (let i = 0; i < 3; i++) {
 *   await sleep(1, { signal: scope.signal });
 *   scope.reschedule(50); // still making progress: give it more time
 * }
 * assert.isFalse(scope.expired);
 * scope.cancel();
 * assert.isTrue(scope.cancelCalled && scope.signal.aborted);
 * ```
 */
export class CancelScope implements Disposable {
  readonly #link: LinkedSignal;
  #deadline = Infinity;
  #startedAt = 0;
  #stopTimer: () => void = noop;
  #cancelCalled = false;
  #expired = false;

  /**
   * Creates a scope linked to `options.signal` (unless `shield`), armed with
   * the earlier of `timeout` and `deadline`.
   *
   * @throws {RangeError} `timeout` is negative or NaN, or `deadline` is NaN.
   * @throws {TypeError} an option has the wrong type.
   */
  constructor(options?: CancelScopeOptions) {
    installed ||= defineMethod(
      CancelScope.prototype,
      disposeSymbol,
      function (this: CancelScope) {
        this.#stopTimer();
        this.#link[disposeSymbol]();
      },
    );
    const { timeout = Infinity, deadline = Infinity, signal, shield = false } =
      checkOptions("CancelScope", options);
    checkDuration("CancelScope", "timeout", timeout);
    if (typeof deadline !== "number" || Number.isNaN(deadline)) {
      throw new (typeof deadline === "number" ? RangeError : TypeError)(
        `CancelScope: deadline must be a time in ms since the epoch, got ${
          describe(deadline)
        }`,
      );
    }
    const parent = checkSignal("CancelScope", signal);
    this.#link = linkSignals(shield ? undefined : parent);
    this.signal.addEventListener("abort", () => this.#stopTimer(), {
      once: true,
    });
    const now = Date.now();
    this.#arm(now, Math.min(now + timeout, deadline));
  }

  /** Aborts when the scope is cancelled, expires, or its parent aborts. */
  get signal(): AbortSignal {
    return this.#link.signal;
  }

  /** When the scope expires, in ms since the epoch; `Infinity` for never. */
  get deadline(): number {
    return this.#deadline;
  }

  /** Whether {@linkcode CancelScope.cancel} was called or the deadline passed. */
  get cancelCalled(): boolean {
    return this.#cancelCalled;
  }

  /** Whether this scope's own deadline fired (not a parent's, not `cancel()`). */
  get expired(): boolean {
    return this.#expired;
  }

  /** Cancels the scope: aborts its signal with `reason` (default: an `AbortError`). */
  cancel(reason: unknown = abortError()): void {
    if (this.signal.aborted) return;
    this.#cancelCalled = true;
    this.#link.abort(reason);
  }

  /**
   * Moves the deadline to `msFromNow` milliseconds from now (`Infinity`
   * removes it). Does nothing once the scope has been cancelled.
   *
   * @throws {RangeError} `msFromNow` is negative or NaN.
   */
  reschedule(msFromNow: number): void {
    checkDuration("CancelScope.reschedule", "msFromNow", msFromNow);
    if (this.signal.aborted) return;
    this.#stopTimer();
    const now = Date.now();
    this.#arm(now, now + msFromNow);
  }

  /** Clears the timer and unlinks the scope from its parent signal. */
  declare [Symbol.dispose]: () => void;

  #arm(now: number, deadline: number): void {
    this.#deadline = deadline;
    this.#startedAt = now;
    if (this.signal.aborted || deadline === Infinity) return;
    if (deadline <= now) this.#expire();
    else {this.#stopTimer = systemClock.setTimer(deadline - now, () =>
        this.#expire());}
  }

  #expire(): void {
    this.#stopTimer = noop;
    this.#expired = true;
    this.#cancelCalled = true;
    this.#link.abort(timeoutError(this.#deadline - this.#startedAt));
  }
}
