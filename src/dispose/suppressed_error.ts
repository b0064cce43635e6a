import { SuppressedErrorPonyfill } from "./_suppressed_error_ponyfill.ts";

/**
 * An error that hides another: {@linkcode SuppressedError.error} was thrown
 * while {@linkcode SuppressedError.suppressed} was already on its way out.
 * Disposal stacks chain them: the error of a later disposer wraps the error
 * that came before it.
 */
export interface SuppressedError extends Error {
  /** The error thrown last. */
  error: unknown;
  /** The earlier error it suppressed (itself a `SuppressedError` in a longer chain). */
  suppressed: unknown;
}

/** The type of the {@linkcode SuppressedError} constructor. */
export interface SuppressedErrorConstructor {
  /** Creates a `SuppressedError`; `message` becomes an own property only when given. */
  new (error: unknown, suppressed: unknown, message?: string): SuppressedError;
  /** The prototype: `name` is `"SuppressedError"`, and it inherits from `Error.prototype`. */
  readonly prototype: SuppressedError;
}

/**
 * The runtime's own `SuppressedError` where it has one, otherwise a ponyfill
 * that follows the TC39 explicit-resource-management spec (Node 20 lacks it).
 * Globals are never touched. The ponyfill must be called with `new`.
 *
 * @example
 * ```ts
 * import { SuppressedError } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const first = new Error("first");
 * const second = new Error("second");
 * const error = new SuppressedError(second, first, "cleanup failed twice");
 * assert.instanceOf(error, Error);
 * assert.equal(error.name, "SuppressedError");
 * assert.strictEqual(error.error, second);
 * assert.strictEqual(error.suppressed, first);
 * ```
 */
export const SuppressedError: SuppressedErrorConstructor =
  // A pure call, so that a bundle that does not use it drops it (and the
  // ponyfill).
  /* @__PURE__ */ (() =>
    (globalThis as { SuppressedError?: SuppressedErrorConstructor })
      .SuppressedError ??
      SuppressedErrorPonyfill)();
