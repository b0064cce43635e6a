import type { AsyncOperator } from "./_op.ts";
import { FlattenOp } from "./_flatten.ts";
import { type AnySource, toOp } from "./_source.ts";

/**
 * Yields every item of each source in turn. A source is opened only when
 * the previous one has ended; an early exit returns the one being read.
 *
 * @throws {TypeError} a source is not iterable.
 *
 * @example
 * ```ts
 * import { concat, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * async function* more() {
 *   yield 3;
 * }
 * assert.deepEqual(await toArray(concat([1, 2], more())), [1, 2, 3]);
 * ```
 */
export function concat<T>(...sources: AnySource<T>[]): AsyncOperator<T> {
  const ops = sources.map((source, i) =>
    toOp<T>("concat", `sources[${i}]`, source)
  );
  return new FlattenOp<T>("concat", toOp<unknown>("concat", "sources", ops));
}
