import { checkSignalOption } from "../_validate.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { drain } from "./_drain.ts";
import { type AnySource, toOp } from "./_source.ts";
import { guard } from "./with_signal.ts";

/**
 * Collects every item of `source` into an array. Aborting `signal` rejects
 * with `signal.reason` and returns the source.
 *
 * @throws {TypeError} `source` is not iterable.
 *
 * @example
 * ```ts
 * import { toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * async function* letters() {
 *   yield "a";
 *   yield "b";
 * }
 * assert.deepEqual(await toArray(letters()), ["a", "b"]);
 * ```
 */
export function toArray<T>(
  source: AnySource<T>,
  options?: SignalOptions,
): Promise<T[]> {
  const signal = checkSignalOption("toArray", options);
  const op = guard(toOp<T>("toArray", "source", source), signal);
  const items: T[] = [];
  return drain(op, (item) => {
    items.push(item);
  }, signal).then(() => items);
}
