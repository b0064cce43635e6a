// The permit counter behind Semaphore, Mutex and Condition. A released
// permit is handed straight to the first waiter (the in-use count does not
// change), so waiters are served strictly FIFO and a fresh `acquire` cannot
// barge ahead of them.

import { defineMethod, disposeSymbol } from "../_symbols.ts";
import type { Permit } from "./semaphore.ts";
import { type Waiter, Waiters } from "./_waiters.ts";

/** A function run holding a permit ({@linkcode PermitPool.run}). */
type Job = (signal: AbortSignal | undefined) => unknown;

/** Permits in use against a capacity, with a FIFO of waiters. */
export class PermitPool {
  inUse = 0;
  capacity: number;
  // A waiter from `run` carries its function, and a grant starts it
  // directly: no continuation closure per queued job.
  readonly waiters: Waiters<unknown, Job | undefined> = new Waiters();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Takes a permit if one is free and nobody is queued ahead. */
  tryTake(): boolean {
    if (this.inUse < this.capacity && this.waiters.size === 0) {
      this.inUse++;
      return true;
    }
    return false;
  }

  /** Takes a permit, waiting in line; `signal` is known not to be aborted. */
  take(signal: AbortSignal | undefined): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return this.waiters.wait(signal, undefined) as Promise<void>;
  }

  /** Resolves with a {@linkcode Permit} once one is granted, FIFO. */
  acquire(signal: AbortSignal | undefined, where: string): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return Promise.resolve(new PoolPermit(this, where));
    return this.waiters.wait(signal, undefined).then(() =>
      new PoolPermit(this, where)
    );
  }

  /** A {@linkcode Permit} if one is free and nobody waits. */
  tryAcquire(where: string): Permit | undefined {
    return this.tryTake() ? new PoolPermit(this, where) : undefined;
  }

  /** Returns a permit: to the first waiter, unless capacity was lowered. */
  give(): void {
    // While in use exceeds a lowered capacity, released permits drain away.
    if (this.inUse <= this.capacity) {
      const waiter = this.waiters.shift();
      if (waiter) return this.#grant(waiter);
    }
    this.inUse--;
  }

  /** Changes the capacity; a raise wakes as many waiters as it can. */
  resize(capacity: number): void {
    this.capacity = capacity;
    while (this.inUse < capacity) {
      const waiter = this.waiters.shift();
      if (!waiter) break;
      this.inUse++;
      this.#grant(waiter);
    }
  }

  // Hands a held permit to `waiter`: starts its job, or just wakes it.
  #grant(waiter: Waiter<unknown, Job | undefined>): void {
    const job = waiter.payload;
    waiter.resolve(job ? this.#hold(job, waiter.signal) : undefined);
  }

  /** Runs `fn(signal)` holding a permit; the permit is returned however it ends. */
  run<R>(
    fn: (signal: AbortSignal | undefined) => R | PromiseLike<R>,
    signal: AbortSignal | undefined,
  ): Promise<R> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return this.#hold(fn, signal);
    return this.waiters.wait(signal, fn) as Promise<R>;
  }

  async #hold<R>(
    fn: (signal: AbortSignal | undefined) => R | PromiseLike<R>,
    signal: AbortSignal | undefined,
  ): Promise<R> {
    try {
      return await fn(signal);
    } finally {
      this.give();
    }
  }
}

// PoolPermit.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

/** The {@linkcode Permit} handed out by `acquire` and `tryAcquire`. */
export class PoolPermit implements Permit {
  readonly #pool: PermitPool;
  readonly #where: string;
  #released = false;
  declare [Symbol.dispose]: () => void;

  constructor(pool: PermitPool, where: string) {
    installed ||= defineMethod(
      PoolPermit.prototype,
      disposeSymbol,
      function (this: PoolPermit) {
        // Idempotent, so an early `release()` inside a `using` block is fine.
        if (!this.#released) this.release();
      },
    );
    this.#pool = pool;
    this.#where = where;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) {
      throw new Error(`${this.#where}: this permit was already released`);
    }
    this.#released = true;
    this.#pool.give();
  }
}
