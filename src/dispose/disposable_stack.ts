import { DisposableStackPonyfill } from "./_disposable_stack_ponyfill.ts";

/**
 * A container of cleanups that runs them all, last-added first, when it is
 * disposed. Errors do not stop the rest: they are chained into nested
 * {@linkcode SuppressedError}s, the later error wrapping the earlier one as
 * its `suppressed`.
 */
export interface DisposableStack {
  /** Whether the stack has been disposed (or moved from). */
  readonly disposed: boolean;
  /**
   * Runs every cleanup, last-added first, and marks the stack disposed; does
   * nothing the second time.
   *
   * @throws {unknown} what a cleanup threw; several errors arrive chained in
   * {@linkcode SuppressedError}s.
   */
  dispose(): void;
  /**
   * Registers `value[Symbol.dispose]` (looked up now) and returns `value`.
   * `null` and `undefined` are accepted and ignored.
   *
   * @throws {TypeError} `value` has no `[Symbol.dispose]()` method.
   * @throws {ReferenceError} the stack is disposed.
   */
  use<T extends Disposable | null | undefined>(value: T): T;
  /**
   * Registers `onDispose(value)` and returns `value`: for values that are not
   * disposable themselves.
   *
   * @throws {TypeError} `onDispose` is not a function.
   * @throws {ReferenceError} the stack is disposed.
   */
  adopt<T>(value: T, onDispose: (value: T) => void): T;
  /**
   * Registers `onDispose()`.
   *
   * @throws {TypeError} `onDispose` is not a function.
   * @throws {ReferenceError} the stack is disposed.
   */
  defer(onDispose: () => void): void;
  /**
   * Moves every cleanup to a new stack and marks this one disposed without
   * running anything: hand resources on once setup has succeeded.
   *
   * @throws {ReferenceError} the stack is disposed.
   */
  move(): DisposableStack;
  /** The same as {@linkcode DisposableStack.dispose}. */
  [Symbol.dispose](): void;
  /** `"DisposableStack"`. */
  readonly [Symbol.toStringTag]: string;
}

/** The type of the {@linkcode DisposableStack} constructor. */
export interface DisposableStackConstructor {
  /** Creates an empty stack. */
  new (): DisposableStack;
  /** The prototype shared by every stack. */
  readonly prototype: DisposableStack;
}

/**
 * The runtime's own `DisposableStack` where it has one, otherwise a ponyfill
 * that follows the TC39 explicit-resource-management spec (Node 20 lacks it).
 * Globals are never touched.
 *
 * @example Setup that undoes itself if a later step fails
 * ```ts
 * import { DisposableStack } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const log: string[] = [];
 * function openBoth(): DisposableStack {
 *   using stack = new DisposableStack();
 *   stack.defer(() => log.push("close a"));
 *   stack.adopt("b", (name) => log.push(`close ${name}`));
 *   return stack.move(); // success: the caller owns the cleanups now
 * }
 *
 * const both = openBoth();
 * assert.deepEqual(log, []);
 * both.dispose();
 * assert.deepEqual(log, ["close b", "close a"]);
 * ```
 */
export const DisposableStack: DisposableStackConstructor =
  // A pure call, so that a bundle that does not use it drops it (and the
  // ponyfill).
  /* @__PURE__ */ (() =>
    (globalThis as { DisposableStack?: DisposableStackConstructor })
      .DisposableStack ??
      DisposableStackPonyfill)();
