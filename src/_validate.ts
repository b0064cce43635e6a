// Argument checks shared by every public function. Each throws at the call
// site, before any work starts, with a message naming the function, the
// parameter and the value received.

// The checks are written for size as much as for speed: `sleep` alone
// bundles describe(), checkDuration() and checkSignalOption().

/**
 * Renders a received value for an error message: a string quoted, another
 * primitive as `String()` writes it, an object by its kind.
 */
export function describe(value: unknown): string {
  return typeof value === "string"
    ? JSON.stringify(value)
    : typeof value === "function"
    ? "a function"
    : Array.isArray(value)
    ? "an array"
    : value && typeof value === "object"
    ? "a value of type object"
    : String(value);
}

/** A duration in milliseconds: a number ≥ 0, possibly `Infinity`. */
export function checkDuration(
  where: string,
  name: string,
  value: unknown,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${where}: ${name} must be a number of milliseconds, got ${
        describe(value)
      }`,
    );
  }
  if (!(value >= 0)) {
    throw new RangeError(
      `${where}: ${name} must be >= 0 (or Infinity), got ${describe(value)}`,
    );
  }
  return value;
}

/** An integer ≥ `min`; `Infinity` is accepted when `allowInfinity` is set. */
export function checkInteger(
  where: string,
  name: string,
  value: unknown,
  min: number,
  allowInfinity = false,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${where}: ${name} must be an integer, got ${describe(value)}`,
    );
  }
  const ok =
    (Number.isInteger(value) || (allowInfinity && value === Infinity)) &&
    value >= min;
  if (!ok) {
    throw new RangeError(
      `${where}: ${name} must be an integer >= ${min}${
        allowInfinity ? " (or Infinity)" : ""
      }, got ${describe(value)}`,
    );
  }
  return value;
}

/** A boolean. */
export function checkBoolean(
  where: string,
  name: string,
  value: unknown,
): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(
      `${where}: ${name} must be a boolean, got ${describe(value)}`,
    );
  }
  return value;
}

/** A function. */
export function checkFunction<F>(where: string, name: string, value: F): F {
  if (typeof value !== "function") {
    throw new TypeError(
      `${where}: ${name} must be a function, got ${describe(value)}`,
    );
  }
  return value;
}

/** An options bag: `undefined` or an object. */
export function checkOptions<O extends object>(
  where: string,
  value: O | undefined,
): O | Record<string, never> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) {
    throw new TypeError(
      `${where}: options must be an object, got ${describe(value)}`,
    );
  }
  return value;
}

// The built-in `aborted` getter throws on anything that is not a real
// AbortSignal, and accepts one from another realm (an iframe), so calling it
// is a brand check that duck-typed look-alikes cannot pass. Looked up at
// the first check, so importing this module runs nothing.
let abortedGetter: (() => boolean) | undefined;

/**
 * An optional `AbortSignal`: a real one (from any realm), never a look-alike
 * object, which would be half-used and fail later, far from the call.
 */
export function checkSignal(
  where: string,
  value: unknown,
  name = "signal",
): AbortSignal | undefined {
  if (value === undefined) return undefined;
  try {
    (abortedGetter ??= Object.getOwnPropertyDescriptor(
      AbortSignal.prototype,
      "aborted",
    )!.get!).call(value);
  } catch {
    throw new TypeError(
      `${where}: ${name} must be an AbortSignal, got ${describe(value)}`,
    );
  }
  return value as AbortSignal;
}

/**
 * An optional clock: anything with `now` and `setTimer` methods (a `Clock`
 * is an interface, so it is checked by shape).
 */
export function checkClock<C extends object>(
  where: string,
  value: C | undefined,
): C | undefined {
  if (value === undefined) return undefined;
  const candidate = value as { now?: unknown; setTimer?: unknown };
  if (
    typeof value !== "object" || value === null ||
    typeof candidate.now !== "function" ||
    typeof candidate.setTimer !== "function"
  ) {
    throw new TypeError(
      `${where}: clock must be a Clock, got ${describe(value)}`,
    );
  }
  return value;
}

/** The `signal` of an optional `{ signal }` options bag, both checked. */
export function checkSignalOption(
  where: string,
  options: { signal?: AbortSignal } | undefined,
): AbortSignal | undefined {
  return checkSignal(where, checkOptions(where, options).signal);
}

/** One of a fixed set of strings; `RangeError` otherwise, as `Intl` does. */
export function checkOneOf<S extends string>(
  where: string,
  name: string,
  value: unknown,
  allowed: readonly S[],
): S {
  if (!allowed.includes(value as S)) {
    const list = allowed.map((s) => JSON.stringify(s)).join(", ");
    throw new (typeof value === "string" ? RangeError : TypeError)(
      `${where}: ${name} must be one of ${list}, got ${describe(value)}`,
    );
  }
  return value as S;
}

/** An optional name: a string or `undefined`. */
export function checkName(
  where: string,
  value: unknown,
): string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw new TypeError(
      `${where}: name must be a string, got ${describe(value)}`,
    );
  }
  return value;
}
