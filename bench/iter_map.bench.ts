// An ordered concurrent map (concurrency 8) over 100,000 items with a
// trivially async callback: @seed/async/iter against p-map's pMapIterable
// (the baseline), it-parallel and streaming-iterables' parallelMap.
import { pMapIterable } from "p-map";
import parallel from "it-parallel";
import { parallelMap } from "streaming-iterables";
import { map } from "../src/iter/mod.ts";
import { bench } from "./_harness.ts";

const ITEMS = 100_000;
const group = "ordered concurrent map, 100,000 items, concurrency 8";
const CONCURRENCY = 8;
const input = Array.from({ length: ITEMS }, (_, i) => i);
const work = async (x: number): Promise<number> => {
  await null;
  return x * 2;
};

async function consume(iterable: AsyncIterable<number>): Promise<void> {
  let expected = 0;
  for await (const x of iterable) {
    if (x !== expected) throw new Error(`out of order: ${x}`);
    expected += 2;
  }
  if (expected !== ITEMS * 2) throw new Error("missing items");
}

bench({
  group,
  items: ITEMS,
  name: "p-map pMapIterable",
  baseline: true,
  fn: async () =>
    await consume(pMapIterable(input, work, { concurrency: CONCURRENCY })),
});

bench({
  group,
  items: ITEMS,
  name: "@seed/async/iter map",
  fn: async () => await consume(map(input, work, { concurrency: CONCURRENCY })),
});

bench({
  group,
  items: ITEMS,
  name: "it-parallel (ordered)",
  rounds: 2,
  fn: async () =>
    await consume(
      parallel(input.map((x) => () => work(x)), {
        concurrency: CONCURRENCY,
        ordered: true,
      }),
    ),
});

bench({
  group,
  items: ITEMS,
  name: "streaming-iterables parallelMap",
  rounds: 2,
  fn: async () => await consume(parallelMap(CONCURRENCY, work, input)),
});
