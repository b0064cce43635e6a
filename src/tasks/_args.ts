// Argument checks specific to the tasks combinators, built on the shared
// ones in src/_validate.ts. Each throws at the call site, before any work
// starts, naming the function, the parameter and the value received.
import { describe } from "../_validate.ts";

/**
 * An iterable whose every element passes `isOk`, copied into an array so
 * that all of them are checked before the first is used (and a one-shot
 * iterable is read once). `what` names one element: "a function".
 */
export function checkList<T>(
  where: string,
  name: string,
  value: Iterable<T>,
  what: string,
  isOk: (item: unknown) => boolean,
): T[] {
  if (
    typeof value !== "object" || value === null ||
    typeof (value as Iterable<T>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `${where}: ${name} must be an iterable, got ${describe(value)}`,
    );
  }
  const list = Array.from(value);
  for (let i = 0; i < list.length; i++) {
    if (!isOk(list[i])) {
      throw new TypeError(
        `${where}: ${name}[${i}] must be ${what}, got ${describe(list[i])}`,
      );
    }
  }
  return list;
}

/** An iterable of functions, as an array. */
export function checkFunctions<F>(where: string, fns: Iterable<F>): F[] {
  return checkList(where, "fns", fns, "a function", isFunction);
}

function isFunction(value: unknown): boolean {
  return typeof value === "function";
}
