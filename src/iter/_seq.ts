// The sequential engine behind map, filter, takeWhile, dropWhile, scan (and
// drop): one item and at most one callback at a time. Items that need no
// waiting are handled in a loop, not by recursion, so a long run of dropped
// items cannot overflow the stack.

import { Context, Scope } from "./_context.ts";
import { noop } from "../_noop.ts";
import { CLOSE, DONE, isPromiseLike, Op, PULL, type Step } from "./_op.ts";

/** What `item` answers for an item it drops: pull the next one. */
export const AGAIN: unique symbol = Symbol("again");
/** An operator's callback: `(item, { index, signal })`. */
// deno-lint-ignore no-explicit-any
export type Callback<T> = (item: T, context: Context) => any;

/** A step, or {@linkcode AGAIN}. */
export type Outcome<U> = Step<U> | typeof AGAIN;

/** A sequential operator over one source, with an optional callback. */
export abstract class SeqOp<T, U> extends Op<U> {
  protected readonly source: Op<T>;
  protected readonly scope: Scope;
  protected readonly fn: Callback<T>;
  #index = 0;
  #running: Promise<unknown> | undefined;

  constructor(
    source: Op<T>,
    signal: AbortSignal | undefined,
    fn: Callback<T> = noop,
  ) {
    super(signal);
    this.source = source;
    // The operator's own exit (its signal included) aborts the scope.
    this.scope = new Scope(signal);
    this.fn = fn;
  }

  /**
   * Handles one item: a result, {@linkcode AGAIN}, or (by default) the
   * outcome of the callback.
   */
  protected item(result: IteratorYieldResult<T>): Outcome<U> {
    return this.apply(result.value);
  }

  /** Turns the callback's output for `value` into an outcome. */
  protected result(_value: T, _out: unknown): Outcome<U> {
    return AGAIN;
  }

  /**
   * Runs the callback on `value` and continues with {@linkcode result}, at
   * once when it returns a plain value, else when its promise settles.
   */
  protected apply(value: T): Outcome<U> {
    const context = new Context(this.#index++, this.scope);
    let out: unknown;
    try {
      const fn = this.fn; // called with `this` undefined, as TC39's helpers do
      out = fn(value, context);
    } catch (error) {
      return this.fail(error);
    }
    // What follows hands the result over (or uses it up): the callback's
    // signal stays live from here on. A failure aborts it with the rest.
    if (!isPromiseLike(out)) {
      Context.handOver(context);
      return this.result(value, out);
    }
    const running = Promise.resolve(out);
    this.#running = running;
    return running.then((out) => {
      if (this.closed) return this.closedStep();
      Context.handOver(context);
      const outcome = this.result(value, out);
      return outcome === AGAIN ? this.step() : outcome;
    }, (error) => this.fail(error));
  }

  protected step(): Step<U> {
    for (;;) {
      const result = this.source[PULL]();
      if (result instanceof Promise) {
        return result.then(this.#onResult, this.#onError);
      }
      const outcome = this.#handle(result);
      if (outcome !== AGAIN) return outcome;
    }
  }

  protected stop(reason: unknown): Promise<void> {
    this.scope.abort(reason);
    const closing = this.source[CLOSE](reason);
    const running = this.#running;
    if (!running) return closing;
    // Structured exit: wait for the aborted callback to settle.
    return Promise.all([closing, running.then(noop, noop)]).then(noop);
  }

  #handle(result: IteratorResult<T, undefined>): Outcome<U> {
    if (result.done) return this.finish();
    if (this.closed) return DONE;
    return this.item(result);
  }

  readonly #onResult = (result: IteratorResult<T, undefined>): Step<U> => {
    const outcome = this.#handle(result);
    return outcome === AGAIN ? this.step() : outcome;
  };

  // The source failed and closed itself; clean up the rest and rethrow.
  readonly #onError = (error: unknown): Promise<never> => this.fail(error);
}
