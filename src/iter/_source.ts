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
 * The items a source yields: `T` for an `AsyncIterable<T>`, the awaited
 * elements for an `Iterable`. Distributes over a union of sources, so
 * `SourceItem<number[] | string[]>` is `number | string`.
 */
export type SourceItem<S> = S extends AsyncIterable<infer T> ? T
  : S extends Iterable<infer T> ? Awaited<T>
  : never;

/**
 * Checks `source` at the call site and wraps it as an operator; operators of
 * this library are used as they are.
 */
export function toOp<T>(where: string, name: string, source: unknown): Op<T> {
  if (source instanceof Op) return source as Op<T>;
  if (source !== null && source !== undefined) {
    const s = source as Partial<AsyncIterable<T> & Iterable<T>>;
    if (typeof s[Symbol.asyncIterator] === "function") {
      return new AsyncSource(() =>
        (source as AsyncIterable<T>)[Symbol.asyncIterator]()
      );
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

/**
 * What flatMap reads from each callback result, as TC39's
 * GetIteratorFlattenable (reject-primitives) takes it: an object that is
 * async iterable, iterable, or itself an iterator (an object with `next`).
 * A string or other primitive is a TypeError rather than flattened.
 */
export function toFlattenable<T>(where: string, value: unknown): Op<T> {
  if (value instanceof Op) return value as Op<T>;
  if (
    value !== null && (typeof value === "object" || typeof value === "function")
  ) {
    const v = value as Partial<AsyncIterable<T> & Iterable<T>>;
    if (
      typeof v[Symbol.asyncIterator] !== "function" &&
      typeof v[Symbol.iterator] !== "function" &&
      typeof (value as Partial<AsyncIterator<T>>).next === "function"
    ) {
      return new AsyncSource(() => value as AsyncIterator<T>);
    }
    return toOp(where, "inner source", value);
  }
  throw new TypeError(
    `${where}: inner source must be an object (AsyncIterable, Iterable or iterator), got ${
      describe(value)
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

// TC39's iterator protocol, as the iterator helpers and for-of use it: the
// `next` method is read once, when the source is opened; each result's
// `done` and `value` are read once, into a fresh result object of ours (a
// source may reuse one object). A source that breaks the protocol (next()
// throws or rejects, answers a non-object, or a getter throws) is done and
// is not returned, as for-of does not close it.

class AsyncSource<T> extends Op<T> {
  #open: () => AsyncIterator<T>;
  #iterator: AsyncIterator<T> | undefined;
  #next: AsyncIterator<T>["next"] | undefined;
  #inFlight = false;
  #finished = false;

  constructor(open: () => AsyncIterator<T>) {
    super();
    this.#open = open;
  }

  protected override start(): void {
    const iterator = this.#open();
    if (typeof iterator !== "object" || iterator === null) {
      throw new TypeError("[Symbol.asyncIterator]() must return an object");
    }
    this.#next = iterator.next;
    this.#iterator = iterator;
  }

  protected step(): Step<T> {
    let next: Promise<IteratorResult<T>>;
    try {
      next = Promise.resolve(this.#next!.call(this.#iterator));
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
    let value: T;
    try {
      if (checkResult(result).done) {
        this.#finished = true;
        return this.finish();
      }
      value = result.value;
    } catch (error) {
      return this.#onError(error);
    }
    return { done: false, value };
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
  #next: Iterator<T | PromiseLike<T>>["next"] | undefined;
  #finished = false;

  constructor(iterable: Iterable<T | PromiseLike<T>>) {
    super();
    this.#iterable = iterable;
  }

  protected override start(): void {
    const iterator = this.#iterable[Symbol.iterator]();
    if (typeof iterator !== "object" || iterator === null) {
      throw new TypeError("[Symbol.iterator]() must return an object");
    }
    this.#next = iterator.next;
    this.#iterator = iterator;
  }

  protected step(): Step<T> {
    let value: T | PromiseLike<T>;
    try {
      const result = checkResult(this.#next!.call(this.#iterator));
      if (result.done) {
        this.#finished = true;
        return this.finish();
      }
      value = result.value;
    } catch (error) {
      this.#finished = true;
      this.finish();
      throw error;
    }
    // `for await` awaits the values of a sync iterable; so do we.
    if (!isPromiseLike(value)) return { done: false, value };
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

// A result must be an object, as for-of requires.
function checkResult<R>(result: R): R {
  if (typeof result !== "object" || result === null) {
    throw new TypeError(
      `iterator result must be an object, got ${describe(result)}`,
    );
  }
  return result;
}
