import { checkFunction } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { PermitPool } from "./_pool.ts";
import type { Permit } from "./semaphore.ts";

// Condition reaches a Mutex's permit pool through this map rather than a
// public member, so the pool stays out of the API.
const pools = new WeakMap<Mutex, PermitPool>();

/** The permit pool of `mutex`, or `undefined` if it is not a Mutex. */
export function poolOf(mutex: Mutex): PermitPool | undefined {
  return pools.get(mutex);
}

/**
 * A mutual-exclusion lock: a one-permit {@linkcode Semaphore} (asyncio's
 * `Lock`, named so as not to shadow the browser's `Lock`). Waiters are served
 * FIFO; the lock has no owner, so any holder of the {@linkcode Permit} can
 * release it.
 *
 * @example
 * ```ts
 * import { Mutex } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const mutex = new Mutex();
 * const log: string[] = [];
 * const critical = async (name: string) => {
 *   using _permit = await mutex.acquire();
 *   log.push(`${name} in`);
 *   await Promise.resolve();
 *   log.push(`${name} out`);
 * };
 * await Promise.all([critical("a"), critical("b")]);
 * assert.deepEqual(log, ["a in", "a out", "b in", "b out"]);
 * assert.isFalse(mutex.locked);
 * ```
 */
export class Mutex {
  readonly #pool = new PermitPool(1, "Mutex");

  constructor() {
    pools.set(this, this.#pool);
  }

  /** Whether the lock is held. */
  get locked(): boolean {
    return this.#pool.inUse > 0;
  }

  /** Callers waiting for the lock. */
  get waiting(): number {
    return this.#pool.waiters.size;
  }

  /**
   * Waits for the lock, in FIFO order; resolves with the {@linkcode Permit}
   * that releases it. Aborting `signal` rejects with `signal.reason` and
   * leaves the line.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Mutex } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const mutex = new Mutex();
   * const permit = await mutex.acquire();
   * assert.isTrue(mutex.locked);
   * permit.release();
   * assert.isFalse(mutex.locked);
   * ```
   */
  acquire(options?: SignalOptions): Promise<Permit> {
    return this.#pool.acquire(checkSignalOption("Mutex.acquire", options));
  }

  /**
   * Takes the lock if it is free and nobody is waiting; otherwise returns
   * `undefined`.
   *
   * @example
   * ```ts
   * import { Mutex } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const mutex = new Mutex();
   * using permit = mutex.tryAcquire();
   * assert.isDefined(permit);
   * assert.isUndefined(mutex.tryAcquire());
   * ```
   */
  tryAcquire(): Permit | undefined {
    return this.#pool.tryAcquire();
  }

  /**
   * Runs `fn` holding the lock and returns its result; the lock is released
   * however `fn` ends. `fn` receives the `signal` passed here (or
   * `undefined`); the signal cancels only the wait for the lock. A free lock
   * calls `fn` synchronously; a queued `fn` runs in the async context of this
   * call, not of the code that released the lock.
   *
   * @throws {TypeError} `fn` is not a function, or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Mutex } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const mutex = new Mutex();
   * let balance = 100;
   * const withdraw = (amount: number) =>
   *   mutex.run(async () => {
   *     const current = balance;
   *     await Promise.resolve(); // a read-modify-write across an await
   *     balance = current - amount;
   *   });
   * await Promise.all([withdraw(30), withdraw(50)]);
   * assert.equal(balance, 20);
   * ```
   */
  run<R>(
    fn: (signal: AbortSignal) => R | PromiseLike<R>,
    options?: SignalOptions,
  ): Promise<R> {
    checkFunction("Mutex.run", "fn", fn);
    return this.#pool.run(fn, checkSignalOption("Mutex.run", options));
  }
}
