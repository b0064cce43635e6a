import { checkInteger } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { rejectAll, resolveAll, type Waiter, Waiters } from "./_waiters.ts";

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
 * Like asyncio's since 3.11, a round has a filling and a draining phase. The
 * last arrival resumes at once; the others are handed their index one at a
 * time, each after the previous one's code has run up to its next `await`.
 * A caller that calls `wait()` again while the round is still draining (a
 * released task looping round) waits for the next round instead of joining
 * or breaking this one. `abort()` or `reset()` during draining reject the
 * released callers not yet handed their index with
 * {@linkcode BrokenBarrierError}, as in asyncio.
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
 *
 * @example Rounds in a loop: nobody laps the others
 * ```ts
 * import { Barrier } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const barrier = new Barrier(2);
 * const log: string[] = [];
 * const worker = async (name: string) => {
 *   for (let round = 0; round < 3; round++) {
 *     log.push(`${name}${round}`);
 *     await barrier.wait(); // a fast worker waits here for the slow one
 *   }
 * };
 * await Promise.all([worker("a"), worker("b")]);
 * assert.deepEqual(log, ["a0", "b0", "b1", "a1", "a2", "b2"]);
 * ```
 */
export class Barrier {
  readonly #parties: number;
  // The current round, while it fills.
  readonly #waiters = new Waiters<number>("Barrier.wait");
  // Callers that came back while a round drained: they retry wait() once
  // it has (asyncio's `_block`).
  readonly #blocked = new Waiters<void>("Barrier.wait");
  // The released callers not yet handed their index, last arrival first:
  // the round drains while any is left, popping them off one at a time.
  #released: Waiter<number, undefined>[] = [];
  #scheduled = false;
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

  /** Callers waiting in the current round (0 while a round drains). */
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
   * aborts first. Called while a round drains, it waits for the next round.
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
    return this.#enter(checkSignalOption("Barrier.wait", options));
  }

  #enter(signal: AbortSignal | undefined): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#broken) return Promise.reject(new BrokenBarrierError());
    if (this.#released.length) {
      return this.#blocked.wait(signal).then(() => this.#enter(signal));
    }
    const index = this.#waiters.size;
    if (index + 1 < this.#parties) return this.#waiters.wait(signal);
    // The last arrival resumes at once; the others drain one by one.
    const released: Waiter<number, undefined>[] = this.#released = [];
    for (let i = 0; i < index; i++) released.push(this.#waiters.shift()!);
    released.reverse();
    this.#schedule();
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
    const error = new BrokenBarrierError("The barrier was aborted");
    this.#breakRound(error);
    rejectAll(this.#blocked, error);
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
    this.#breakRound(new BrokenBarrierError("The barrier was reset"));
    // Callers blocked by a draining round retry once their turn comes.
    this.#schedule();
  }

  // Rejects the round filling and the released callers not yet handed
  // their index (the one exception to keeping a hand-off: asyncio's).
  #breakRound(error: BrokenBarrierError): void {
    rejectAll(this.#waiters, error);
    for (let waiter; (waiter = this.#released.pop());) waiter.reject(error);
  }

  // Takes the next draining step two microtask turns from now: after the
  // code of the caller just resumed has run up to its next `await`.
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    Promise.resolve().then().then(() => {
      this.#scheduled = false;
      this.#step();
    });
  }

  // Hands the next released caller its index; once all have theirs, lets the
  // blocked callers retry.
  #step(): void {
    const waiter = this.#released.pop();
    if (waiter) {
      // A round releases parties − 1 waiters; those still left came later.
      waiter.resolve(this.#parties - 2 - this.#released.length);
      this.#schedule();
    } else {
      resolveAll(this.#blocked);
    }
  }
}
