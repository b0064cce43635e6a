// Argument checks specific to the tasks combinators, built on the shared
// ones in src/_validate.ts. Each throws at the call site, before any work
// starts, naming the function, the parameter and the value received.
import { checkFunction, describe } from "../_validate.ts";

/**
 * An iterable whose every element passes `check` (called with `where`, the
 * element's name, `fns[2]`, and the element), copied into an array so that
 * all of them are checked before the first is used (and a one-shot iterable
 * is read once).
 */
export function checkList<T>(
  where: string,
  name: string,
  value: Iterable<T>,
  check: (where: string, name: string, item: T) => T,
): T[] {
  if (
    typeof value !== "object" || value === null ||
    typeof (value as Iterable<T>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `${where}: ${name} must be an iterable, got ${describe(value)}`,
    );
  }
  return Array.from(value, (item, i) => check(where, `${name}[${i}]`, item));
}

/** An iterable of functions, as an array. */
export function checkFunctions<F>(where: string, fns: Iterable<F>): F[] {
  return checkList(where, "fns", fns, checkFunction);
}
