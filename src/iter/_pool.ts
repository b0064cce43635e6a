// The concurrent engine behind map, filter, flatMap and forEach when
// `concurrency` > 1: up to `limit` callbacks run at once, and an item holds
// its slot from the pull until its result is handed to the consumer, so
// running callbacks plus finished results never exceed `limit` (DESIGN rule
// 8). The source is pulled one item at a time, only while a slot is free.

import { type Deferred, deferred } from "../_deferred.ts";
import { Context, Scope } from "./_context.ts";
import { noop } from "../_noop.ts";
import { CLOSE, isPromiseLike, Op, PULL, type Step } from "./_op.ts";

const PENDING = 0;
const READY = 1;
const SKIP = 2;

interface Entry<U> {
  state: number;
  value: U | undefined;
  // Handed over with the result; aborted if the result is dropped.
  context: Context;
  // The next entry of the results queue (an intrusive FIFO: no node objects).
  next: Entry<U> | undefined;
}

/** `(item, context) => result` as map takes it, or a predicate for filter. */
export type Callback<T> = (item: T, context: Context) => unknown;

/** A concurrent map (or filter, with `filter` set) over `source`. */
export class PoolOp<T, U> extends Op<U> {
  readonly #source: Op<T>;
  readonly #fn: Callback<T>;
  readonly #filter: boolean;
  readonly #limit: number;
  readonly #ordered: boolean;
  readonly #scope: Scope;
  #index = 0;
  #held = 0; // items pulled and not yet handed over: running or ready
  #running = 0;
  #pulling = false;
  #exhausted = false;
  // Ordered: every held item in input order. Unordered: ready ones only,
  // in the order they finished.
  #head: Entry<U> | undefined;
  #tail: Entry<U> | undefined;
  #idle: Deferred<void> | undefined;

  constructor(
    source: Op<T>,
    fn: Callback<T>,
    filter: boolean,
    limit: number,
    ordered: boolean,
    signal: AbortSignal | undefined,
  ) {
    super(signal);
    this.#source = source;
    this.#fn = fn;
    this.#filter = filter;
    this.#limit = limit;
    this.#ordered = ordered;
    // The operator's own exit (its signal included) aborts the scope.
    this.#scope = new Scope(signal);
  }

  protected step(): Step<U> {
    this.#fill();
    return this.#take();
  }

  protected stop(reason: unknown): Promise<void> {
    this.#scope.abort(reason);
    const closing = this.#source[CLOSE](reason);
    if (this.#running === 0) return closing;
    // Structured exit: wait for the aborted callbacks to settle.
    this.#idle = deferred();
    return Promise.all([closing, this.#idle.promise]).then(noop);
  }

  readonly #take = (): Step<U> => {
    for (;;) {
      if (this.closed) return this.closedStep();
      const head = this.#head;
      if (head !== undefined && head.state !== PENDING) {
        this.#head = head.next;
        Context.handOver(head.context);
        this.#held--;
        this.#fill();
        if (head.state === SKIP) continue;
        return { done: false, value: head.value as U };
      }
      if (this.#exhausted && this.#held === 0) return this.finish();
      return this.park();
    }
  };

  // Hands the waiting consumer a result once one is there.
  #wake(): void {
    const head = this.#head;
    const ready = head !== undefined && head.state !== PENDING;
    if (ready || (this.#exhausted && this.#held === 0)) {
      this.unpark(this.#take);
    }
  }

  #fill(): void {
    while (
      !this.#pulling && !this.#exhausted && this.#held < this.#limit &&
      !this.closed
    ) {
      const result = this.#source[PULL]();
      if (result instanceof Promise) {
        this.#pulling = true;
        result.then(this.#onPulled, this.#onSourceError);
        return;
      }
      this.#accept(result);
    }
  }

  readonly #onPulled = (result: IteratorResult<T, undefined>): void => {
    this.#pulling = false;
    if (this.closed) return;
    this.#accept(result);
    this.#fill();
    this.#wake();
  };

  readonly #onSourceError = (error: unknown): void => {
    this.#pulling = false;
    this.#exhausted = true;
    this.failNow(error);
  };

  #accept(result: IteratorResult<T, undefined>): void {
    if (result.done) {
      this.#exhausted = true;
      return;
    }
    const item = result.value;
    const context = new Context(this.#index++, this.#scope);
    const entry: Entry<U> = {
      state: PENDING,
      value: undefined,
      context,
      next: undefined,
    };
    this.#held++;
    if (this.#ordered) this.#push(entry);
    const fn = this.#fn; // called with `this` undefined
    let out: unknown;
    try {
      out = fn(item, context);
    } catch (error) {
      this.failNow(error);
      return;
    }
    // A failure fails fast: the others are aborted, the source returned.
    if (!isPromiseLike(out)) {
      this.#complete(entry, out, item);
      return;
    }
    this.#running++;
    Promise.resolve(out).then(
      (value) => {
        this.#settled();
        this.#complete(entry, value, item);
        this.#wake();
      },
      (error) => {
        this.#settled();
        this.failNow(error);
      },
    );
  }

  #settled(): void {
    if (--this.#running === 0 && this.#idle) this.#idle.resolve();
  }

  #complete(entry: Entry<U>, out: unknown, item: T): void {
    if (this.closed) return;
    if (this.#filter) {
      entry.state = out ? READY : SKIP;
      entry.value = item as unknown as U;
    } else {
      entry.state = READY;
      entry.value = out as U;
    }
    if (!this.#ordered) this.#push(entry);
  }

  #push(entry: Entry<U>): void {
    if (this.#head) this.#tail!.next = entry;
    else this.#head = entry;
    this.#tail = entry;
  }
}
