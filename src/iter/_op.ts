// The engine every operator shares.
//
// Operators talk to each other through PULL/CLOSE rather than next()/return():
// a pull may answer synchronously, so a chain over an array with plain
// callbacks allocates no promise per layer, only the one its consumer's
// next() returns (DESIGN §4: every async-generator layer costs about nine
// promises an item). Only the public boundary (next/return/throw) and
// operators holding a signal wrap a pending step in a promise of their own,
// so that return() or an abort can settle it without waiting on a stuck
// source (DESIGN §4: return() on an async generator waits behind next()).

import { type Deferred, deferred } from "../_deferred.ts";
import { noop } from "../_noop.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import { asyncDisposeSymbol, defineMethod } from "../_symbols.ts";
import { abortError } from "../cancel/errors.ts";

/** Internal pull: the next result, synchronously when it is already there. */
export const PULL: unique symbol = Symbol("pull");
/** Internal close: idempotent, never waits on a pull that is in flight. */
export const CLOSE: unique symbol = Symbol("close");

/** A result now, or a promise of one. */
export type Step<T> =
  | IteratorResult<T, undefined>
  | Promise<IteratorResult<T, undefined>>;

/** The one "done" result every operator reports. */
export const DONE: IteratorReturnResult<undefined> = /* @__PURE__ */ Object
  .freeze({
    done: true,
    value: undefined,
  }) as IteratorReturnResult<undefined>;

const RESOLVED: Promise<void> = /* @__PURE__ */ Promise.resolve();
const IDLE = 0;
const OPEN = 1;
const CLOSED = 2;

// The shared done result is frozen; the consumer gets one of its own.
function fresh<T>(
  result: IteratorResult<T, undefined>,
): IteratorResult<T, undefined> {
  return result === DONE ? { done: true, value: undefined } : result;
}

/** Whether `value` is a thenable (a promise from any library or realm). */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}

/**
 * The async iterator every operator returns: `for await` it, `break` out of
 * it, or drive it by hand. `return()` and `throw()` stop the pipeline (see
 * the early-exit rule in the module docs) and settle a `next()` that is
 * still pending; `await using` calls `return()`.
 */
export interface AsyncOperator<T> extends AsyncIterableIterator<T> {
  /** The next item, or `{ done: true }` once the operator has finished. */
  next(): Promise<IteratorResult<T, undefined>>;
  /** Stops early: aborts callbacks, returns unfinished sources; resolves done. */
  return(value?: unknown): Promise<IteratorResult<T, undefined>>;
  /** Stops early like `return()`, then rejects with `error`. */
  throw(error?: unknown): Promise<IteratorResult<T, undefined>>;
  /** Returns itself. */
  [Symbol.asyncIterator](): AsyncOperator<T>;
  /** Same as `return()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

// Op.prototype's [PULL], [CLOSE] and [asyncDisposeSymbol] are installed by the
// first construction (when there is no anchor yet); see defineMethod for why
// they are not methods in the class body.

// V8 drops a hidden class (map) once no object has it, and with it all the
// optimized code built on it. Operators are short-lived: a full GC between
// two pipelines, while no operator of a class is alive, deoptimized the
// whole engine, and after some rounds of that V8 stopped optimizing it
// (Node 20, map → filter → take with a GC between runs, as the benchmark
// harness does: ~120 ns/item falling to ~450, worse the more runs). One
// inert instance of each operator class, constructed without arguments
// and never pulled, keeps its maps alive; so does one Context.
const anchors = new Map<object, Op<unknown> | undefined>();

// `promise`, then a rejection with `error` whichever way it settled.
function rejectAfter(
  promise: Promise<unknown>,
  error: unknown,
): Promise<never> {
  const reject = () => Promise.reject(error);
  return promise.then(reject, reject);
}

/**
 * Base of every operator. Subclasses implement `step()` (called only while
 * open, never twice at once) and `stop(reason)` (abort callbacks, close
 * unfinished sources; called once, on the first early exit).
 */
export abstract class Op<T> implements AsyncOperator<T> {
  #state = IDLE;
  #signal: AbortSignal | undefined;
  // Through the shared registry: one listener per signal, however many
  // operators use it (DESIGN rule 5).
  #subscription: AbortSubscription | undefined;
  // Set while a next() runs its step: a next() from inside a callback or
  // from inside the source's own next() waits its turn instead of
  // re-entering. (Internal pulls come from the one consumer, never re-enter.)
  #busy = false;
  #closing: Promise<void> = RESOLVED;
  #failure: Promise<never> | undefined;
  // The consumer's step that an abort or return() must settle itself.
  #pending: Deferred<IteratorResult<T, undefined>> | undefined;
  // next() calls made while one is pending wait their turn, as they do on a
  // generator; created on first use only, read from index #served on (no
  // shift: a long queue would be O(n) per call).
  #waiting: Deferred<IteratorResult<T, undefined>>[] | undefined;
  #served = 0;
  #parked: Deferred<IteratorResult<T, undefined>> | undefined;

