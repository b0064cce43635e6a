// SuppressedError for runtimes that lack it (Node 20), following the TC39
// explicit-resource-management spec. Named like the native class so stack
// traces and `constructor.name` read the same on every runtime.

import type { SuppressedError as SuppressedErrorType } from "./suppressed_error.ts";

class SuppressedError extends Error implements SuppressedErrorType {
  declare error: unknown;
  declare suppressed: unknown;

  constructor(error: unknown, suppressed: unknown, message?: string) {
    // Error sets an own `message` only when one is given, as the spec does.
    super(message);
    hide(this, "error", error);
    hide(this, "suppressed", suppressed);
  }
}

// The spec's CreateNonEnumerableDataPropertyOrThrow (defineProperty's
// `enumerable` defaults to false).
function hide(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
  });
}

// The spec puts `name` on the prototype as a data property, like
// Error.prototype.name, so instances carry only message/error/suppressed.
// Done here rather than in a static block: a bundler keeps a class with a
// static block even when it is unused.
const SuppressedErrorPonyfill: typeof SuppressedError = /* @__PURE__ */ (() => {
  hide(SuppressedError.prototype, "name", "SuppressedError");
  return SuppressedError;
})();

export { SuppressedErrorPonyfill };
