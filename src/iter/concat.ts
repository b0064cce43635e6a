import { type AsyncOperator, CLOSE, Op, type Step } from "./_op.ts";
import { FlattenOp } from "./_flatten.ts";
import { type AnySource, type SourceItem, toOps } from "./_source.ts";

/**
 * Yields every item of each source in turn. A source is opened only when
 * the previous one has ended; an early exit returns the one being read and
 * closes the operators of ours not reached yet (so a `tee` branch among
 * them releases its share).
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
export function concat<T>(...sources: AnySource<T>[]): AsyncOperator<T>;
/**
 * {@linkcode concat} over sources of different item types: each item is any
 * of them.
 *
 * @example
 * ```ts
 * import { concat, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const items: (number | string)[] = await toArray(concat([1], ["a"]));
 * assert.sameMembers(items, [1, "a"]);
 * ```
 */
export function concat<S extends AnySource<unknown>[]>(
  ...sources: S
): AsyncOperator<SourceItem<S[number]>>;
export function concat<T>(...sources: AnySource<T>[]): AsyncOperator<T> {
  const ops = toOps<T>("concat", sources);
  return new FlattenOp<T>("concat", new Sources(ops) as Op<unknown>);
}

// The sources in turn; those not handed out yet are closed on an exit.
class Sources<T> extends Op<Op<T>> {
  readonly #ops: Op<T>[];
  #next = 0;

  constructor(ops: Op<T>[]) {
    super();
    this.#ops = ops;
  }

  protected step(): Step<Op<T>> {
    if (this.#next === this.#ops.length) return this.finish();
    return { done: false, value: this.#ops[this.#next++] };
  }

  protected stop(reason: unknown): Promise<unknown> {
    const left = this.#ops.slice(this.#next);
    this.#next = this.#ops.length;
    return Promise.all(left.map((op) => op[CLOSE](reason)));
  }
}