  constructor(signal?: AbortSignal) {
    this.#signal = signal;
    const kind = new.target;
    if (anchors.has(kind)) return;
    if (anchors.size === 0) {
      const proto = Op.prototype;
      defineMethod(proto, PULL, function (this: Op<unknown>) {
        return this.#pull(this.#signal !== undefined);
      });
      defineMethod(
        proto,
        CLOSE,
        function (this: Op<unknown>, reason: unknown = abortError()) {
          return this.#close(reason);
        },
      );
      defineMethod(proto, asyncDisposeSymbol, function (this: Op<unknown>) {
        return this.return().then(noop);
      });
    }
    anchors.set(kind, undefined);
    try {
      anchors.set(kind, Reflect.construct(kind, []));
    } catch {
      // A class whose constructor needs its arguments stays unanchored.
    }
  }

  /** Internal pull: the next result, synchronously when it is already there. */
  declare [PULL]: () => Step<T>;
  /** Internal close: idempotent, never waits on a pull that is in flight. */
  declare [CLOSE]: (reason?: unknown) => Promise<void>;
  /** Same as `return()`. */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  /** Produces the next result; only called while open. */
  protected abstract step(): Step<T>;
  /** Early-exit cleanup; may return a promise the exit waits for. */
  protected abstract stop(reason: unknown): Promise<unknown> | void;
  /** Lazy set-up, run at the first pull. */
  protected start(): void {}
  /** Normal-end cleanup (nothing left running); see {@linkcode finish}. */
  protected release(): void {}

  /** Whether the operator has finished or exited. */
  protected get closed(): boolean {
    return this.#state === CLOSED;
  }

  /** Ends normally: every source is exhausted and nothing is running. */
  protected finish(): IteratorReturnResult<undefined> {
    if (this.#shut()) this.release();
    return DONE;
  }

  /** Ends early but without error (take, takeWhile…): closes, then done. */
  protected end(): Promise<IteratorReturnResult<undefined>> {
    return this.#close(abortError()).then(() => DONE);
  }

  /**
   * Fails: closes (aborting callbacks, returning sources), then rejects with
   * `error`. With `later`, the rejection is also kept for the next pull,
   * for failures that happen while nobody waits.
   */
  protected fail(error: unknown, later = false): Promise<never> {
    const failure = rejectAfter(this.#close(error), error);
    failure.catch(noop);
    if (later) this.#failure = failure;
    return failure;
  }

  /**
   * For operators fed by callbacks (timers, events, concurrent work): the
   * current step waits here until {@linkcode unpark} hands it a result.
   */
  protected park(): Promise<IteratorResult<T, undefined>> {
    return (this.#parked = deferred()).promise;
  }

  /**
   * Settles the parked step with `next()`'s answer (by default a new
   * {@linkcode step}), computed only when a step is parked; it may park
   * again.
   */
  protected unpark(next?: () => Step<T>): void {
    const parked = this.#parked;
    if (!parked) return;
    this.#parked = undefined;
    parked.resolve(next ? next() : this.step());
  }

  /**
   * Fails from a callback: the parked step rejects after cleanup, or the
   * next pull does when none is parked.
   */
  protected failNow(error: unknown): void {
    if (this.closed) return;
    const parked = this.#parked;
    this.#parked = undefined;
    const failure = this.fail(error, !parked);
    parked?.resolve(failure);
  }

  /**
   * What a pull after the exit answers. Level-triggered: after an abort every
   * pull rejects with the reason; a failure nobody has seen yet is reported
   * once; otherwise done.
   */
  protected closedStep(): Step<T> {
    const signal = this.#signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const failure = this.#failure;
    this.#failure = undefined;
    return failure ?? DONE;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#pending || this.#busy) {
      const waiter = deferred<IteratorResult<T, undefined>>();
      if (!this.#waiting) {
        this.#waiting = [];
        this.#served = 0;
      }
      this.#waiting.push(waiter);
      return waiter.promise;
    }
    this.#busy = true;
    const step = this.#pull(true);
    this.#busy = false;
    if (step instanceof Promise) return step;
    // A next() made from inside this step waited; its turn is now.
    this.#settle(undefined, undefined, undefined, false);
    return Promise.resolve(fresh(step));
  }

  return(value?: unknown): Promise<IteratorResult<T, undefined>> {
    return this.#exit(abortError()).then(() =>
      ({ done: true, value }) as IteratorReturnResult<undefined>
    );
  }

  throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
    return rejectAfter(this.#exit(error), error);
  }

  [Symbol.asyncIterator](): AsyncOperator<T> {
    return this;
  }

  // return() and throw(): close, and answer every waiting next() with done.
  #exit(reason: unknown): Promise<void> {
    const closing = this.#close(reason);
    this.#settleAll(DONE, undefined, false);
    return closing;
  }

