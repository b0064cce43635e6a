import {
  checkBoolean,
  checkFunction,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkSignalOption,
  describe,
} from "../_validate.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import { Deque } from "../_deque.ts";
import { Heap } from "./_heap.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { TakeIterator } from "./_take_iterator.ts";
import { rejectAll, resolveAll, Waiters } from "./_waiters.ts";

/**
 * The error {@linkcode Queue} operations reject with after
 * {@linkcode Queue.shutdown} (asyncio's `QueueShutDown`).
 *
 * @example
 * ```ts
 * import { Queue, QueueShutDownError } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const queue = new Queue<number>();
 * queue.shutdown();
 * assert.instanceOf(await queue.put(1).catch((e) => e), QueueShutDownError);
 * ```
 */
export class QueueShutDownError extends Error {
  /**
   * Creates the error.
   *
   * @param message what was refused.
   */
  constructor(message = "The queue is shut down") {
    super(message);
    this.name = "QueueShutDownError";
  }
}

/** The order in which a {@linkcode Queue} hands out its items. */
export type QueueOrder = "fifo" | "lifo" | "priority";

const ORDERS: readonly QueueOrder[] = ["fifo", "lifo", "priority"];

/** Options of {@linkcode Queue}. */
export interface QueueOptions<T> {
  /** Most items held before `put` waits: an integer ≥ 1 or `Infinity` (the default). */
  maxSize?: number;
  /** `"fifo"` (default), `"lifo"`, or `"priority"` (smallest first by `compare`). */
  order?: QueueOrder;
  /**
   * Priority order only: negative when `a` comes before `b`. Defaults to
   * `<` on the values. Equal items come out in insertion order.
   */
  compare?: (a: T, b: T) => number;
}

// The item store behind each order; all share push/take/size.
interface Store<T> {
  readonly size: number;
  push(item: T): void;
  take(): T;
}

// A LIFO queue takes from the back of its deque.
class Stack<T> extends Deque<T> {
  override take(): T {
    return this.pop();
  }
}

function ascending<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Queue.prototype[disposeSymbol] is installed by the first construction;
// see defineMethod for why it is not a method in the class body.
let installed = false;

/**
 * An async queue with backpressure (asyncio's `Queue`, `LifoQueue` and
 * `PriorityQueue` in one): {@linkcode Queue.put} waits while the queue holds
 * `maxSize` items, {@linkcode Queue.get} waits while it is empty, and both
 * serve their waiters FIFO. Every wait takes `{ signal }`.
 *
 * Work tracking follows asyncio: each item put counts as an unfinished task
 * until a consumer calls {@linkcode Queue.taskDone}; {@linkcode Queue.join}
 * waits until none are left. {@linkcode Queue.shutdown} follows asyncio 3.13.
 *
 * Iterating with `for await` gets items until the queue is shut down and
 * drained (it does not call `taskDone` for you); `break` stops without
 * taking another item. Disposing the queue (`using`) shuts it down.
 *
 * @example A producer and two workers
 * ```ts
 * import { Queue } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const queue = new Queue<number>({ maxSize: 2 });
 * const results: number[] = [];
 * const worker = async () => {
 *   for await (const n of queue) {
 *     results.push(n * n);
 *     queue.taskDone();
 *   }
 * };
 * const workers = [worker(), worker()];
 * for (let n = 1; n <= 5; n++) await queue.put(n); // waits while full
 * await queue.join(); // every item processed
 * queue.shutdown();
 * await Promise.all(workers);
 * assert.deepEqual(results.sort((a, b) => a - b), [1, 4, 9, 16, 25]);
 * ```
 *
 * @example Priority order
 * ```ts
 * import { Queue } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const queue = new Queue<{ rank: number; name: string }>({
 *   order: "priority",
 *   compare: (a, b) => a.rank - b.rank,
 * });
 * queue.tryPut({ rank: 2, name: "later" });
 * queue.tryPut({ rank: 1, name: "first" });
 * assert.equal((await queue.get()).name, "first");
 * ```
 */
export class Queue<T> implements AsyncIterable<T>, Disposable {
  readonly #store: Store<T>;
  readonly #maxSize: number;
  readonly #getters = new Waiters<T>("Queue.get");
  readonly #putters = new Waiters<void, T>("Queue.put");
  readonly #joiners = new Waiters<void>("Queue.join");
  #unfinished = 0;
  #shutDown = false;

