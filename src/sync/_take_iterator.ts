// A hand-written async iterator over a `take({ signal })` function (Queue#get,
// Channel#receive): no generator layer per item. `return()` settles a pending
// `next()` itself by aborting the take, so an early exit neither waits for an
// item nor lets one be taken and then dropped.

import type { SignalOptions } from "../cancel/sleep.ts";

/** The reason a pending take is aborted with when the consumer stops. */
const STOP: unique symbol = Symbol("stop");

const DONE: IteratorReturnResult<undefined> = /* @__PURE__ */ Object.freeze({
  done: true,
  value: undefined,
});

/** Iterates `take` until it rejects with an `End` error: "finished". */
export class TakeIterator<T> implements AsyncIterableIterator<T> {
  readonly #take: (options: SignalOptions) => Promise<T>;
  readonly #End: abstract new (...args: never[]) => Error;
  #controller: AbortController | undefined;
  #done = false;

  constructor(
    take: (options: SignalOptions) => Promise<T>,
    End: abstract new (...args: never[]) => Error,
  ) {
    this.#take = take;
    this.#End = End;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#done) return Promise.resolve(DONE);
    this.#controller ??= new AbortController();
    return this.#take({ signal: this.#controller.signal }).then(
      (value) => ({ done: false, value }),
      (error) => {
        if (error === STOP || error instanceof this.#End) {
          this.#done = true;
          return DONE;
        }
        throw error;
      },
    );
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.#done = true;
    this.#controller?.abort(STOP);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
