// A sequential map → filter → take over an array of numbers: @seed/async/iter
// against the same chain of hand-written async generators (the baseline),
// the chain fused by hand into one generator (the floor), ix and
// streaming-iterables, at 100,000 and 1,000,000 items (per-item cost must
// stay flat); then the same with an async generator as the source. The
// result is consumed with for await.
import { from as ixFrom } from "ix/asynciterable";
import {
  filter as ixFilter,
  map as ixMap,
  take as ixTake,
} from "ix/asynciterable/operators";
import {
  filter as siFilter,
  map as siMap,
  take as siTake,
} from "streaming-iterables";
import { filter, map, take } from "../src/iter/mod.ts";
import { bench } from "./_harness.ts";

const double = (x: number) => x * 2;
const third = (x: number) => x % 3 === 0;

async function consume(
  iterable: AsyncIterable<number>,
  keep: number,
): Promise<void> {
  let count = 0;
  for await (const _ of iterable) count++;
  if (count !== keep) throw new Error(`got ${count} items`);
}

// The floor: the same pipeline fused by hand into one async generator.
async function* fused(
  source: Iterable<number> | AsyncIterable<number>,
  keep: number,
): AsyncGenerator<number> {
  let taken = 0;
  for await (const x of source) {
    const y = double(x);
    if (!third(y)) continue;
    yield y;
    if (++taken === keep) return;
  }
}

// The baseline: one async generator per operator, chained.
async function* genMap<T, U>(
  source: Iterable<T> | AsyncIterable<T>,
  fn: (x: T) => U,
): AsyncGenerator<U> {
  for await (const x of source) yield fn(x);
}
async function* genFilter<T>(
  source: AsyncIterable<T>,
  fn: (x: T) => boolean,
): AsyncGenerator<T> {
  for await (const x of source) if (fn(x)) yield x;
}
async function* genTake<T>(
  source: AsyncIterable<T>,
  count: number,
): AsyncGenerator<T> {
  if (count <= 0) return;
  for await (const x of source) {
    yield x;
    if (--count === 0) return;
  }
}

async function* numbers(items: number): AsyncGenerator<number> {
  for (let i = 0; i < items; i++) yield i;
}

for (const items of [100_000, 1_000_000]) {
  const keep = Math.floor(items * 0.3); // of the third that pass the filter
  const input = Array.from({ length: items }, (_, i) => i);
  const group = `map-filter-take, ${items.toLocaleString("en")} items`;
  bench({
    group,
    items,
    name: "chained async generators",
    baseline: true,
    fn: () =>
      consume(genTake(genFilter(genMap(input, double), third), keep), keep),
  });
  bench({
    group,
    items,
    name: "@seed/async/iter",
    fn: () => consume(take(filter(map(input, double), third), keep), keep),
  });
  if (items > 100_000) continue;
  bench({
    group,
    items,
    name: "one fused async generator (floor)",
    fn: () => consume(fused(input, keep), keep),
  });
  bench({
    group,
    items,
    name: "ix",
    rounds: 1,
    fn: () =>
      consume(
        ixFrom(input).pipe(ixMap(double), ixFilter(third), ixTake(keep)),
        keep,
      ),
  });
  bench({
    group,
    items,
    name: "streaming-iterables",
    rounds: 2,
    fn: () =>
      consume(siTake(keep, siFilter(third, siMap(double, input))), keep),
  });

  // The same with an async generator as the source, so every layer waits.
  const async = `map-filter-take, ${
    items.toLocaleString("en")
  } items, async source`;
  bench({
    group: async,
    items,
    name: "chained async generators, async source",
    baseline: true,
    fn: () =>
      consume(
        genTake(genFilter(genMap(numbers(items), double), third), keep),
        keep,
      ),
  });
  bench({
    group: async,
    items,
    name: "@seed/async/iter, async source",
    fn: () =>
      consume(take(filter(map(numbers(items), double), third), keep), keep),
  });
  bench({
    group: async,
    items,
    name: "one fused async generator (floor), async source",
    fn: () => consume(fused(numbers(items), keep), keep),
  });
  bench({
    group: async,
    items,
    name: "ix, async source",
    rounds: 1,
    fn: () =>
      consume(
        ixFrom(numbers(items)).pipe(
          ixMap(double),
          ixFilter(third),
          ixTake(keep),
        ),
        keep,
      ),
  });
  bench({
    group: async,
    items,
    name: "streaming-iterables, async source",
    rounds: 2,
    fn: () =>
      consume(
        siTake(keep, siFilter(third, siMap(double, numbers(items)))),
        keep,
      ),
  });
}