  #pull(track: boolean): Step<T> {
    if (this.#state !== OPEN) {
      if (this.#state === CLOSED) return this.closedStep();
      const signal = this.#signal;
      if (signal?.aborted) {
        // Closing still reaches what this operator reads from.
        const reason = signal.reason;
        this.#close(reason);
        return Promise.reject(reason);
      }
      this.#state = OPEN;
      if (signal) this.#subscription = onAbort(signal, this.#onAbort);
      try {
        this.start();
      } catch (error) {
        return this.fail(error);
      }
    }
    let step: Step<T>;
    try {
      step = this.step();
    } catch (error) {
      return this.fail(error);
    }
    if (!track || !(step instanceof Promise)) return step;
    const pending = this.#pending = deferred();
    step.then(
      (result) => this.#settle(pending, result, undefined, false),
      (error) => this.#settle(pending, undefined, error, true),
    );
    return pending.promise;
  }

  // Settles `pending` (if it is still the pending step), then lets the next
  // waiting next() run.
  #settle(
    pending: Deferred<IteratorResult<T, undefined>> | undefined,
    result: IteratorResult<T, undefined> | undefined,
    error: unknown,
    failed: boolean,
  ): void {
    if (this.#pending !== pending) return;
    if (pending) {
      this.#pending = undefined;
      if (failed) pending.reject(error);
      else pending.resolve(fresh(result!));
    }
    const waiting = this.#waiting;
    if (!waiting) return;
    const waiter = waiting[this.#served++];
    if (this.#served === waiting.length) this.#waiting = undefined;
    waiter.resolve(this.next());
  }

  // Settles the pending step and every queued one the same way.
  #settleAll(
    result: IteratorResult<T, undefined> | undefined,
    error: unknown,
    failed: boolean,
  ): void {
    const pending = this.#pending;
    const waiting = this.#waiting ?? [];
    this.#pending = this.#waiting = undefined;
    const settle = (d: Deferred<IteratorResult<T, undefined>>) =>
      failed ? d.reject(error) : d.resolve(fresh(result!));
    if (pending) settle(pending);
    for (let i = this.#served; i < waiting.length; i++) settle(waiting[i]);
  }

  // Marks the operator closed; false if it already was.
  #shut(): boolean {
    if (this.#state === CLOSED) return false;
    this.#state = CLOSED;
    if (this.#subscription) offAbort(this.#subscription);
    this.#subscription = undefined;
    return true;
  }

  // Closing an operator that was never pulled still stops it, so that it
  // closes what it reads from (a tee branch that leaves unread releases its
  // share); a user's source that was never opened has nothing to return.
  #close(reason: unknown): Promise<void> {
    if (!this.#shut()) return this.#closing;
    let closing: Promise<void>;
    try {
      const stopped = this.stop(reason);
      closing = stopped ? stopped.then(noop) : RESOLVED;
    } catch (error) {
      closing = Promise.reject(error);
    }
    closing.catch(noop);
    return this.#closing = closing;
  }

  readonly #onAbort = (): void => {
    this.#subscription = undefined;
    const reason = this.#signal!.reason;
    const rejectAll = () => this.#settleAll(undefined, reason, true);
    this.#close(reason).then(rejectAll, rejectAll);
  };
}
