// The well-known disposal symbols. Node 20 lacks them; transpilers that lower
// `using` (TypeScript, esbuild) fall back to the same `Symbol.for` keys, so a
// method keyed by these works with `using` everywhere.

/** `Symbol.dispose`, or its registry stand-in where the runtime lacks it. */
export const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ??
  Symbol.for("Symbol.dispose");

/** `Symbol.asyncDispose`, or its registry stand-in where the runtime lacks it. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");
