// AsyncDisposableStack for runtimes that lack it (Node 20), following the
// TC39 explicit-resource-management spec. Named like the native class so
// `constructor.name` reads the same on every runtime.

import { asyncDisposeSymbol } from "../_symbols.ts";
import { checkFunction } from "../_validate.ts";
import {
  asyncDisposerOf,
  checkNotDisposed,
  disposeAllAsync,
  type Disposer,
  specPrototype,
} from "./_resources.ts";
import type { AsyncDisposableStack as AsyncDisposableStackType } from "./async_disposable_stack.ts";

class AsyncDisposableStack implements AsyncDisposableStackType {
  #disposed = false;
  #disposers: Disposer[] = [];

  declare readonly [Symbol.toStringTag]: string;
  declare [asyncDisposeSymbol]: () => Promise<void>;

  get disposed(): boolean {
    return this.#disposed;
  }

  // async: a bad receiver rejects rather than throws, as in the spec.
  async disposeAsync(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const disposers = this.#disposers;
    // Drop the references now: a disposed stack holds on to nothing.
    this.#disposers = [];
    await disposeAllAsync(disposers);
  }

  use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T {
    checkNotDisposed("AsyncDisposableStack.use", this.#disposed);
    const disposer = asyncDisposerOf("AsyncDisposableStack.use", value);
    if (disposer) this.#disposers.push(disposer);
    return value;
  }

  adopt<T>(
    value: T,
    onDisposeAsync: (value: T) => PromiseLike<void> | void,
  ): T {
    const where = "AsyncDisposableStack.adopt";
    checkNotDisposed(where, this.#disposed);
    checkFunction(where, "onDisposeAsync", onDisposeAsync);
    this.#disposers.push(() => onDisposeAsync(value));
    return value;
  }

  defer(onDisposeAsync: () => PromiseLike<void> | void): void {
    const where = "AsyncDisposableStack.defer";
    checkNotDisposed(where, this.#disposed);
    checkFunction(where, "onDisposeAsync", onDisposeAsync);
    this.#disposers.push(() => onDisposeAsync());
  }

  move(): AsyncDisposableStack {
    checkNotDisposed("AsyncDisposableStack.move", this.#disposed);
    // The spec builds a plain AsyncDisposableStack here, never a subclass.
    const moved = new AsyncDisposableStack();
    moved.#disposers = this.#disposers;
    this.#disposers = [];
    this.#disposed = true;
    return moved;
  }
}

// The spec's prototype set-up, done here rather than in a static block: a
// bundler keeps a class with a static block even when it is unused.
const AsyncDisposableStackPonyfill: typeof AsyncDisposableStack =
  /* @__PURE__ */ (() => {
    specPrototype(
      AsyncDisposableStack.prototype,
      asyncDisposeSymbol,
      "disposeAsync",
      "AsyncDisposableStack",
    );
    return AsyncDisposableStack;
  })();

export { AsyncDisposableStackPonyfill };
