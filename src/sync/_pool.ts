// The permit counter behind Semaphore, Mutex and Condition. A released
// permit is handed straight to the first waiter (the in-use count does not
// change), so waiters are served strictly FIFO and a fresh `acquire` cannot
// barge ahead of them.

import { fallbackSignal } from "../_fallback_signal.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import type { Permit } from "./semaphore.ts";
import { type Waiter, Waiters } from "./_waiters.ts";

/** A function run holding a permit ({@linkcode PermitPool.run}). */
type Job = (signal: AbortSignal) => unknown;
type Payload = boolean | Job;
// What a grant resolves a waiter with.
type Grant = Permit | QueuedJob | undefined;
interface QueuedJob extends Waiter<Grant, Payload> {}

/** Permits in use against a capacity, with a FIFO of waiters. */
export class PermitPool {
  inUse = 0;
  capacity: number;
  /** What the user called to release, for the error of a double release. */
  readonly where: string;
  // A waiter's payload says what its grant resolves with: a Permit
  // (`acquire`: true), nothing (`take`: false), or for a queued `run` job
  // (its function) the waiter itself, which #start then runs.
  readonly waiters: Waiters<Grant, Payload>;
  // One per pool, so a queued job allocates no closure of its own.
  readonly #start = (waiter: QueuedJob): Promise<unknown> =>
    this.#hold(waiter.payload as Job, waiter.signal);

  /** `op` names a wait for a permit (`"Semaphore.acquire"`), for the inspector. */
  constructor(capacity: number, where: string, op: string) {
    this.capacity = capacity;
    this.where = where;
    this.waiters = new Waiters(op);
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
    return this.waiters.wait(signal, false) as Promise<void>;
  }

  /** Resolves with a {@linkcode Permit} once one is granted, FIFO. */
  acquire(signal: AbortSignal | undefined): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return Promise.resolve(new PoolPermit(this));
    // The grant resolves with the permit itself: no continuation per waiter.
    return this.waiters.wait(signal, true) as Promise<Permit>;
  }

  /** A {@linkcode Permit} if one is free and nobody waits. */
  tryAcquire(): Permit | undefined {
    return this.tryTake() ? new PoolPermit(this) : undefined;
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

  // Hands a held permit to `waiter`.
  #grant(waiter: QueuedJob): void {
    const payload = waiter.payload;
    waiter.resolve(
      payload === true
        ? new PoolPermit(this)
        : payload === false
        ? undefined
        : waiter,
    );
  }

  /**
   * Runs `fn(signal)` holding a permit; the permit is returned however it
   * ends. Without a `signal`, a `fn` that declares a parameter gets a fresh one
   * that never aborts. With a permit free and nobody waiting, `fn` is called at once,
   * synchronously. A queued `fn` starts from a continuation registered now,
   * so it runs in this call's async context (DESIGN rule 11), not in that of
   * whoever releases the permit.
   */
  run<R>(
    fn: (signal: AbortSignal) => R | PromiseLike<R>,
    signal: AbortSignal | undefined,
  ): Promise<R> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return this.#hold(fn, signal);
    const granted = this.waiters.wait(signal, fn) as Promise<QueuedJob>;
    return granted.then(this.#start) as Promise<R>;
  }

  // Calls `fn` holding a permit and gives the permit back however it ends;
  // the handlers are the pool's, so a job allocates no closure.
  #hold<R>(
    fn: (signal: AbortSignal) => R | PromiseLike<R>,
    signal: AbortSignal | undefined,
  ): Promise<R> {
    let result: R | PromiseLike<R>;
    try {
      result = fn(fallbackSignal(fn, signal));
    } catch (error) {
      this.give();
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(
      this.#fulfilled,
      this.#rejected,
    ) as Promise<R>;
  }

  readonly #fulfilled = <R>(value: R): R => {
    this.give();
    return value;
  };

  readonly #rejected = (error: unknown): never => {
    this.give();
    throw error;
  };
}

// PoolPermit.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

/** The {@linkcode Permit} handed out by `acquire` and `tryAcquire`. */
export class PoolPermit implements Permit {
  readonly #pool: PermitPool;
  #released = false;
  declare [Symbol.dispose]: () => void;

  constructor(pool: PermitPool) {
    installed ||= defineMethod(
      PoolPermit.prototype,
      disposeSymbol,
      function (this: PoolPermit) {
        // Idempotent, so an early `release()` inside a `using` block is fine.
        if (!this.#released) this.release();
      },
    );
    this.#pool = pool;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) {
      throw new Error(`${this.#pool.where}: this permit was already released`);
    }
    this.#released = true;
    this.#pool.give();
  }
}
