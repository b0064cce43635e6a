// Parsing of the option bags the operators share, at the call site.

import {
  checkBoolean,
  checkFunction,
  checkInteger,
  checkOptions,
  checkSignal,
} from "../_validate.ts";
import type { ConcurrencyOptions } from "./types.ts";

/** Checked `{ concurrency, ordered, signal }`. */
export interface Concurrency {
  limit: number;
  ordered: boolean;
  signal: AbortSignal | undefined;
}

/** Checks a callback and a `{ concurrency, ordered, signal }` bag. */
export function concurrencyOptions(
  where: string,
  fn: unknown,
  options: ConcurrencyOptions | undefined,
): Concurrency {
  checkFunction(where, "fn", fn);
  const bag = checkOptions(where, options) as ConcurrencyOptions;
  const limit = bag.concurrency === undefined
    ? 1
    : checkInteger(where, "concurrency", bag.concurrency, 1, true);
  const ordered = checkBoolean(where, "ordered", bag.ordered ?? true);
  return { limit, ordered, signal: checkSignal(where, bag.signal) };
}
