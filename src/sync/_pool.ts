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
/**
 * A waiter's payload says what its grant resolves with: a Permit
 * (`acquire`: true), nothing (false: see {@linkcode take}), or for a queued
 * `run` job (its function) the waiter itself, which #start then runs.
 */
type Payload = boolean | Job;
type Grant = Permit | QueuedJob | undefined;
type QueuedJob = Waiter<Grant, Payload>;

/** Permits in use against a capacity, with a FIFO of waiters. */
export class PermitPool {
  inUse = 0;
  declare capacity: number;
  declare readonly name: string;
  declare readonly waiters: Waiters<Grant, Payload>;
  // The pool's own handlers, so a job allocates no closure.
  readonly #start = (job: QueuedJob): Promise<unknown> =>
    this.#hold(job.payload as Job, job.signal);
  readonly #fulfilled = (value: unknown): unknown => {
    this.give();
    return value;
  };
  readonly #rejected = (error: unknown): never => {
    this.give();
    throw error;
  };

  /**
   * `name` is the primitive's (`"Semaphore"`): waits are `name.acquire` to
   * the inspector, a double release is reported as `name.release`.
   */
  constructor(capacity: number, name: string) {
    this.capacity = capacity;
    this.name = name;
    this.waiters = new Waiters(name + ".acquire");
  }

  /** Takes a permit if one is free and nobody is queued ahead. */
  tryTake(): boolean {
    if (this.inUse >= this.capacity || this.waiters.size) return false;
    this.inUse++;
    return true;
  }

  /** Resolves with a {@linkcode Permit} once one is granted, FIFO. */
  acquire(signal: AbortSignal | undefined): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const permit = this.tryAcquire();
    // The grant resolves with the permit itself: no continuation per waiter.
    return permit
      ? Promise.resolve(permit)
      : this.waiters.wait(signal, true) as Promise<Permit>;
  }

  /** A {@linkcode Permit} if one is free and nobody waits. */
  tryAcquire(): Permit | undefined {
    return this.tryTake() ? new PoolPermit(this) : undefined;
  }

  /** Returns a permit, to the first waiter unless capacity was lowered. */
  give(): void {
    this.inUse--;
    this.#grant();
  }

  /** Changes the capacity; a raise wakes as many waiters as it can. */
  resize(capacity: number): void {
    this.capacity = capacity;
    this.#grant();
  }

  // Hands free permits to waiters, first to last. While in use exceeds a
  // lowered capacity, nobody is woken: released permits drain away.
  #grant(): void {
    for (
      let waiter;
      this.inUse < this.capacity && (waiter = this.waiters.shift());
    ) {
      this.inUse++;
      const payload = waiter.payload;
      waiter.resolve(
        payload === true
          ? new PoolPermit(this)
          : payload === false
          ? undefined
          : waiter,
      );
    }
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
    if (this.tryTake()) return this.#hold(fn, signal) as Promise<R>;
    const granted = this.waiters.wait(signal, fn) as Promise<QueuedJob>;
    return granted.then(this.#start) as Promise<R>;
  }

  // Calls `fn` holding a permit and gives the permit back however it ends.
  #hold(fn: Job, signal: AbortSignal | undefined): Promise<unknown> {
    let result: unknown;
    try {
      result = fn(fallbackSignal(fn, signal));
    } catch (error) {
      this.give();
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(this.#fulfilled, this.#rejected);
  }
}

/**
 * Takes a permit of `pool`, waiting in line without a signal (Condition
 * retaking its lock). A function, not a method, so a bundle without
 * Condition leaves it out.
 */
export function take(pool: PermitPool): Promise<void> {
  return pool.tryTake()
    ? Promise.resolve()
    : pool.waiters.wait(undefined, false) as Promise<void>;
}

// PoolPermit.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

/** The {@linkcode Permit} handed out by `acquire` and `tryAcquire`. */
class PoolPermit implements Permit {
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
      throw new Error(
        `${this.#pool.name}.release: this permit was already released`,
      );
    }
    this.#released = true;
    this.#pool.give();
  }
}
