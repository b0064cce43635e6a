// Adapters that bring any AsyncIterable or Iterable into the PULL/CLOSE
// protocol. They open the source (call its iterator method) at the first
// pull, remember whether it finished, and on an early exit call its
// `return()` once — without awaiting it while a `next()` is in flight,
// because a stuck source would then hang the consumer's exit.

import { describe } from "../_validate.ts";
import { isPromiseLike, noop, Op, type Step } from "./_op.ts";

/** Anything an operator reads from. */
export type AnySource<T> = AsyncIterable<T> | Iterable<T | PromiseLike<T>>;

/**
 * Checks `source` at the call site and wraps it as an operator; operators of
 * this library are used as they are.
 */
export function toOp<T>(where: string, name: string, source: unknown): Op<T> {
  if (source instanceof Op) return source as Op<T>;
  if (source !== null && source !== undefined) {
    const s = source as Partial<AsyncIterable<T> & Iterable<T>>;
    if (typeof s[Symbol.asyncIterator] === "function") {
      return new AsyncSource(source as AsyncIterable<T>);
    }
    if (typeof s[Symbol.iterator] === "function") {
      return new SyncSource(source as Iterable<T>);
    }
  }
  throw new TypeError(
    `${where}: ${name} must be an AsyncIterable or Iterable, got ${
      describe(source)
    }`,
  );
}

// Calls `iterator.return()` if it has one; reports only a failure.
function returnIterator(
  iterator: { return?: () => unknown },
  await_: boolean,
): Promise<void> | void {
  if (typeof iterator.return !== "function") return;
  const returned = Promise.resolve().then(() => iterator.return!());
  if (!await_) {
    returned.then(noop, noop);
    return;
  }
  return returned.then(noop);
}

class AsyncSource<T> extends Op<T> {
  #iterable: AsyncIterable<T>;
  #iterator: AsyncIterator<T> | undefined;
  #inFlight = false;
  #finished = false;

  constructor(iterable: AsyncIterable<T>) {
    super();
    this.#iterable = iterable;
  }

  protected override start(): void {
    const iterator = this.#iterable[Symbol.asyncIterator]();
    if (typeof iterator !== "object" || iterator === null) {
      throw new TypeError("[Symbol.asyncIterator]() must return an object");
    }
    this.#iterator = iterator;
  }

  protected step(): Step<T> {
    let next: Promise<IteratorResult<T>>;
    try {
      next = Promise.resolve(this.#iterator!.next());
    } catch (error) {
      return this.#onError(error);
    }
    this.#inFlight = true;
    return next.then(
      this.#onResult,
      this.#onError,
    ) as Step<T>;
  }

  readonly #onResult = (result: IteratorResult<T>): Step<T> => {
    this.#inFlight = false;
    if (typeof result !== "object" || result === null) {
      this.#finished = true;
      return this.fail(
        new TypeError(
          `iterator result must be an object, got ${describe(result)}`,
        ),
      );
    }
    if (result.done) {
      this.#finished = true;
      return this.finish();
    }
    return result as IteratorYieldResult<T>;
  };

  readonly #onError = (error: unknown): never => {
    this.#inFlight = false;
    this.#finished = true;
    this.finish();
    throw error;
  };

  protected stop(): Promise<void> | void {
    if (this.#finished || !this.#iterator) return;
    this.#finished = true;
    return returnIterator(this.#iterator, !this.#inFlight);
  }
}

class SyncSource<T> extends Op<T> {
  #iterable: Iterable<T | PromiseLike<T>>;
  #iterator: Iterator<T | PromiseLike<T>> | undefined;
  #finished = false;

  constructor(iterable: Iterable<T | PromiseLike<T>>) {
    super();
    this.#iterable = iterable;
  }

  protected override start(): void {
    this.#iterator = this.#iterable[Symbol.iterator]();
  }

  protected step(): Step<T> {
    let result: IteratorResult<T | PromiseLike<T>>;
    try {
      result = this.#iterator!.next();
    } catch (error) {
      this.#finished = true;
      this.finish();
      throw error;
    }
    if (result.done) {
      this.#finished = true;
      return this.finish();
    }
    const value = result.value;
    // `for await` awaits the values of a sync iterable; so do we.
    if (!isPromiseLike(value)) return result as IteratorYieldResult<T>;
    return Promise.resolve(value).then(
      (value) => ({ done: false, value }),
      (error) => this.fail(error),
    );
  }

  protected stop(): void {
    if (this.#finished || !this.#iterator) return;
    this.#finished = true;
    this.#iterator.return?.();
  }
}
