// The one waiter mechanism every sync primitive shares: a FIFO of pending
// promises, each optionally tied to an AbortSignal. A waiter is its own abort
// handler (`handleEvent`), so waiting allocates no closure beyond the
// promise's executor, and an aborted waiter leaves the list in O(1).

import { LinkedList, type ListNode } from "../_list.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";

/**
 * One pending wait. `payload` carries what the waiter brings (a queued item,
 * a channel value); `resolve` settles it after {@linkcode Waiters.shift}.
 */
export class Waiter<T, P> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  readonly payload: P;
  readonly signal: AbortSignal | undefined;
  readonly owner: Waiters<T, P>;
  node: ListNode<Waiter<T, P>> | null = null;
  subscription: AbortSubscription | null = null;

  constructor(
    owner: Waiters<T, P>,
    signal: AbortSignal | undefined,
    payload: P,
  ) {
    this.owner = owner;
    this.signal = signal;
    this.payload = payload;
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The abort handler: leave the queue and reject with the reason. */
  handleEvent(): void {
    this.owner.cancel(this, this.signal!.reason);
  }

  /** Detaches the abort handler, if any. */
  unsubscribe(): void {
    if (this.subscription) offAbort(this.subscription);
    this.subscription = null;
  }
}

/** A FIFO of {@linkcode Waiter}s. */
export class Waiters<T, P = undefined> {
  readonly #list = new LinkedList<Waiter<T, P>>();
  readonly #onAbort: ((waiter: Waiter<T, P>) => void) | undefined;

  /** `onAbort` runs after an aborted waiter has left the queue. */
  constructor(onAbort?: (waiter: Waiter<T, P>) => void) {
    this.#onAbort = onAbort;
  }

  /** Number of waiters still queued. */
  get size(): number {
    return this.#list.size;
  }

  /** The first waiter, still queued. */
  peek(): Waiter<T, P> | undefined {
    return this.#list.peek();
  }

  /**
   * Queues a waiter and returns its promise. The caller has already checked
   * that `signal` is not aborted (before changing any state).
   */
  wait(signal: AbortSignal | undefined, payload: P): Promise<T> {
    return this.add(signal, payload).promise;
  }

  /** Queues a waiter and returns it (to {@linkcode cancel} it later). */
  add(signal: AbortSignal | undefined, payload: P): Waiter<T, P> {
    const waiter = new Waiter(this, signal, payload);
    waiter.node = this.#list.push(waiter);
    if (signal) waiter.subscription = onAbort(signal, waiter);
    return waiter;
  }

  /**
   * Dequeues the first waiter and detaches its abort listener; the caller
   * then settles it. From here on an abort no longer affects it.
   */
  shift(): Waiter<T, P> | undefined {
    const waiter = this.#list.shift();
    if (waiter) {
      waiter.node = null;
      waiter.unsubscribe();
    }
    return waiter;
  }

  /** Removes `waiter` (if still queued) and rejects it with `reason`. */
  cancel(waiter: Waiter<T, P>, reason: unknown): void {
    const node = waiter.node;
    if (!node) return;
    this.#list.remove(node);
    waiter.node = null;
    waiter.unsubscribe();
    waiter.reject(reason);
    this.#onAbort?.(waiter);
  }

  /** Resolves every queued waiter with `value`, first to last. */
  resolveAll(value: T): void {
    for (let waiter = this.shift(); waiter; waiter = this.shift()) {
      waiter.resolve(value);
    }
  }

  /** Rejects every queued waiter with `error`, first to last. */
  rejectAll(error: unknown): void {
    for (let waiter = this.shift(); waiter; waiter = this.shift()) {
      waiter.reject(error);
    }
  }
}
