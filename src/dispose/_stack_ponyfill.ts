// DisposableStack and AsyncDisposableStack for runtimes that lack them
// (Node 20, WebKit), following the TC39 explicit-resource-management spec.
// The two differ only in names, in the dispose methods a value may have, and
// in whether disposal awaits, so one class body builds both: each call makes
// a class of its own, with its own prototype, methods and private brand, like
// the spec's two.

import { defineMethod } from "../_symbols.ts";
import { checkFunction } from "../_validate.ts";
import { type Disposer, disposerOf } from "./_resources.ts";

/**
 * A stack class named `tag` whose `method` (also keyed by `keys[0]`) hands
 * the cleanups to `run`; `use` looks a value's cleanup up among `keys`, and
 * `adopt`/`defer` name their callback `param` in errors. The caller states
 * the class's type: the public interfaces describe it better than the
 * generic body can.
 */
export function stackClass(
  tag: string,
  method: string,
  param: string,
  keys: readonly symbol[],
  run: (take: () => readonly Disposer[]) => unknown,
): unknown {
  class Stack {
    // undefined once disposed (or moved from): a disposed stack holds on to
    // nothing.
    #disposers: Disposer[] | undefined = [];

    get disposed(): boolean {
      return !this.#disposers;
    }

    [method](): unknown {
      return run(() => this.#take());
    }

    use(value: unknown): unknown {
      const disposer = disposerOf(this.#open("use"), value, keys);
      if (disposer) this.#disposers!.push(disposer);
      return value;
    }

    adopt(value: unknown, onDispose: (value: unknown) => unknown): unknown {
      checkFunction(this.#open("adopt"), param, onDispose);
      this.#disposers!.push(() => onDispose(value));
      return value;
    }

    defer(onDispose: () => unknown): void {
      checkFunction(this.#open("defer"), param, onDispose);
      this.#disposers!.push(() => onDispose());
    }

    move(): Stack {
      this.#open("move");
      // The spec builds a plain stack here, never a subclass.
      const moved = new Stack();
      moved.#disposers = this.#take();
      return moved;
    }

    // The spec's ReferenceError for touching a stack that has been disposed
    // (checked before any argument); returns the name errors start with.
    #open(name: string): string {
      const where = `${tag}.${name}`;
      if (!this.#disposers) {
        throw new ReferenceError(`${where}: the stack is already disposed`);
      }
      return where;
    }

    // Marks the stack disposed and hands over its cleanups (none the second
    // time).
    #take(): Disposer[] {
      const disposers = this.#disposers ?? [];
      this.#disposers = undefined;
      return disposers;
    }
  }
  // What the spec gives the native prototype: `keys[0]` is the very same
  // function as `method`, and the tag and the class's name are read-only.
  const proto = Stack.prototype as unknown as Record<string, () => unknown>;
  defineMethod(proto, keys[0], proto[method]);
  Object.defineProperty(proto, Symbol.toStringTag, {
    value: tag,
    configurable: true,
  });
  Object.defineProperty(Stack, "name", { value: tag, configurable: true });
  return Stack;
}
