import { asyncDisposeSymbol, disposeSymbol } from "../_symbols.ts";
import { checkFunction } from "../_validate.ts";
import { once, onceAsync } from "./_once.ts";

/** A value paired with its cleanup, made by {@linkcode disposable}. */
export interface DisposableValue<T> extends Disposable {
  /** The wrapped value. */
  readonly value: T;
  /** Runs the cleanup with the value; later calls do nothing. */
  [Symbol.dispose](): void;
}

/** A value paired with its async cleanup, made by {@linkcode asyncDisposable}. */
export interface AsyncDisposableValue<T> extends AsyncDisposable {
  /** The wrapped value. */
  readonly value: T;
  /**
   * Runs the cleanup with the value. Later calls do not run it again: they
   * wait for the first to finish and resolve, so a failure is reported once,
   * to the first caller.
   */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Attaches an async cleanup to any value, so `await using` can manage things
 * that were not written to be disposable. Disposing calls `dispose(value)`,
 * and only the first time: later disposals wait for that one and resolve
 * without repeating its error.
 *
 * @example Closing a handle that only has a `close()` method
 * ```ts
 * import { asyncDisposable } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const file = { open: true, close: async () => void (file.open = false) };
 * {
 *   await using handle = asyncDisposable(file, (f) => f.close());
 *   assert.isTrue(handle.value.open);
 * }
 * assert.isFalse(file.open);
 * ```
 *
 * @throws {TypeError} `dispose` is not a function.
 */
export function asyncDisposable<T>(
  value: T,
  dispose: (value: T) => unknown,
): AsyncDisposableValue<T> {
  checkFunction("asyncDisposable", "dispose", dispose);
  return { value, [asyncDisposeSymbol]: onceAsync(() => dispose(value)) };
}

/**
 * Attaches a cleanup to any value, so `using` can manage things that were not
 * written to be disposable. Disposing calls `dispose(value)`, and only the
 * first time.
 *
 * @example Restoring a setting on the way out
 * ```ts
 * import { disposable } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const settings = { verbose: false };
 * {
 *   using previous = disposable(settings.verbose, (old) => {
 *     settings.verbose = old;
 *   });
 *   settings.verbose = true;
 *   assert.isFalse(previous.value);
 * }
 * assert.isFalse(settings.verbose);
 * ```
 *
 * @throws {TypeError} `dispose` is not a function.
 */
export function disposable<T>(
  value: T,
  dispose: (value: T) => void,
): DisposableValue<T> {
  checkFunction("disposable", "dispose", dispose);
  return { value, [disposeSymbol]: once(() => dispose(value)) };
}
