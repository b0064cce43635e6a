import { checkFunction, checkInteger } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { PermitPool } from "./_pool.ts";

/**
 * One permit held from a {@linkcode Semaphore} or a {@linkcode Mutex}. Give it
 * back with {@linkcode Permit.release} or let `using` do it: disposing is
 * idempotent, so releasing early inside a `using` block is fine, but calling
 * `release()` twice throws.
 */
export interface Permit extends Disposable {
  /** Whether the permit has been given back. */
  readonly released: boolean;
  /**
   * Gives the permit back, to the first waiter if there is one.
   *
   * @throws {Error} the permit was already released.
   */
  release(): void;
}

/**
 * A counting semaphore: at most `capacity` permits are held at once, and
 * callers that find none free wait in FIFO order.
 *
 * A released permit goes straight to the first waiter, so a later
 * `acquire` or `tryAcquire` never overtakes a waiting one. An aborted waiter
 * leaves the line at once (its abort listener removed) and the permit it would
 * have had goes to the next waiter.
 *
 * {@linkcode Semaphore.capacity} can be changed at any time: raising it wakes
 * waiters at once; lowering it below the number in use lets the excess drain
 * (no new grants until fewer than `capacity` are in use).
 *
 * @example Limiting concurrency
 * ```ts
 * import { Semaphore } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const sem = new Semaphore(2);
 * let running = 0;
 * let peak = 0;
 * await Promise.all([1, 2, 3, 4, 5].map((n) =>
 *   sem.run(async () => {
 *     peak = Math.max(peak, ++running);
 *     await new Promise((resolve) => setTimeout(resolve, 1));
 *     running--;
 *     return n;
 *   })
 * ));
 * assert.equal(peak, 2);
 *
 * {
 *   using permit = await sem.acquire();
 *   assert.equal(sem.available, 1);
 * } // released here, even if the block throws
 * assert.equal(sem.available, 2);
 * ```
 */
export class Semaphore {
  readonly #pool: PermitPool;

  /**
   * Creates a semaphore with `permits` free permits. `0` is a closed gate:
   * every caller waits until {@linkcode Semaphore.capacity} is raised.
   * `Infinity` never makes anyone wait.
   *
   * @param permits the capacity: an integer ≥ 0, or `Infinity`.
   * @throws {RangeError} `permits` is not an integer ≥ 0 or `Infinity`.
   * @throws {TypeError} `permits` is not a number.
   *
   * @example A gate that opens later
   * ```ts
   * import { Semaphore } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const gate = new Semaphore(0);
   * const started: number[] = [];
   * const jobs = [1, 2].map((n) => gate.run(() => started.push(n)));
   * assert.deepEqual(started, []); // closed: both wait
   * gate.capacity = Infinity; // open it
   * await Promise.all(jobs);
   * assert.deepEqual(started, [1, 2]);
   * ```
   */
  constructor(permits: number) {
    checkInteger("Semaphore", "permits", permits, 0, true);
    this.#pool = new PermitPool(permits, "Semaphore");
  }

  /** Permits free right now (0 while the capacity is over-subscribed). */
  get available(): number {
    return Math.max(0, this.#pool.capacity - this.#pool.inUse);
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.#pool.waiters.size;
  }

  /**
   * The most permits held at once. Raising it wakes waiters; lowering it
   * below the number in use lets the excess drain.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const sem = new Semaphore(1);
   * const first = await sem.acquire();
   * const second = sem.acquire();
   * sem.capacity = 2; // wakes the waiter
   * (await second).release();
   * first.release();
   * assert.equal(sem.available, 2);
   * ```
   */
  get capacity(): number {
    return this.#pool.capacity;
  }

  /** @throws {RangeError} the new capacity is not an integer ≥ 0 or `Infinity`. */
  set capacity(permits: number) {
    checkInteger("Semaphore.capacity", "capacity", permits, 0, true);
    this.#pool.resize(permits);
  }

  /**
   * Waits for a permit, in FIFO order. Aborting `signal` removes this caller
   * from the line and rejects with `signal.reason`; an already-aborted signal
   * rejects at once, even if a permit is free.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const sem = new Semaphore(1);
   * const held = await sem.acquire();
   * const controller = new AbortController();
   * const waiting = sem.acquire({ signal: controller.signal });
   * controller.abort(new Error("gave up"));
   * assert.equal((await waiting.catch((e) => e)).message, "gave up");
   * held.release();
   * assert.equal(sem.available, 1);
   * ```
   */
  acquire(options?: SignalOptions): Promise<Permit> {
    return this.#pool.acquire(checkSignalOption("Semaphore.acquire", options));
  }

  /**
   * Takes a permit if one is free and nobody is waiting; otherwise returns
   * `undefined` without waiting.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const sem = new Semaphore(1);
   * const permit = sem.tryAcquire();
   * assert.isDefined(permit);
   * assert.isUndefined(sem.tryAcquire());
   * permit!.release();
   * ```
   */
  tryAcquire(): Permit | undefined {
    return this.#pool.tryAcquire();
  }

  /**
   * Runs `fn` while holding a permit and returns its result; the permit is
   * released however `fn` ends. `fn` receives the `signal` passed here (or,
   * if none, a fresh signal that never aborts), so it can forward it to the
   * work it starts. The
   * signal only cancels the wait for a permit: once `fn` runs, stopping it is
   * up to `fn`.
   *
   * With a permit free and nobody waiting, `fn` is called synchronously. A
   * queued `fn` runs later in the async context (`AsyncLocalStorage`,
   * `AsyncContext`) of this call, not of the code that released the permit.
   *
   * @throws {TypeError} `fn` is not a function, or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const sem = new Semaphore(4);
   * const controller = new AbortController();
   * const length = await sem.run(
   *   async (signal) => {
   *     assert.strictEqual(signal, controller.signal);
   *     return "hello".length;
   *   },
   *   { signal: controller.signal },
   * );
   * assert.equal(length, 5);
   * ```
   */
  run<R>(
    fn: (signal: AbortSignal) => R | PromiseLike<R>,
    options?: SignalOptions,
  ): Promise<R> {
    checkFunction("Semaphore.run", "fn", fn);
    return this.#pool.run(fn, checkSignalOption("Semaphore.run", options));
  }
}
