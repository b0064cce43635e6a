// Reads an operator of sources one source at a time, to its end: the engine
// of flatMap and concat. Each inner source is opened only when reached.

import { CLOSE, DONE, Op, PULL, type Step } from "./_op.ts";
import { toFlattenable } from "./_source.ts";

/** Yields every item of every source that `outer` yields, in order. */
export class FlattenOp<T> extends Op<T> {
  readonly #where: string;
  readonly #outer: Op<unknown>;
  #inner: Op<T> | undefined;

  constructor(where: string, outer: Op<unknown>, signal?: AbortSignal) {
    super(signal);
    this.#where = where;
    this.#outer = outer;
  }

  protected step(): Step<T> {
    for (;;) {
      const inner = this.#inner;
      if (inner) {
        const result = inner[PULL]();
        if (result instanceof Promise) {
          return result.then(this.#onInner, this.#onError);
        }
        if (!result.done) return result;
        this.#inner = undefined;
      }
      const next = this.#outer[PULL]();
      if (next instanceof Promise) {
        return next.then(this.#onOuter, this.#onError);
      }
      if (next.done) return this.finish();
      this.#inner = toFlattenable(this.#where, next.value);
    }
  }

  protected stop(reason: unknown): Promise<unknown> {
    return Promise.all([
      this.#inner?.[CLOSE](reason),
      this.#outer[CLOSE](reason),
    ]);
  }

  readonly #onInner = (result: IteratorResult<T, undefined>): Step<T> => {
    if (this.closed) return DONE;
    if (!result.done) return result;
    this.#inner = undefined;
    return this.#resume();
  };

  readonly #onOuter = (next: IteratorResult<unknown, undefined>): Step<T> =>
    this.closed ? DONE : this.#resume(next);

  // Goes on from a continuation (with the outer result it brought, if any):
  // a bad inner source then fails the operator, as it does from a pull,
  // rather than only rejecting the consumer's step.
  #resume(next?: IteratorResult<unknown, undefined>): Step<T> {
    try {
      if (next) {
        if (next.done) return this.finish();
        this.#inner = toFlattenable(this.#where, next.value);
      }
      return this.step();
    } catch (error) {
      return this.fail(error);
    }
  }

  readonly #onError = (error: unknown): Promise<never> => this.fail(error);
}
