// The disposal symbols as code compiled for a runtime without them sees
// them: TypeScript and esbuild lower `using` to `Symbol.for("Symbol.x")`
// where `Symbol.x` is missing (WebKit today), and the library keys its
// methods the same way. Tests call disposal methods through these, never
// through `Symbol.dispose` directly, so they run there too.

/** `Symbol.dispose`, or the registry key that stands in for it. */
export const dispose: typeof Symbol.dispose = Symbol.dispose ??
  Symbol.for("Symbol.dispose");

/** `Symbol.asyncDispose`, or the registry key that stands in for it. */
export const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ??
  Symbol.for("Symbol.asyncDispose");
