// The one waiter mechanism every sync primitive shares: a FIFO of pending
// promises, each optionally tied to an AbortSignal. A waiter is its own list
// node (intrusive links) and its own abort handler (`handleEvent`), and keeps
// only its promise's resolving functions, not the promise: a pending wait
// costs one small object besides the promise the caller holds. An aborted
// waiter leaves the list in O(1).

import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import { inspectHook } from "../_inspect_hook.ts";

/**
 * One pending wait. `payload` carries what the waiter brings (a queued item,
 * a channel value); `resolve` settles it after {@linkcode Waiters.shift}.
 */
export class Waiter<T, P> {
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  readonly payload: P;
  readonly signal: AbortSignal | undefined;
  readonly owner: Waiters<T, P>;
  prev: Waiter<T, P> | null = null;
  next: Waiter<T, P> | null = null;
  // Whether the waiter is still in its owner's list.
  queued = true;
  subscription: AbortSubscription | null = null;

  constructor(
    owner: Waiters<T, P>,
    signal: AbortSignal | undefined,
    payload: P,
  ) {
    this.owner = owner;
    this.signal = signal;
    this.payload = payload;
  }

  /** The abort handler: leave the queue and reject with the reason. */
  handleEvent(): void {
    this.owner.cancel(this, this.signal!.reason);
  }
}

/** A FIFO of {@linkcode Waiter}s. */
export class Waiters<T, P = undefined> {
  #head: Waiter<T, P> | null = null;
  #tail: Waiter<T, P> | null = null;
  #size = 0;
  readonly #onAbort: ((waiter: Waiter<T, P>) => void) | undefined;
  readonly #op: string;

  /**
   * `op` names the wait for the inspector (`"Queue.get"`); `onAbort` runs
   * after an aborted waiter has left the queue.
   */
  constructor(op: string, onAbort?: (waiter: Waiter<T, P>) => void) {
    this.#op = op;
    this.#onAbort = onAbort;
  }

  /** Number of waiters still queued. */
  get size(): number {
    return this.#size;
  }

  /** The first waiter, still queued. */
  peek(): Waiter<T, P> | undefined {
    return this.#head ?? undefined;
  }

  /**
   * Queues a waiter and returns its promise. The caller has already checked
   * that `signal` is not aborted (before changing any state).
   */
  wait(signal: AbortSignal | undefined, payload: P): Promise<T> {
    const waiter = new Waiter(this, signal, payload);
    const promise = new Promise<T>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    const tail = this.#tail;
    waiter.prev = tail;
    if (tail) tail.next = waiter;
    else this.#head = waiter;
    this.#tail = waiter;
    this.#size++;
    if (signal) {
      waiter.subscription = onAbort(signal, waiter);
      inspectHook?.enter(waiter, signal, this.#op);
    }
    return promise;
  }

  /**
   * Dequeues the first waiter and detaches its abort listener; the caller
   * then settles it. From here on an abort no longer affects it.
   */
  shift(): Waiter<T, P> | undefined {
    const waiter = this.#head;
    if (!waiter) return undefined;
    this.#remove(waiter);
    return waiter;
  }

  /** Removes `waiter` (if still queued) and rejects it with `reason`. */
  cancel(waiter: Waiter<T, P>, reason: unknown): void {
    if (!waiter.queued) return;
    this.#remove(waiter);
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

  // Unlinks a queued waiter and detaches its abort handler.
  #remove(waiter: Waiter<T, P>): void {
    const { prev, next } = waiter;
    if (prev) prev.next = next;
    else this.#head = next;
    if (next) next.prev = prev;
    else this.#tail = prev;
    waiter.prev = waiter.next = null;
    waiter.queued = false;
    this.#size--;
    if (waiter.subscription) {
      offAbort(waiter.subscription);
      inspectHook?.leave(waiter);
      waiter.subscription = null;
    }
  }
}
