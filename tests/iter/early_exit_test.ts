// The shared early-exit battery, run against every operator.
import {
  buffer,
  chunk,
  concat,
  drop,
  dropWhile,
  filter,
  flatMap,
  map,
  merge,
  scan,
  take,
  takeWhile,
  tee,
  throttle,
  timeoutEach,
  withSignal,
  zip,
} from "../../src/iter/mod.ts";
import { battery, type Case } from "./_battery.ts";

// Operators without a signal option are guarded with withSignal.
const guarded = (
  make: (source: AsyncIterable<number>) => AsyncIterableIterator<unknown>,
): Case["make"] =>
(source, _hook, signal) =>
  signal ? withSignal(make(source), signal) : make(source);

const cases: Case[] = [
  ...[1, 4].flatMap((concurrency) =>
    [true, false].flatMap((ordered): Case[] => {
      const options = { concurrency, ordered };
      const label = `(concurrency ${concurrency}, ordered ${ordered})`;
      const ahead = concurrency;
      return [
        {
          name: `map ${label}`,
          callback: true,
          ahead,
          make: (s, hook, signal) =>
            map(s, async (x, c) => (await hook(x, c), x), {
              ...options,
              signal,
            }),
        },
        {
          name: `filter ${label}`,
          callback: true,
          ahead,
          make: (s, hook, signal) =>
            filter(s, async (x, c) => (await hook(x, c), true), {
              ...options,
              signal,
            }),
        },
        {
          name: `flatMap ${label}`,
          callback: true,
          ahead,
          make: (s, hook, signal) =>
            flatMap(s, async (x, c) => (await hook(x, c), [x]), {
              ...options,
              signal,
            }),
        },
      ];
    })
  ),
  { name: "takeWhile", make: guarded((s) => takeWhile(s, () => true)) },
  {
    name: "takeWhile (async hook)",
    callback: true,
    make: (s, hook, signal) =>
      withSignal(
        takeWhile(s, async (x, c) => (await hook(x, c), true)),
        signal ?? new AbortController().signal,
      ),
  },
  {
    name: "dropWhile (async hook)",
    callback: true,
    ahead: 3,
    stall: 3,
    make: (s, hook, signal) =>
      withSignal(
        dropWhile(s, async (x, c) => (await hook(x, c), x < 2)),
        signal ?? new AbortController().signal,
      ),
  },
  {
    name: "scan (async hook)",
    callback: true,
    make: (s, hook, signal) =>
      withSignal(
        scan(s, async (a, x, c) => (await hook(x, c), a + x), 0),
        signal ?? new AbortController().signal,
      ),
  },
  { name: "take", make: guarded((s) => take(s, 50)) },
  { name: "drop", ahead: 2, stall: 2, make: guarded((s) => drop(s, 1)) },
  {
    name: "dropWhile",
    ahead: 2,
    stall: 2,
    make: guarded((s) => dropWhile(s, (x) => x < 1)),
  },
  { name: "chunk", ahead: 2, stall: 2, make: guarded((s) => chunk(s, 2)) },
  {
    name: "chunk (maxWait)",
    ahead: 2,
    stall: 2,
    make: guarded((s) => chunk(s, 2, { maxWait: 1000 })),
  },
  { name: "merge", make: guarded((s) => merge(s)) },
  { name: "zip", make: guarded((s) => zip(s)) },
  { name: "concat", make: guarded((s) => concat([], s)) },
  { name: "tee", make: guarded((s) => tee(s, 1)[0]) },
  { name: "buffer", ahead: 3, make: guarded((s) => buffer(s, 3)) },
  { name: "timeoutEach", make: guarded((s) => timeoutEach(s, 1000)) },
  {
    name: "throttle",
    make: guarded((s) => throttle(s, { limit: 100, interval: 1000 })),
  },
  {
    name: "withSignal",
    make: guarded((s) => withSignal(s, new AbortController().signal)),
  },
];

for (const c of cases) {
  Deno.test(`early exit: ${c.name}`, (t) => battery(t, c));
}
