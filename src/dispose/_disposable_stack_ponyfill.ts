// DisposableStack for runtimes that lack it (Node 20), following the TC39
// explicit-resource-management spec. Named like the native class so
// `constructor.name` reads the same on every runtime.

import { disposeSymbol } from "../_symbols.ts";
import { checkFunction } from "../_validate.ts";
import {
  checkNotDisposed,
  disposeAll,
  type Disposer,
  specPrototype,
  syncDisposerOf,
} from "./_resources.ts";
import type { DisposableStack as DisposableStackType } from "./disposable_stack.ts";

class DisposableStack implements DisposableStackType {
  #disposed = false;
  #disposers: Disposer[] = [];

  declare readonly [Symbol.toStringTag]: string;
  declare [disposeSymbol]: () => void;

  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const disposers = this.#disposers;
    // Drop the references now: a disposed stack holds on to nothing.
    this.#disposers = [];
    disposeAll(disposers);
  }

  use<T extends Disposable | null | undefined>(value: T): T {
    checkNotDisposed("DisposableStack.use", this.#disposed);
    const disposer = syncDisposerOf("DisposableStack.use", value);
    if (disposer) this.#disposers.push(disposer);
    return value;
  }

  adopt<T>(value: T, onDispose: (value: T) => void): T {
    checkNotDisposed("DisposableStack.adopt", this.#disposed);
    checkFunction("DisposableStack.adopt", "onDispose", onDispose);
    this.#disposers.push(() => onDispose(value));
    return value;
  }

  defer(onDispose: () => void): void {
    checkNotDisposed("DisposableStack.defer", this.#disposed);
    checkFunction("DisposableStack.defer", "onDispose", onDispose);
    this.#disposers.push(() => onDispose());
  }

  move(): DisposableStack {
    checkNotDisposed("DisposableStack.move", this.#disposed);
    // The spec builds a plain DisposableStack here, never a subclass.
    const moved = new DisposableStack();
    moved.#disposers = this.#disposers;
    this.#disposers = [];
    this.#disposed = true;
    return moved;
  }
}

// The spec's prototype set-up, done here rather than in a static block: a
// bundler keeps a class with a static block even when it is unused.
const DisposableStackPonyfill: typeof DisposableStack = /* @__PURE__ */ (() => {
  specPrototype(
    DisposableStack.prototype,
    disposeSymbol,
    "dispose",
    "DisposableStack",
  );
  return DisposableStack;
})();

export { DisposableStackPonyfill };
