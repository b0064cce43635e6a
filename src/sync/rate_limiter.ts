import { systemClock } from "../cancel/clock.ts";
import { checkInteger, checkOptions, describe } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { Waiters } from "./_waiters.ts";

/** Options of {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /** Tokens added per `per` milliseconds: a finite number > 0. */
  rate: number;
  /** The period of `rate` in milliseconds: a finite number > 0; default 1000. */
  per?: number;
  /**
   * Bucket size, the most tokens saved up for a burst: an integer ≥ 1;
   * default `max(1, floor(rate))`. The bucket starts full.
   */
  burst?: number;
}

function checkPositive(name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `RateLimiter: ${name} must be a number, got ${describe(value)}`,
    );
  }
  if (!(value > 0 && value < Infinity)) {
    throw new RangeError(
      `RateLimiter: ${name} must be a finite number > 0, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

/**
 * A token bucket: `rate` tokens accrue every `per` milliseconds, up to
 * `burst`; each {@linkcode RateLimiter.acquire} spends one, waiting (FIFO)
 * when none is left.
 *
 * Only the first waiter has a timer, set for when its token will have
 * accrued; it is cleared when the queue empties, whether by grants or
 * aborts, so an idle limiter holds no timer.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const limiter = new RateLimiter({ rate: 2, per: 20 }); // burst: 2
 * const start = Date.now();
 * for (let i = 0; i < 3; i++) await limiter.acquire();
 * // two from the full bucket, the third after ~10 ms
 * assert.isAtLeast(Date.now() - start, 5);
 * ```
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #per: number;
  readonly #burst: number;
  readonly #waiters = new Waiters<void>(() => this.#onAbort());
  #tokens: number;
  #updated = Date.now();
  #stopTimer: (() => void) | undefined;

  /**
   * Creates a limiter with a full bucket.
   *
   * @throws {RangeError} `rate` or `per` is not a finite number > 0, or
   *   `burst` is not an integer ≥ 1.
   * @throws {TypeError} an option has the wrong type.
   */
  constructor(options: RateLimiterOptions) {
    const { rate, per = 1000, burst } = checkOptions("RateLimiter", options);
    this.#rate = checkPositive("rate", rate);
    this.#per = checkPositive("per", per);
    this.#burst = burst === undefined
      ? Math.max(1, Math.floor(rate))
      : checkInteger("RateLimiter", "burst", burst, 1);
    this.#tokens = this.#burst;
  }

  /** Whole tokens available now (0 while anyone waits). */
  get available(): number {
    if (this.#waiters.size > 0) return 0;
    this.#refill();
    return Math.floor(this.#tokens);
  }

  /** Callers waiting for a token. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Spends a token, waiting in FIFO order until one accrues. Aborting
   * `signal` leaves the line and rejects with `signal.reason`.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { RateLimiter } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const limiter = new RateLimiter({ rate: 1, per: 60_000 });
   * await limiter.acquire(); // the bucket's one token
   * const controller = new AbortController();
   * const next = limiter.acquire({ signal: controller.signal });
   * controller.abort(new Error("too slow"));
   * assert.equal((await next.catch((e) => e)).message, "too slow");
   * ```
   */
  acquire(options?: SignalOptions): Promise<void> {
    const signal = checkSignalOption("RateLimiter.acquire", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryAcquire()) return Promise.resolve();
    const waiting = this.#waiters.wait(signal, undefined);
    if (!this.#stopTimer) this.#arm();
    return waiting;
  }

  /**
   * Spends a token if one is available and nobody is waiting; returns
   * whether it did.
   *
   * @example
   * ```ts
   * import { RateLimiter } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const limiter = new RateLimiter({ rate: 1, per: 60_000 });
   * assert.isTrue(limiter.tryAcquire());
   * assert.isFalse(limiter.tryAcquire());
   * ```
   */
  tryAcquire(): boolean {
    if (this.#waiters.size > 0) return false;
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }

  #refill(): void {
    const now = Date.now();
    const earned = (now - this.#updated) * this.#rate / this.#per;
    this.#tokens = Math.min(this.#burst, this.#tokens + earned);
    this.#updated = now;
  }

  // One timer, for the moment the first waiter's token will have accrued.
  #arm(): void {
    const ms = Math.max(
      1,
      Math.ceil((1 - this.#tokens) * this.#per / this.#rate),
    );
    this.#stopTimer = systemClock.setTimer(ms, this.#onTimer);
  }

  readonly #onTimer = (): void => {
    this.#stopTimer = undefined;
    this.#refill();
    while (this.#tokens >= 1 && this.#waiters.size > 0) {
      this.#tokens--;
      this.#waiters.shift()!.resolve();
    }
    if (this.#waiters.size > 0) this.#arm();
  };

  #onAbort(): void {
    // The next waiter inherits the timer; with nobody left, clear it.
    if (this.#waiters.size === 0 && this.#stopTimer) {
      this.#stopTimer();
      this.#stopTimer = undefined;
    }
  }
}