  /**
   * Creates an empty queue.
   *
   * @throws {RangeError} `maxSize` is not an integer ≥ 1 or `Infinity`.
   * @throws {TypeError} an option has the wrong type or `order` is unknown,
   *   or `compare` is given without `order: "priority"`.
   */
  constructor(options?: QueueOptions<T>) {
    installed ||= defineMethod(
      Queue.prototype,
      disposeSymbol,
      function (this: Queue<unknown>) {
        this.shutdown();
      },
    );
    const { maxSize = Infinity, order = "fifo", compare } = checkOptions(
      "Queue",
      options,
    );
    this.#maxSize = checkInteger("Queue", "maxSize", maxSize, 1, true);
    checkOneOf("Queue", "order", order, ORDERS);
    if (compare !== undefined) {
      checkFunction("Queue", "compare", compare);
      if (order !== "priority") {
        throw new TypeError(
          `Queue: compare is only used with order "priority", got order ${
            describe(order)
          }`,
        );
      }
    }
    this.#store = order === "fifo"
      ? new Deque()
      : order === "lifo"
      ? new Stack()
      : new Heap(compare ?? ascending);
  }

  /** Items in the queue now. */
  get size(): number {
    return this.#store.size;
  }

  /** The most items the queue holds before `put` waits. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** Whether {@linkcode Queue.shutdown} has been called. */
  get isShutDown(): boolean {
    return this.#shutDown;
  }

  /**
   * Adds `item`, waiting (FIFO with other putters) while the queue is full.
   * Aborting `signal` leaves the item out and rejects with `signal.reason`.
   * Rejects with {@linkcode QueueShutDownError} after shutdown, and if the
   * queue is shut down while waiting.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<string>({ maxSize: 1 });
   * await queue.put("a");
   * const blocked = queue.put("b"); // full: waits for a get
   * assert.equal(await queue.get(), "a");
   * await blocked;
   * assert.equal(queue.size, 1);
   * ```
   */
  put(item: T, options?: SignalOptions): Promise<void> {
    const signal = checkSignalOption("Queue.put", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#shutDown) {
      return Promise.reject(
        new QueueShutDownError("Queue.put: the queue is shut down"),
      );
    }
    if (this.#store.size < this.#maxSize) {
      this.#add(item);
      return Promise.resolve();
    }
    return this.#putters.wait(signal, item);
  }

