/**
 * Disposal helpers for `using` and `await using`: attach a cleanup to any
 * value (`disposable`, `asyncDisposable`), turn a function into one
 * (`defer`), and collect many
 * cleanups in a stack (`DisposableStack`, `AsyncDisposableStack`, with
 * `SuppressedError` for their chained errors).
 *
 * The stacks and `SuppressedError` are the runtime's own classes where it
 * has them, and spec-following ponyfills where it does not (Node 20);
 * globals are never modified.
 *
 * @example
 * ```ts
 * import { AsyncDisposableStack, defer } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const log: string[] = [];
 * {
 *   await using _ = defer(() => log.push("all done"));
 *   await using stack = new AsyncDisposableStack();
 *   stack.defer(() => void log.push("close ada"));
 *   stack.defer(() => void log.push("close bob"));
 * }
 * assert.deepEqual(log, ["close bob", "close ada", "all done"]);
 * ```
 *
 * @module
 */
export {
  AsyncDisposableStack,
  type AsyncDisposableStackConstructor,
} from "./async_disposable_stack.ts";
export { defer } from "./defer.ts";
export {
  asyncDisposable,
  type AsyncDisposableValue,
  disposable,
  type DisposableValue,
} from "./disposable.ts";
export {
  DisposableStack,
  type DisposableStackConstructor,
} from "./disposable_stack.ts";
export {
  SuppressedError,
  type SuppressedErrorConstructor,
} from "./suppressed_error.ts";
