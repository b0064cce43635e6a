import { checkFunction, checkInteger, describe } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { type PermitPool, take } from "./_pool.ts";
import { resolveAll, Waiters } from "./_waiters.ts";
import { Mutex, poolOf } from "./mutex.ts";
import type { Permit } from "./semaphore.ts";

/**
 * A condition variable over a {@linkcode Mutex} (asyncio's `Condition`): a
 * task holding the lock waits for another task to change some state and
 * {@linkcode Condition.notify} it.
 *
 * Like asyncio, the lock has no owner, so the condition can only check that
 * the lock is held, not by whom: {@linkcode Condition.wait},
 * {@linkcode Condition.waitFor} and the notify methods throw if it is not
 * held at all. `wait` releases the lock, waits for a notification, and takes
 * the lock back before it returns — also when it rejects because its signal
 * aborted — so the caller's {@linkcode Permit} stays valid throughout and
 * `using` releases it as usual.
 *
 * @example A producer signals a consumer
 * ```ts
 * import { Condition } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const cond = new Condition();
 * const items: number[] = [];
 *
 * const consumer = (async () => {
 *   using _permit = await cond.acquire();
 *   await cond.waitFor(() => items.length > 0);
 *   return items.shift();
 * })();
 *
 * await cond.run(() => {
 *   items.push(42);
 *   cond.notify();
 * });
 * assert.equal(await consumer, 42);
 * ```
 */
export class Condition {
  readonly #mutex: Mutex;
  readonly #pool: PermitPool;
  readonly #waiters = new Waiters<void>("Condition.wait");

  /**
   * Creates a condition over `mutex`.
   *
   * @param mutex the lock to use; a new one when omitted (pass one to share
   *   a lock between several conditions).
   * @throws {TypeError} `mutex` is not a {@linkcode Mutex}.
   */
  constructor(mutex: Mutex = new Mutex()) {
    const pool = poolOf(mutex);
    if (!pool) {
      throw new TypeError(
        `Condition: mutex must be a Mutex, got ${describe(mutex)}`,
      );
    }
    this.#mutex = mutex;
    this.#pool = pool;
  }

  /** The underlying lock. */
  get mutex(): Mutex {
    return this.#mutex;
  }

  /** Whether the underlying lock is held. */
  get locked(): boolean {
    return this.#mutex.locked;
  }

  /** Callers waiting for a notification. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Takes the underlying lock ({@linkcode Mutex.acquire}).
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * using _permit = await cond.acquire();
   * assert.isTrue(cond.locked);
   * ```
   */
  acquire(options?: SignalOptions): Promise<Permit> {
    return this.#mutex.acquire(options);
  }

  /**
   * Takes the underlying lock if it is free ({@linkcode Mutex.tryAcquire}).
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * using permit = cond.tryAcquire();
   * assert.isDefined(permit);
   * ```
   */
  tryAcquire(): Permit | undefined {
    return this.#mutex.tryAcquire();
  }

  /**
   * Runs `fn` holding the underlying lock ({@linkcode Mutex.run}).
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * assert.equal(await cond.run(() => cond.locked), true);
   * ```
   */
  run<R>(
    fn: (signal: AbortSignal) => R | PromiseLike<R>,
    options?: SignalOptions,
  ): Promise<R> {
    return this.#mutex.run(fn, options);
  }

  /**
   * Releases the lock, waits until notified, then takes the lock back before
   * settling. If `signal` aborts while waiting, the lock is still retaken and
   * then the promise rejects with `signal.reason`; an already-aborted signal
   * rejects at once without releasing the lock.
   *
   * @throws {Error} the lock is not held.
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * let ready = false;
   * const waiter = cond.run(async () => {
   *   while (!ready) await cond.wait();
   *   return cond.locked; // the lock is held again here
   * });
   * await cond.run(() => {
   *   ready = true;
   *   cond.notifyAll();
   * });
   * assert.isTrue(await waiter);
   * ```
   */
  wait(options?: SignalOptions): Promise<void> {
    const signal = checkSignalOption("Condition.wait", options);
    this.#checkLocked("Condition.wait");
    if (signal?.aborted) return Promise.reject(signal.reason);
    const pool = this.#pool;
    const waiting = this.#waiters.wait(signal);
    pool.give();
    // Retake the lock without a signal, however the wait ends: the caller
    // must hold it on return. `finally` then settles as the wait did.
    return waiting.finally(() => take(pool));
  }

  /**
   * Waits until `predicate()` returns a truthy value and returns that value;
   * checks it first, and again after every notification, always with the
   * lock held.
   *
   * @throws {Error} the lock is not held.
   * @throws {TypeError} `predicate` is not a function, or `signal` has the
   *   wrong type.
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * let count = 0;
   * const waiter = cond.run(() => cond.waitFor(() => count >= 2 && count));
   * for (let i = 0; i < 2; i++) {
   *   await cond.run(() => {
   *     count++;
   *     cond.notify();
   *   });
   * }
   * assert.equal(await waiter, 2);
   * ```
   */
  waitFor<R>(predicate: () => R, options?: SignalOptions): Promise<R> {
    checkFunction("Condition.waitFor", "predicate", predicate);
    const signal = checkSignalOption("Condition.waitFor", options);
    this.#checkLocked("Condition.waitFor");
    return this.#waitFor(predicate, signal);
  }

  async #waitFor<R>(
    predicate: () => R,
    signal: AbortSignal | undefined,
  ): Promise<R> {
    let result = predicate();
    while (!result) {
      await this.wait({ signal });
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (oldest first). Each retakes the lock after the
   * caller releases it.
   *
   * @throws {Error} the lock is not held.
   * @throws {RangeError} `n` is not an integer ≥ 0.
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * const woken: number[] = [];
   * const waiters = [1, 2, 3].map((id) =>
   *   cond.run(async () => {
   *     await cond.wait();
   *     woken.push(id);
   *   })
   * );
   * await cond.run(() => cond.notify(2));
   * await Promise.all(waiters.slice(0, 2));
   * assert.deepEqual(woken, [1, 2]);
   * await cond.run(() => cond.notifyAll());
   * await waiters[2];
   * ```
   */
  notify(n = 1): void {
    checkInteger("Condition.notify", "n", n, 0, true);
    this.#checkLocked("Condition.notify");
    resolveAll(this.#waiters, n);
  }

  /**
   * Wakes every waiter.
   *
   * @throws {Error} the lock is not held.
   *
   * @example
   * ```ts
   * import { Condition } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const cond = new Condition();
   * const waiters = [1, 2].map(() => cond.run(() => cond.wait()));
   * await cond.run(() => cond.notifyAll());
   * await Promise.all(waiters);
   * assert.equal(cond.waiting, 0);
   * ```
   */
  notifyAll(): void {
    this.#checkLocked("Condition.notifyAll");
    resolveAll(this.#waiters);
  }

  #checkLocked(where: string): void {
    if (this.#pool.inUse === 0) {
      throw new Error(`${where}: the lock is not held; acquire it first`);
    }
  }
}
