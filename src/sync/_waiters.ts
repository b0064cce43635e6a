// The one waiter mechanism every sync primitive shares: a FIFO of pending
// promises, each optionally tied to an AbortSignal. A waiter is its own list
// node (intrusive links) and its own abort subscription and handler
// (`handleEvent`), and keeps
// only its promise's resolving functions, not the promise: a pending wait
// costs one small object besides the promise the caller holds. The list is
// a ring whose sentinel is the Waiters object itself, so joining and leaving
// are the same two pointer moves wherever the waiter stands, and an aborted
// waiter leaves in O(1).

import { type AbortSubscription, offAbort, subscribe } from "../_on_abort.ts";
import { inspectHook } from "../_inspect_hook.ts";

// What a waiter and its list (the ring's sentinel) have in common.
interface Link {
  prev: Link;
  next: Link;
}

/**
 * One pending wait. `payload` carries what the waiter brings (a queued item,
 * a channel value); `resolve` settles it after {@linkcode Waiters.shift}.
 *
 * It joins the end of `owner`'s list when created and leaves it exactly once:
 * when shifted, or when its signal aborts (the abort handler is detached on
 * leaving, so it cannot fire after a shift).
 */
export class Waiter<T, P> implements Link, AbortSubscription {
  // Declared, not initialised: the constructor assigns every field.
  declare readonly owner: Waiters<T, P>;
  declare readonly signal: AbortSignal | undefined;
  declare readonly payload: P;
  declare readonly resolve: (value: T) => void;
  declare readonly reject: (reason: unknown) => void;
  declare prev: Link;
  declare next: Link;
  declare list: AbortSubscription["list"];

  constructor(
    owner: Waiters<T, P>,
    signal: AbortSignal | undefined,
    payload: P,
    resolve: (value: T) => void,
    reject: (reason: unknown) => void,
  ) {
    this.owner = owner;
    this.signal = signal;
    this.payload = payload;
    this.resolve = resolve;
    this.reject = reject;
    const prev = this.prev = owner.prev;
    this.next = owner;
    prev.next = owner.prev = this;
    owner.size++;
    this.list = null;
    if (signal) {
      subscribe(signal, this);
      inspectHook?.enter(this, signal, owner.op);
    }
  }

  /** What the abort registry calls: the waiter itself ({@linkcode handleEvent}). */
  get handler(): this {
    return this;
  }

  /** The abort handler: leave the queue and reject with the reason. */
  handleEvent(): void {
    this.leave();
    this.reject(this.signal!.reason);
    this.owner.onAbort?.(this);
  }

  /** Unlinks the waiter and detaches its abort handler. */
  leave(): void {
    this.prev.next = this.next;
    this.next.prev = this.prev;
    this.owner.size--;
    if (this.signal) {
      offAbort(this);
      inspectHook?.leave(this);
    }
  }
}

/** A FIFO of {@linkcode Waiter}s. */
export class Waiters<T, P = undefined> implements Link {
  prev: Link = this;
  next: Link = this;
  /** Number of waiters still queued. */
  size = 0;

  declare readonly op: string;
  declare readonly onAbort: ((waiter: Waiter<T, P>) => void) | undefined;

  /**
   * `op` names the wait for the inspector (`"Queue.get"`); `onAbort` runs
   * after an aborted waiter has left the queue.
   */
  constructor(op: string, onAbort?: (waiter: Waiter<T, P>) => void) {
    this.op = op;
    this.onAbort = onAbort;
  }

  /** The first waiter, still queued. */
  peek(): Waiter<T, P> | undefined {
    return this.size ? this.next as Waiter<T, P> : undefined;
  }

  /**
   * Queues a waiter and returns its promise. The caller has already checked
   * that `signal` is not aborted (before changing any state). A list whose
   * waiters bring nothing (`P` is `undefined`) leaves `payload` out.
   */
  wait(signal: AbortSignal | undefined, payload?: P): Promise<T> {
    return new Promise((resolve, reject) =>
      void new Waiter(this, signal, payload as P, resolve, reject)
    );
  }

  /**
   * Dequeues the first waiter and detaches its abort listener; the caller
   * then settles it. From here on an abort no longer affects it.
   */
  shift(): Waiter<T, P> | undefined {
    const waiter = this.peek();
    waiter?.leave();
    return waiter;
  }
}

// Functions rather than methods, so a bundle that never calls them (a
// Semaphore alone) leaves them out.

/**
 * Resolves the first `n` waiters queued in `waiters` (all by default), first
 * to last. Every caller wakes waiters that wait for nothing but the wake.
 */
export function resolveAll<P>(waiters: Waiters<void, P>, n = Infinity): void {
  for (let waiter; n-- > 0 && (waiter = waiters.shift());) waiter.resolve();
}

/** Rejects every waiter queued in `waiters` with `error`, first to last. */
export function rejectAll<T, P>(waiters: Waiters<T, P>, error: unknown): void {
  for (let waiter; (waiter = waiters.shift());) waiter.reject(error);
}
