import { abortError, timeoutError } from "./errors.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import { noop } from "../_noop.ts";
import { type Clock, systemClock } from "./clock.ts";
import { clockOf, registerClock } from "../_clock.ts";
import { inspectHook } from "../_inspect_hook.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import {
  checkBoolean,
  checkClock,
  checkDuration,
  checkName,
  checkOptions,
  checkSignal,
  describe,
} from "../_validate.ts";

/** Options of {@linkcode CancelScope}. */
export interface CancelScopeOptions {
  /** Milliseconds from now until the scope expires; default `Infinity`. */
  timeout?: number;
  /**
   * Absolute expiry time on the scope's clock (ms since the epoch on
   * `systemClock`, `clock.now()` otherwise); the earlier of `timeout` and
   * `deadline` wins.
   */
  deadline?: number;
  /** The parent: aborting it cancels the scope with the parent's reason. */
  signal?: AbortSignal;
  /** Ignore the parent `signal` (Trio's `shield`); only `cancel()` and the deadline apply. Settable later: {@linkcode CancelScope.shield}. */
  shield?: boolean;
  /** A name for the scope, shown by tools that list what runs. */
  name?: string;
  /**
   * The clock of the deadline; default: the clock of `signal`'s scope, else
   * `systemClock`. The scope hands it on to everything given its signal.
   */
  clock?: Clock;
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
 * Time is read from the scope's clock: the `clock` option, else the clock of
 * the parent `signal`'s scope, else `systemClock`. A scope on a clock other
 * than `systemClock` registers its own signal with that clock, so `sleep`,
 * nested scopes and every other time-based API given `scope.signal` run on
 * it without being passed the clock.
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
  readonly #controller = new AbortController();
  readonly #name: string | undefined;
  // The parent signal; undefined once disposed, so unshielding relinks nothing.
  #parent: AbortSignal | undefined;
  #subscription: AbortSubscription | null = null;
  #shield: boolean;
  readonly #clock: Clock;
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
        this.#unlink();
        this.#parent = undefined;
        inspectHook?.end(this);
      },
    );
    const {
      timeout = Infinity,
      deadline = Infinity,
      signal,
      shield = false,
      name,
      clock,
    } = checkOptions("CancelScope", options);
    checkDuration("CancelScope", "timeout", timeout);
    if (typeof deadline !== "number" || Number.isNaN(deadline)) {
      throw new (typeof deadline === "number" ? RangeError : TypeError)(
        `CancelScope: deadline must be a time on the scope's clock, got ${
          describe(deadline)
        }`,
      );
    }
    this.#parent = checkSignal("CancelScope", signal);
    this.#shield = checkBoolean("CancelScope", "shield", shield);
    this.#name = checkName("CancelScope", name);
    const own = checkClock("CancelScope", clock) ?? clockOf(this.#parent);
    this.#clock = own ?? systemClock;
    this.#link();
    registerClock(this.signal, own);
    const now = this.#clock.now();
    this.#arm(now, Math.min(now + timeout, deadline));
    inspectHook?.scope(this, this.#parent, this.signal);
  }

  /** Aborts when the scope is cancelled, expires, or its parent aborts. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * The name given at creation, if any: for logs and tools that list what
   * runs.
   *
   * @example
   * ```ts
   * import { CancelScope } from "@seed/async/cancel";
   * import { assert } from "chai";
   *
   * using scope = new CancelScope({ name: "sync users", timeout: 1_000 });
   * assert.equal(scope.name, "sync users");
   * ```
   */
  get name(): string | undefined {
    return this.#name;
  }

  /**
   * Whether the parent signal is ignored (Trio's `shield`). Shielding stops a
   * later parent abort from reaching the scope; unshielding while the parent
   * is aborted aborts the scope at once with the parent's reason. An abort
   * that already reached the scope stays. After disposal it only records the
   * flag.
   *
   * @example Shielding cleanup that must finish, then rejoining the parent
   * ```ts
   * import { CancelScope } from "@seed/async/cancel";
   * import { assert } from "chai";
   *
   * const parent = new AbortController();
   * using scope = new CancelScope({ signal: parent.signal });
   * scope.shield = true;
   * parent.abort(new Error("stop"));
   * assert.isFalse(scope.signal.aborted); // shielded: the cleanup can run
   * scope.shield = false;
   * assert.equal((scope.signal.reason as Error).message, "stop");
   * ```
   */
  get shield(): boolean {
    return this.#shield;
  }

  /** @throws {TypeError} the value is not a boolean. */
  set shield(shield: boolean) {
    this.#shield = checkBoolean("CancelScope.shield", "shield", shield);
    if (shield) this.#unlink();
    else this.#link();
  }

  /**
   * When the scope expires, on its clock (ms since the epoch on
   * `systemClock`); `Infinity` for never.
   */
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
    this.#abort(reason);
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
    const now = this.#clock.now();
    this.#arm(now, now + msFromNow);
  }

  /** Clears the timer and unlinks the scope from its parent signal. */
  declare [Symbol.dispose]: () => void;

  #arm(now: number, deadline: number): void {
    this.#deadline = deadline;
    this.#startedAt = now;
    if (this.signal.aborted || deadline === Infinity) return;
    if (deadline <= now) return this.#expire();
    this.#stopTimer = this.#clock.setTimer(
      deadline - now,
      () => this.#expire(),
    );
  }

  #expire(): void {
    this.#stopTimer = noop;
    this.#expired = true;
    this.#cancelCalled = true;
    this.#abort(timeoutError(this.#deadline - this.#startedAt));
  }

  // Follows the parent, unless shielded, disposed, linked or aborted already.
  #link(): void {
    const parent = this.#parent;
    if (!parent || this.#shield || this.#subscription) return;
    if (this.signal.aborted) return;
    if (parent.aborted) this.#abort(parent.reason);
    else this.#subscription = onAbort(parent, () => this.#abort(parent.reason));
  }

  #unlink(): void {
    if (this.#subscription) offAbort(this.#subscription);
    this.#subscription = null;
  }

  // Every way the scope aborts: parent, cancel(), deadline.
  #abort(reason: unknown): void {
    this.#stopTimer();
    this.#stopTimer = noop;
    this.#unlink();
    this.#controller.abort(reason);
  }
}
