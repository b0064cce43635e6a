// Adapters that bring any AsyncIterable or Iterable into the PULL/CLOSE
// protocol. They open the source (call its iterator method) at the first
// pull, remember whether it finished, and on an early exit call its
// `return()` once — without awaiting it while a `next()` is in flight,
// because a stuck source would then hang the consumer's exit.

import { describe } from "../_validate.ts";
import { noop } from "../_noop.ts";
import { isPromiseLike, Op, type Step } from "./_op.ts";

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
      return new Source(() => s[Symbol.asyncIterator]!(), true);
    }
    if (typeof s[Symbol.iterator] === "function") {
      return new Source(() => s[Symbol.iterator]!(), false);
    }
  }
  throw new TypeError(
    `${where}: ${name} must be an AsyncIterable or Iterable, got ${
      describe(source)
    }`,
  );
}

/** {@linkcode toOp} for each of the rest parameters `sources` of `where`. */
export function toOps<T>(where: string, sources: unknown[]): Op<T>[] {
  return sources.map((source, i) => toOp<T>(where, `sources[${i}]`, source));
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
      return new Source(() => value as AsyncIterator<T>, true);
    }
    return toOp(where, "inner source", value);
  }
  throw new TypeError(
    `${where}: inner source must be an object (AsyncIterable, Iterable or iterator), got ${
      describe(value)
    }`,
  );
}

// TC39's iterator protocol, as the iterator helpers and for-of use it: the
// `next` method is read once, when the source is opened; each result's
// `done` and `value` are read once, into a fresh result object of ours (a
// source may reuse one object). A source that breaks the protocol (next()
// throws or rejects, answers a non-object, or a getter throws) is done and
// is not returned, as for-of does not close it. One class serves both kinds:
// they differ only in whether a result is awaited before it is read, whether
// a value is awaited after (`for await` awaits a sync iterable's values), and
// how `return()` is called.
class Source<T> extends Op<T> {
  #open: () => Iterator<T | PromiseLike<T>> | AsyncIterator<T>;
  #async: boolean;
  #iterator: Iterator<T | PromiseLike<T>> | AsyncIterator<T> | undefined;
  #next: (() => unknown) | undefined;
  #inFlight = false;
  #finished = false;

  constructor(
    open: () => Iterator<T | PromiseLike<T>> | AsyncIterator<T>,
    async: boolean,
  ) {
    super();
    this.#open = open;
    this.#async = async;
  }

  protected override start(): void {
    const iterator = this.#open();
    if (typeof iterator !== "object" || iterator === null) {
      throw new TypeError(
        `[Symbol.${
          this.#async ? "asyncIterator" : "iterator"
        }]() must return an object`,
      );
    }
    this.#next = iterator.next;
    this.#iterator = iterator;
  }

  protected step(): Step<T> {
    let result: unknown;
    try {
      result = this.#next!.call(this.#iterator);
    } catch (error) {
      return this.#onError(error);
    }
    if (!this.#async) return this.#onResult(result);
    this.#inFlight = true;
    return Promise.resolve(result).then(
      (result) => this.#onResult(result),
      (error) => this.#onError(error),
    );
  }

  #onResult(result: unknown): Step<T> {
    this.#inFlight = false;
    let value: T | PromiseLike<T>;
    try {
      if (typeof result !== "object" || result === null) {
        throw new TypeError(
          `iterator result must be an object, got ${describe(result)}`,
        );
      }
      if ((result as IteratorResult<T>).done) {
        this.#finished = true;
        return this.finish();
      }
      value = (result as IteratorResult<T>).value;
    } catch (error) {
      return this.#onError(error);
    }
    if (this.#async || !isPromiseLike(value)) {
      return { done: false, value: value as T };
    }
    return Promise.resolve(value).then(
      (value) => ({ done: false, value }),
      (error) => this.fail(error),
    );
  }

  #onError(error: unknown): never {
    this.#inFlight = false;
    this.#finished = true;
    this.finish();
    throw error;
  }

  // A sync source is returned at once. An async one is returned from a
  // microtask, and its answer is waited for only when no next() is in flight:
  // a stuck source must not hang the exit.
  protected stop(): Promise<void> | void {
    const iterator = this.#iterator;
    if (this.#finished || !iterator) return;
    this.#finished = true;
    if (!this.#async) return void iterator.return?.();
    if (typeof iterator.return !== "function") return;
    const returned = Promise.resolve().then(() => iterator.return!());
    if (!this.#inFlight) return returned.then(noop);
    returned.catch(noop);
  }
}
