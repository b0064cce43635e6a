/**
 * Disposal helpers for `using` and `await using`: attach a cleanup to any
 * value (`disposable`, `asyncDisposable`), turn a function into one
 * (`defer`), write setup and teardown as one async generator
 * (`contextManager`, Python's `@asynccontextmanager`), and collect many
 * cleanups in a stack (`DisposableStack`, `AsyncDisposableStack`, with
 * `SuppressedError` for their chained errors).
 *
 * The stacks and `SuppressedError` are the runtime's own classes where it
 * has them, and spec-following ponyfills where it does not (Node 20);
 * globals are never modified.
 *
 * @example
 * ```ts
 * import { AsyncDisposableStack, contextManager, defer } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const log: string[] = [];
 * const session = contextManager(async function* (user: string) {
 *   log.push(`login ${user}`);
 *   try {
 *     yield user;
 *   } finally {
 *     log.push(`logout ${user}`);
 *   }
 * });
 *
 * {
 *   await using _ = defer(() => log.push("all done"));
 *   await using stack = new AsyncDisposableStack();
 *   stack.use(await session("ada"));
 *   stack.use(await session("bob"));
 * }
 * assert.deepEqual(log, [
 *   "login ada",
 *   "login bob",
 *   "logout bob",
 *   "logout ada",
 *   "all done",
 * ]);
 * ```
 *
 * @module
 */
export {
  AsyncDisposableStack,
  type AsyncDisposableStackConstructor,
} from "./async_disposable_stack.ts";
export {
  contextManager,
  type ContextManagerHandle,
} from "./context_manager.ts";
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
