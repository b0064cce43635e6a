import { checkInteger } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { Waiters } from "./_waiters.ts";

/**
 * The error a {@linkcode Barrier} wait rejects with when the barrier is
 * aborted or reset while the caller waits, or is already broken.
 *
 * @example
 * ```ts
 * import { Barrier, BrokenBarrierError } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const barrier = new Barrier(2);
 * barrier.abort();
 * assert.instanceOf(await barrier.wait().catch((e) => e), BrokenBarrierError);
 * ```
 */
export class BrokenBarrierError extends Error {
  /**
   * Creates the error.
   *
   * @param message what broke the barrier.
   */
  constructor(message = "The barrier is broken") {
    super(message);
    this.name = "BrokenBarrierError";
  }
}

/**
 * A cyclic barrier (asyncio's `Barrier`): each {@linkcode Barrier.wait}
 * blocks until `parties` callers are waiting, then all are released together
 * and the barrier is ready for the next round.
 *
 * Each released wait resolves with its arrival index, `0` to `parties − 1`,
 * in the order the callers arrived; the last to arrive gets `parties − 1`. A
 * caller whose `signal` aborts simply leaves (the barrier is not broken, as
 * in asyncio) and the arrivals after it move up one index.
 * {@linkcode Barrier.abort} breaks the barrier: every current and later wait
 * rejects with {@linkcode BrokenBarrierError} until {@linkcode Barrier.reset}.
 *
 * @example
 * ```ts
 * import { Barrier } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const barrier = new Barrier(3);
 * const indices = await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
 * assert.deepEqual(indices, [0, 1, 2]);
 * ```
 */
export class Barrier {
  readonly #parties: number;
  readonly #waiters = new Waiters<number>();
  #broken = false;

  /**
   * Creates a barrier for `parties` callers.
   *
   * @param parties how many callers must wait to release them: an integer ≥ 1.
   * @throws {RangeError} `parties` is not an integer ≥ 1.
   * @throws {TypeError} `parties` is not a number.
   */
  constructor(parties: number) {
    this.#parties = checkInteger("Barrier", "parties", parties, 1);
  }

  /** How many callers a round needs. */
  get parties(): number {
    return this.#parties;
  }

  /** Callers waiting in the current round. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Whether the barrier is broken (by {@linkcode Barrier.abort}). */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Waits until `parties` callers are waiting; resolves with this caller's
   * arrival index. Rejects with {@linkcode BrokenBarrierError} if the barrier
   * is or becomes broken or is reset, and with `signal.reason` if `signal`
   * aborts first.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Barrier } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const barrier = new Barrier(2);
   * const first = barrier.wait();
   * assert.equal(barrier.waiting, 1);
   * assert.equal(await barrier.wait(), 1);
   * assert.equal(await first, 0);
   * ```
   */
  wait(options?: SignalOptions): Promise<number> {
    const signal = checkSignalOption("Barrier.wait", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#broken) return Promise.reject(new BrokenBarrierError());
    const index = this.#waiters.size;
    if (index + 1 < this.#parties) return this.#waiters.wait(signal, undefined);
    // The last arrival releases the round, earliest first.
    for (let i = 0; i < index; i++) this.#waiters.shift()!.resolve(i);
    return Promise.resolve(index);
  }

  /**
   * Breaks the barrier: current waiters and every later
   * {@linkcode Barrier.wait} reject with {@linkcode BrokenBarrierError} until
   * {@linkcode Barrier.reset}.
   *
   * @example
   * ```ts
   * import { Barrier, BrokenBarrierError } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const barrier = new Barrier(2);
   * const waiting = barrier.wait();
   * barrier.abort();
   * assert.instanceOf(await waiting.catch((e) => e), BrokenBarrierError);
   * assert.isTrue(barrier.broken);
   * ```
   */
  abort(): void {
    this.#broken = true;
    this.#waiters.rejectAll(new BrokenBarrierError("The barrier was aborted"));
  }

  /**
   * Returns the barrier to its empty, unbroken state; callers waiting in the
   * current round reject with {@linkcode BrokenBarrierError}.
   *
   * @example
   * ```ts
   * import { Barrier, BrokenBarrierError } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const barrier = new Barrier(2);
   * const waiting = barrier.wait();
   * barrier.reset();
   * assert.instanceOf(await waiting.catch((e) => e), BrokenBarrierError);
   * assert.isFalse(barrier.broken);
   * const both = await Promise.all([barrier.wait(), barrier.wait()]);
   * assert.deepEqual(both, [0, 1]);
   * ```
   */
  reset(): void {
    this.#broken = false;
    this.#waiters.rejectAll(new BrokenBarrierError("The barrier was reset"));
  }
}
