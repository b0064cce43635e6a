// The parts of the spec's DisposeCapability that both disposal-stack
// ponyfills share: looking up a value's dispose method, and running the
// registered cleanups last-first while chaining their errors.

import { disposeSymbol } from "../_symbols.ts";
import { describe } from "../_validate.ts";
import { SuppressedError } from "./suppressed_error.ts";

/** A registered cleanup, called with no arguments when the stack is disposed. */
export type Disposer = () => unknown;

/**
 * The cleanup for `value`: its first method among `keys` (the spec's
 * GetDisposeMethod: `[Symbol.dispose]` for a `DisposableStack`;
 * `[Symbol.asyncDispose]`, else `[Symbol.dispose]`, for an
 * `AsyncDisposableStack`), looked up now, not at disposal. A
 * `[Symbol.dispose]` result is not awaited (the spec's sync fallback).
 * `null` and `undefined` need none.
 */
export function disposerOf(
  where: string,
  value: unknown,
  keys: readonly symbol[],
): Disposer | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "object" || typeof value === "function") {
    for (const key of keys) {
      // The spec's GetMethod: a missing (null/undefined) method is fine, any
      // other non-callable is an error.
      const method = (value as Record<symbol, unknown>)[key];
      if (method === null || method === undefined) continue;
      if (typeof method !== "function") {
        throw new TypeError(
          `${where}: value's ${label(key)} must be a function, got ${
            describe(method)
          }`,
        );
      }
      return key === disposeSymbol
        ? () => void method.call(value)
        : () => method.call(value);
    }
  }
  throw new TypeError(
    `${where}: value must be null, undefined or an object with a ${
      keys.map((key) => `${label(key)}()`).join(" or ")
    } method, got ${describe(value)}`,
  );
}

// Not `key.description`: Node 20's own Symbol.dispose is "nodejs.dispose".
function label(key: symbol): string {
  return key === disposeSymbol ? "[Symbol.dispose]" : "[Symbol.asyncDispose]";
}

/** Runs what `take()` hands over last-first; throws what they threw, chained. */
export function disposeAll(take: () => readonly Disposer[]): void {
  const disposers = take();
  let error: unknown = none;
  for (let i = disposers.length; i--;) {
    try {
      disposers[i]();
    } catch (thrown) {
      error = chain(error, thrown);
    }
  }
  if (error !== none) throw error;
}

/**
 * Awaits what `take()` hands over one at a time, last-first; rejects with
 * what they threw, chained. `take` runs inside, so its throw (a bad receiver)
 * rejects too, as in the spec.
 */
export async function disposeAllAsync(
  take: () => readonly Disposer[],
): Promise<void> {
  const disposers = take();
  let error: unknown = none;
  for (let i = disposers.length; i--;) {
    try {
      await disposers[i]();
    } catch (thrown) {
      error = chain(error, thrown);
    }
  }
  if (error !== none) throw error;
}

// "No error yet", told apart from any thrown value: `throw undefined` is
// still a failure.
const none = {};

// The spec's DisposeResources error rule: each new error wraps the one so far
// as its `suppressed`.
function chain(error: unknown, thrown: unknown): unknown {
  return error === none ? thrown : new SuppressedError(
    thrown,
    error,
    "An error was suppressed during disposal",
  );
}
