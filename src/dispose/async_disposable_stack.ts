import { AsyncDisposableStackPonyfill } from "./_async_disposable_stack_ponyfill.ts";

/**
 * A container of async cleanups that awaits them one at a time, last-added
 * first, when it is disposed. Errors do not stop the rest: they are chained
 * into nested {@linkcode SuppressedError}s, the later error wrapping the
 * earlier one as its `suppressed`.
 */
export interface AsyncDisposableStack {
  /** Whether the stack has been disposed (or moved from). */
  readonly disposed: boolean;
  /**
   * Awaits every cleanup, last-added first, and marks the stack disposed;
   * resolves at once the second time. Rejects with what a cleanup threw;
   * several errors arrive chained in {@linkcode SuppressedError}s.
   */
  disposeAsync(): Promise<void>;
  /**
   * Registers `value[Symbol.asyncDispose]` — or, failing that,
   * `value[Symbol.dispose]` — looked up now, and returns `value`. `null` and
   * `undefined` are accepted and ignored.
   *
   * @throws {TypeError} `value` has neither method.
   * @throws {ReferenceError} the stack is disposed.
   */
  use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T;
  /**
   * Registers `onDisposeAsync(value)` and returns `value`: for values that
   * are not disposable themselves.
   *
   * @throws {TypeError} `onDisposeAsync` is not a function.
   * @throws {ReferenceError} the stack is disposed.
   */
  adopt<T>(
    value: T,
    onDisposeAsync: (value: T) => PromiseLike<void> | void,
  ): T;
  /**
   * Registers `onDisposeAsync()`.
   *
   * @throws {TypeError} `onDisposeAsync` is not a function.
   * @throws {ReferenceError} the stack is disposed.
   */
  defer(onDisposeAsync: () => PromiseLike<void> | void): void;
  /**
   * Moves every cleanup to a new stack and marks this one disposed without
   * running anything: hand resources on once setup has succeeded.
   *
   * @throws {ReferenceError} the stack is disposed.
   */
  move(): AsyncDisposableStack;
  /** The same as {@linkcode AsyncDisposableStack.disposeAsync}. */
  [Symbol.asyncDispose](): Promise<void>;
  /** `"AsyncDisposableStack"`. */
  readonly [Symbol.toStringTag]: string;
}

/** The type of the {@linkcode AsyncDisposableStack} constructor. */
export interface AsyncDisposableStackConstructor {
  /** Creates an empty stack. */
  new (): AsyncDisposableStack;
  /** The prototype shared by every stack. */
  readonly prototype: AsyncDisposableStack;
}

/**
 * The runtime's own `AsyncDisposableStack` where it has one, otherwise a
 * ponyfill that follows the TC39 explicit-resource-management spec (Node 20
 * lacks it). Globals are never touched.
 *
 * @example Cleanups of several kinds, awaited last-first
 * ```ts
 * import { AsyncDisposableStack } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const log: string[] = [];
 * {
 *   await using stack = new AsyncDisposableStack();
 *   stack.use({ [Symbol.dispose]: () => log.push("sync resource") });
 *   stack.defer(async () => {
 *     await Promise.resolve();
 *     log.push("async cleanup");
 *   });
 * }
 * assert.deepEqual(log, ["async cleanup", "sync resource"]);
 * ```
 */
export const AsyncDisposableStack: AsyncDisposableStackConstructor =
  // A pure call, so that a bundle that does not use it drops it (and the
  // ponyfill).
  /* @__PURE__ */ (() =>
    (globalThis as { AsyncDisposableStack?: AsyncDisposableStackConstructor })
      .AsyncDisposableStack ??
      AsyncDisposableStackPonyfill)();
