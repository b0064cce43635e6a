// A sequential map → filter → take over 1,000,000 numbers: @seed/async/iter
// against a hand-written async generator (the floor), ix and
// streaming-iterables. The source is an array for everyone; the result is
// consumed with for await.
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

// Each run takes a large fraction of a second: a fixed count keeps the
// whole file within a minute or two.
const RUNS = { n: 10, warmup: 2 };
const ITEMS = 1_000_000;
const KEEP = 300_000; // of the 333,334 that pass the filter
const input = Array.from({ length: ITEMS }, (_, i) => i);
const double = (x: number) => x * 2;
const third = (x: number) => x % 3 === 0;

async function consume(iterable: AsyncIterable<number>): Promise<void> {
  let count = 0;
  for await (const _ of iterable) count++;
  if (count !== KEEP) throw new Error(`got ${count} items`);
}

// The floor: the same pipeline fused by hand into one async generator.
async function* floor(source: Iterable<number>): AsyncGenerator<number> {
  let taken = 0;
  for await (const x of source) {
    const y = double(x);
    if (!third(y)) continue;
    yield y;
    if (++taken === KEEP) return;
  }
}

Deno.bench({
  ...RUNS,
  name: "hand-written async generator (floor)",
  group: "map-filter-take",
  baseline: true,
  fn: async () => await consume(floor(input)),
});

Deno.bench({
  ...RUNS,
  name: "@seed/async/iter",
  group: "map-filter-take",
  fn: async () => await consume(take(filter(map(input, double), third), KEEP)),
});

Deno.bench({
  ...RUNS,
  name: "ix",
  group: "map-filter-take",
  fn: async () =>
    await consume(
      ixFrom(input).pipe(ixMap(double), ixFilter(third), ixTake(KEEP)),
    ),
});

Deno.bench({
  ...RUNS,
  name: "streaming-iterables",
  group: "map-filter-take",
  fn: async () =>
    await consume(siTake(KEEP, siFilter(third, siMap(double, input)))),
});

// The same with an async generator as the source, so every layer waits.
async function* numbers(): AsyncGenerator<number> {
  for (let i = 0; i < ITEMS; i++) yield i;
}

Deno.bench({
  ...RUNS,
  name: "hand-written async generator (floor), async source",
  group: "map-filter-take, async source",
  baseline: true,
  fn: async () => await consume(floor(toSync(numbers()))),
});

Deno.bench({
  ...RUNS,
  name: "@seed/async/iter, async source",
  group: "map-filter-take, async source",
  fn: async () =>
    await consume(take(filter(map(numbers(), double), third), KEEP)),
});

Deno.bench({
  ...RUNS,
  name: "ix, async source",
  group: "map-filter-take, async source",
  fn: async () =>
    await consume(
      ixFrom(numbers()).pipe(ixMap(double), ixFilter(third), ixTake(KEEP)),
    ),
});

Deno.bench({
  ...RUNS,
  name: "streaming-iterables, async source",
  group: "map-filter-take, async source",
  fn: async () =>
    await consume(siTake(KEEP, siFilter(third, siMap(double, numbers())))),
});

// for await accepts an async iterable too; the cast keeps floor's signature.
function toSync(source: AsyncIterable<number>): Iterable<number> {
  return source as unknown as Iterable<number>;
}
