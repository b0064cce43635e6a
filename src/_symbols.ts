// The well-known disposal symbols. Some runtimes lack them (WebKit, Node
// before 20); transpilers that lower `using` (TypeScript, esbuild) fall back
// to the same `Symbol.for` keys, so a method keyed by these works with
// `using` everywhere.

/** `Symbol.dispose`, or its registry stand-in where the runtime lacks it. */
export const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ??
  Symbol.for("Symbol.dispose");

/** `Symbol.asyncDispose`, or its registry stand-in where the runtime lacks it. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/**
 * Defines `method` as `proto[key]` the way a class body defines a method
 * (writable, configurable, not enumerable); returns `true`.
 *
 * Why not `[disposeSymbol]() {}` in the class body: bundlers keep every class
 * whose body has a computed key other than a literal or a well-known
 * `Symbol.x` (evaluating the key might have side effects), and with it all
 * the class references, so importing `sleep` alone would pull in most of the
 * library. Instead the class declares the member
 * (`declare [Symbol.dispose]: () => void;`, which emits nothing) and installs
 * it from its constructor, once, before the first instance exists:
 *
 * ```ts ignore
 * let installed = false;
 * class Resource {
 *   constructor() {
 *     installed ||= defineMethod(Resource.prototype, disposeSymbol, function (this: Resource) {…});
 *   }
 * }
 * ```
 *
 * Instances are exactly as before (the method lives on the prototype; no own
 * property is added), and each construction costs one branch on a flag.
 */
export function defineMethod<T>(
  proto: T,
  key: symbol,
  method: (this: T, ...args: never[]) => unknown,
): true {
  Object.defineProperty(proto, key, {
    value: method,
    writable: true,
    configurable: true,
  });
  return true;
}
