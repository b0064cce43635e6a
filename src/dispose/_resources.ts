// The parts of the spec's DisposeCapability that both disposal-stack
// ponyfills share: looking up a value's dispose method, and running the
// registered cleanups last-first while chaining their errors.

import { asyncDisposeSymbol, disposeSymbol } from "../_symbols.ts";
import { describe } from "../_validate.ts";
import { SuppressedError } from "./suppressed_error.ts";

/** A registered cleanup, called with no arguments when the stack is disposed. */
export type Disposer = () => unknown;

/** The spec's ReferenceError for touching a stack that has been disposed. */
export function checkNotDisposed(where: string, disposed: boolean): void {
  if (disposed) {
    throw new ReferenceError(`${where}: the stack is already disposed`);
  }
}

/**
 * The cleanup for `value` in a `DisposableStack`: its `[Symbol.dispose]`,
 * looked up now (not at disposal, as the spec requires). `null` and
 * `undefined` need none.
 */
export function syncDisposerOf(
  where: string,
  value: unknown,
): Disposer | undefined {
  if (value === null || value === undefined) return undefined;
  const what = "a [Symbol.dispose]() method";
  checkObject(where, value, what);
  const method = methodOf(where, value, disposeSymbol, "[Symbol.dispose]");
  if (!method) throw notDisposable(where, value, what);
  return () => method.call(value);
}

/**
 * The cleanup for `value` in an `AsyncDisposableStack`: its
 * `[Symbol.asyncDispose]`, or else its `[Symbol.dispose]`, whose result is
 * not awaited (the spec's sync fallback).
 */
export function asyncDisposerOf(
  where: string,
  value: unknown,
): Disposer | undefined {
  if (value === null || value === undefined) return undefined;
  const what = "a [Symbol.asyncDispose]() or [Symbol.dispose]() method";
  checkObject(where, value, what);
  const method = methodOf(
    where,
    value,
    asyncDisposeSymbol,
    "[Symbol.asyncDispose]",
  );
  if (method) return () => method.call(value);
  const sync = methodOf(where, value, disposeSymbol, "[Symbol.dispose]");
  if (!sync) throw notDisposable(where, value, what);
  return () => void sync.call(value);
}

function checkObject(where: string, value: unknown, what: string): void {
  if (typeof value !== "object" && typeof value !== "function") {
    throw notDisposable(where, value, what);
  }
}

// The spec's GetMethod: a missing (null/undefined) method is fine, any other
// non-callable is an error.
function methodOf(
  where: string,
  value: object,
  key: symbol,
  label: string,
): ((this: unknown) => unknown) | undefined {
  const method = (value as Record<symbol, unknown>)[key];
  if (method === null || method === undefined) return undefined;
  if (typeof method !== "function") {
    throw new TypeError(
      `${where}: value's ${label} must be a function, got ${describe(method)}`,
    );
  }
  return method as (this: unknown) => unknown;
}

function notDisposable(where: string, value: unknown, what: string) {
  return new TypeError(
    `${where}: value must be null, undefined or an object with ${what}, got ${
      describe(value)
    }`,
  );
}

/**
 * Gives a stack ponyfill's prototype what the spec gives the native one:
 * `key` (the dispose symbol) is the very same function as `method`, and
 * `Symbol.toStringTag` is a read-only data property.
 */
export function specPrototype(
  proto: object,
  key: symbol,
  method: string,
  tag: string,
): void {
  Object.defineProperty(proto, key, {
    value: (proto as Record<string, unknown>)[method],
    writable: true,
    configurable: true,
  });
  Object.defineProperty(proto, Symbol.toStringTag, {
    value: tag,
    configurable: true,
  });
}

/** Runs `disposers` last-first; throws what they threw, chained. */
export function disposeAll(disposers: readonly Disposer[]): void {
  const errors = new ErrorChain();
  for (let i = disposers.length - 1; i >= 0; i--) {
    try {
      disposers[i]();
    } catch (error) {
      errors.add(error);
    }
  }
  errors.throwIfAny();
}

/** Awaits `disposers` one at a time, last-first; rejects with what they threw, chained. */
export async function disposeAllAsync(
  disposers: readonly Disposer[],
): Promise<void> {
  const errors = new ErrorChain();
  for (let i = disposers.length - 1; i >= 0; i--) {
    try {
      await disposers[i]();
    } catch (error) {
      errors.add(error);
    }
  }
  errors.throwIfAny();
}

// The spec's DisposeResources error rule: each new error wraps the one so far
// as its `suppressed`. Tracks "has failed" apart from the value, since
// `throw undefined` is still a failure.
class ErrorChain {
  #failed = false;
  #error: unknown;

  add(error: unknown): void {
    this.#error = this.#failed
      ? new SuppressedError(
        error,
        this.#error,
        "An error was suppressed during disposal",
      )
      : error;
    this.#failed = true;
  }

  throwIfAny(): void {
    if (this.#failed) throw this.#error;
  }
}
