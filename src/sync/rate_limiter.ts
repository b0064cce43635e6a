import type { Clock } from "../cancel/clock.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { resolveClock } from "../_clock.ts";
import {
  checkClock,
  checkInteger,
  checkOptions,
  checkSignalOption,
  describe,
} from "../_validate.ts";
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
  /**
   * The clock to read time from and start timers on; default: the clock of
   * the scope of the signal given to the first call that reads time, else
   * `systemClock`. A limiter keeps the clock it first used: its schedule is
   * on that clock's timeline.
   */
  clock?: Clock;
}

// Times are sums of fractional intervals: a grant due within a nanosecond of
// now counts as due, so rounding never strands a waiter on a clock that fires
// exactly on time (a virtual clock would otherwise re-arm for 0 ms forever).
const EPSILON = 1e-6;

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
 * A token bucket, scheduled exactly: `rate` tokens accrue every `per`
 * milliseconds, up to `burst`; each {@linkcode RateLimiter.acquire} spends
 * one, waiting (FIFO) when none is left.
 *
 * It keeps the bucket as a theoretical arrival time (GCRA): each grant moves
 * it on by `per / rate` from the ideal moment of that grant (the waiter's
 * arrival, or when its token accrued if that is later), never from when a
 * timer happened to fire. So a late timer costs no tokens: the long-run rate
 * is exactly `rate / per`, and in any window of length `w` on that ideal
 * timeline at most `burst + rate · w / per` acquisitions are granted. A
 * timer that fires late releases every waiter that has come due by then, at
 * once; one that fires early grants nothing and waits for the rest.
 *
 * Only the first waiter has a timer, set for when its token accrues; it is
 * cleared when the queue empties, whether by grants or aborts, so an idle
 * limiter holds no timer.
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
 *
 * @example On a virtual clock: time moves only when the test says so
 * ```ts
 * import { type Clock } from "@seed/async/cancel";
 * import { RateLimiter } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * let now = 0;
 * let timer: (() => void) | undefined;
 * const clock: Clock = {
 *   now: () => now,
 *   setTimer: (_ms, callback) => {
 *     timer = callback;
 *     return () => (timer = undefined);
 *   },
 * };
 * const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock });
 * await limiter.acquire(); // the bucket's one token, at 0
 * const granted: number[] = [];
 * const waits = [1, 2, 3].map(() =>
 *   limiter.acquire().then(() => granted.push(now))
 * );
 * now = 35; // the timer for 10 fires late, at 35 ...
 * timer!();
 * await Promise.resolve();
 * assert.deepEqual(granted, [35, 35, 35]); // ... and owes nothing: 10, 20, 30
 * await Promise.all(waits);
 * ```
 */
export class RateLimiter {
  /** Milliseconds per token: `per / rate`. */
  readonly #interval: number;
  /** How far ahead of now the arrival time may run: `(burst − 1) · interval`. */
  readonly #tolerance: number;
  readonly #burst: number;
  readonly #waiters: Waiters<void, number> = new Waiters(
    "RateLimiter.acquire",
    () => {
      // The next waiter is due no earlier than the one that left, so it
      // inherits the timer; with nobody left, clear it.
      if (this.#waiters.size === 0 && this.#stopTimer) {
        this.#stopTimer();
        this.#stopTimer = undefined;
      }
    },
  );
  #clock: Clock | undefined;
  /** The clock's reading when the limiter first read it; times count from it. */
  #origin = 0;
  /** The theoretical arrival time: when the bucket would next be empty. */
  #tat = 0;
  #stopTimer: (() => void) | undefined;

  /**
   * Creates a limiter with a full bucket.
   *
   * @throws {RangeError} `rate` or `per` is not a finite number > 0, or
   *   `burst` is not an integer ≥ 1.
   * @throws {TypeError} an option has the wrong type.
   */
  constructor(options: RateLimiterOptions) {
    const { rate, per = 1000, burst, clock } = checkOptions(
      "RateLimiter",
      options,
    );
    checkPositive("rate", rate);
    checkPositive("per", per);
    this.#burst = burst === undefined
      ? Math.max(1, Math.floor(rate))
      : checkInteger("RateLimiter", "burst", burst, 1);
    this.#clock = checkClock("RateLimiter", clock);
    this.#interval = per / rate;
    this.#tolerance = (this.#burst - 1) * this.#interval;
  }

  /** Whole tokens available now (0 while anyone waits). */
  get available(): number {
    if (this.#waiters.size > 0) return 0;
    const tokens = this.#burst +
      Math.floor((this.#now() + EPSILON - this.#tat) / this.#interval);
    return Math.max(0, Math.min(this.#burst, tokens));
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
    const now = this.#now(signal);
    // A timer runs exactly while anyone waits: for the first in line.
    if (this.#waiters.size) return this.#waiters.wait(signal, now);
    const delay = this.#grant(now, now);
    if (!delay) return Promise.resolve();
    const waiting = this.#waiters.wait(signal, now);
    this.#arm(delay);
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
    const now = this.#now();
    return this.#waiters.size === 0 && !this.#grant(now, now);
  }

  /** Time on the limiter's clock, in ms since it first read it. */
  #now(signal?: AbortSignal): number {
    if (!this.#clock) {
      this.#clock = resolveClock(undefined, signal);
      this.#origin = this.#clock.now();
    }
    return this.#clock.now() - this.#origin;
  }

  /**
   * Grants the token of an arrival at `arrival` if it has accrued by `now`
   * (returns 0); else returns the milliseconds until it does. The grant is
   * at its due time on the ideal timeline: the arrival, or when its token
   * accrued if that is later.
   */
  #grant(arrival: number, now: number): number {
    const due = Math.max(arrival, this.#tat - this.#tolerance);
    if (due > now + EPSILON) return due - now;
    this.#tat = Math.max(this.#tat, due) + this.#interval;
    return 0;
  }

  #arm(ms: number): void {
    this.#stopTimer = this.#clock!.setTimer(ms, this.#onTimer);
  }

  // Grants, in order, every waiter whose token has accrued by now, each at
  // its own due time; re-arms for the next one (also when the timer fired
  // early and granted nothing).
  readonly #onTimer = (): void => {
    this.#stopTimer = undefined;
    const now = this.#now();
    for (let head; (head = this.#waiters.peek());) {
      const delay = this.#grant(head.payload, now);
      if (delay) return this.#arm(delay);
      this.#waiters.shift()!.resolve();
    }
  };
}