  /**
   * Adds `item` if there is room; returns whether it did.
   *
   * @throws {QueueShutDownError} the queue is shut down.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>({ maxSize: 1 });
   * assert.isTrue(queue.tryPut(1));
   * assert.isFalse(queue.tryPut(2));
   * ```
   */
  tryPut(item: T): boolean {
    if (this.#shutDown) {
      throw new QueueShutDownError("Queue.tryPut: the queue is shut down");
    }
    if (this.#store.size >= this.#maxSize) return false;
    this.#add(item);
    return true;
  }

  /**
   * Removes and returns the next item, waiting (FIFO with other getters)
   * while the queue is empty. After shutdown it still returns the items left,
   * then rejects with {@linkcode QueueShutDownError}. Aborting `signal`
   * rejects with `signal.reason` and takes no item.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>();
   * const next = queue.get();
   * await queue.put(7);
   * assert.equal(await next, 7);
   * ```
   */
  get(options?: SignalOptions): Promise<T> {
    const signal = checkSignalOption("Queue.get", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#store.size > 0) return Promise.resolve(this.#take());
    if (this.#shutDown) {
      return Promise.reject(
        new QueueShutDownError("Queue.get: the queue is shut down and empty"),
      );
    }
    return this.#getters.wait(signal);
  }

  /**
   * Removes and returns the next item, or `undefined` when the queue is
   * empty (check {@linkcode Queue.size} first if `undefined` is a valid item).
   *
   * @throws {QueueShutDownError} the queue is shut down and empty.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>({ order: "lifo" });
   * queue.tryPut(1);
   * queue.tryPut(2);
   * assert.equal(queue.tryGet(), 2);
   * assert.equal(queue.tryGet(), 1);
   * assert.isUndefined(queue.tryGet());
   * ```
   */
  tryGet(): T | undefined {
    if (this.#store.size > 0) return this.#take();
    if (this.#shutDown) {
      throw new QueueShutDownError(
        "Queue.tryGet: the queue is shut down and empty",
      );
    }
    return undefined;
  }

  /**
   * Marks one item taken from the queue as processed; when every item put
   * has been marked, {@linkcode Queue.join} resolves.
   *
   * @throws {Error} called more times than items were put.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>();
   * queue.tryPut(1);
   * queue.tryGet();
   * queue.taskDone();
   * assert.throws(() => queue.taskDone(), /more times/);
   * ```
   */
  taskDone(): void {
    if (this.#unfinished === 0) {
      throw new Error(
        "Queue.taskDone: called more times than there were items put",
      );
    }
    if (--this.#unfinished === 0) resolveAll(this.#joiners);
  }

  /**
   * Resolves once every item put has been marked with
   * {@linkcode Queue.taskDone} (at once if none is pending).
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>();
   * queue.tryPut(1);
   * let joined = false;
   * const join = queue.join().then(() => joined = true);
   * queue.tryGet();
   * await Promise.resolve();
   * assert.isFalse(joined);
   * queue.taskDone();
   * await join;
   * assert.isTrue(joined);
   * ```
   */
  join(options?: SignalOptions): Promise<void> {
    const signal = checkSignalOption("Queue.join", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#unfinished === 0) return Promise.resolve();
    return this.#joiners.wait(signal);
  }

  /**
   * Shuts the queue down (asyncio 3.13): later puts reject with
   * {@linkcode QueueShutDownError}, and so do waiting putters (their items
   * are not added); gets return the items left, then reject with it, as do
   * waiting getters. With `immediate: true` the items left are dropped too,
   * each counting as a finished task, so {@linkcode Queue.join} resolves once
   * the items already taken are done. Calling it again is allowed
   * (`immediate: true` then still drops what is left).
   *
   * @throws {TypeError} `options` or `immediate` has the wrong type.
   *
   * @example
   * ```ts
   * import { Queue, QueueShutDownError } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>();
   * queue.tryPut(1);
   * queue.shutdown();
   * assert.equal(await queue.get(), 1); // drains first
   * assert.instanceOf(await queue.get().catch((e) => e), QueueShutDownError);
   * ```
   */
  shutdown(options?: { immediate?: boolean }): void {
    const { immediate = false } = checkOptions("Queue.shutdown", options);
    checkBoolean("Queue.shutdown", "immediate", immediate);
    this.#shutDown = true;
    if (immediate) {
      // Each dropped item counts as done (taskDone may have run ahead for
      // items still queued, so the count stops at 0). Taking them one by one
      // needs no clear() in every store: shutting down is rare.
      for (const store = this.#store; store.size; store.take()) {
        if (this.#unfinished) this.#unfinished--;
      }
      if (this.#unfinished === 0) resolveAll(this.#joiners);
    }
    rejectAll(
      this.#getters,
      new QueueShutDownError("Queue.get: the queue is shut down and empty"),
    );
    rejectAll(
      this.#putters,
      new QueueShutDownError("Queue.put: the queue is shut down"),
    );
  }

  /**
   * Shuts the queue down, as {@linkcode Queue.shutdown} without `immediate`
   * does (`using queue = new Queue()`): waiting getters and putters reject
   * with {@linkcode QueueShutDownError}, and the items left can still be
   * taken. Disposing again does nothing more.
   *
   * @example
   * ```ts
   * import { Queue, QueueShutDownError } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * let getter: Promise<unknown>;
   * let queue: Queue<number>;
   * {
   *   using q = new Queue<number>();
   *   queue = q;
   *   getter = q.get(); // waits: the queue is empty
   * } // shut down here
   * assert.instanceOf(await getter.catch((e) => e), QueueShutDownError);
   * assert.isTrue(queue.isShutDown);
   * ```
   */
  declare [Symbol.dispose]: () => void;

  /**
   * Iterates items as {@linkcode Queue.get} returns them; ends once the
   * queue is shut down and drained.
   *
   * @example
   * ```ts
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const queue = new Queue<number>();
   * queue.tryPut(1);
   * queue.tryPut(2);
   * queue.shutdown();
   * const seen: number[] = [];
   * for await (const n of queue) seen.push(n);
   * assert.deepEqual(seen, [1, 2]);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new TakeIterator((options) => this.get(options), QueueShutDownError);
  }

  // Counts a new item and hands it to the first getter, else stores it.
  #add(item: T): void {
    this.#unfinished++;
    const getter = this.#getters.shift();
    if (getter) getter.resolve(item); // getters wait only on an empty queue
    else this.#store.push(item);
  }

  // Takes the next item; the freed slot goes to the first waiting putter.
  #take(): T {
    const item = this.#store.take();
    const putter = this.#putters.shift();
    if (putter) {
      this.#unfinished++;
      this.#store.push(putter.payload);
      putter.resolve();
    }
    return item;
  }
}
