// Bad arguments throw at the call, before any pull.
import { assert } from "chai";
import {
  buffer,
  chunk,
  concat,
  drop,
  filter,
  flatMap,
  forEach,
  fromEvent,
  interval,
  map,
  merge,
  take,
  tee,
  throttle,
  timeoutEach,
  toArray,
  withSignal,
  zip,
} from "../../src/iter/mod.ts";
import { probe } from "./_battery.ts";

function throwsNaming(fn: () => unknown, type: ErrorConstructor, name: string) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.instanceOf(error, type);
  assert.include((error as Error).message, name);
}

Deno.test("out-of-range numbers throw RangeError naming the parameter", () => {
  const source = probe();
  throwsNaming(
    () => map(source, (x) => x, { concurrency: 0 }),
    RangeError,
    "concurrency",
  );
  throwsNaming(
    () => filter(source, () => true, { concurrency: 1.5 }),
    RangeError,
    "concurrency",
  );
  throwsNaming(
    () => flatMap(source, () => [], { concurrency: -1 }),
    RangeError,
    "concurrency",
  );
  throwsNaming(
    () => forEach(source, () => {}, { concurrency: 0 }),
    RangeError,
    "concurrency",
  );
  throwsNaming(() => take(source, -1), RangeError, "count");
  throwsNaming(() => drop(source, NaN), RangeError, "count");
  throwsNaming(() => chunk(source, 0), RangeError, "size");
  throwsNaming(() => chunk(source, 2, { maxWait: -1 }), RangeError, "maxWait");
  throwsNaming(() => buffer(source, 0), RangeError, "size");
  throwsNaming(() => tee(source, 0), RangeError, "count");
  throwsNaming(
    () => tee(source, 2, { bufferSize: 0 }),
    RangeError,
    "bufferSize",
  );
  throwsNaming(() => timeoutEach(source, -5), RangeError, "ms");
  throwsNaming(
    () => throttle(source, { interval: 10, limit: 0 }),
    RangeError,
    "limit",
  );
  throwsNaming(() => interval(-1), RangeError, "ms");
  throwsNaming(
    () => fromEvent(new EventTarget(), "x", { maxBuffer: 0 }),
    RangeError,
    "maxBuffer",
  );
  throwsNaming(
    () => fromEvent(new EventTarget(), "x", { overflow: "drop" as never }),
    RangeError,
    "overflow",
  );
  assert.equal(source.pulls, 0);
});

Deno.test("wrong types throw TypeError", () => {
  const bad = 42 as unknown as Iterable<number>;
  throwsNaming(() => map(bad, (x) => x), TypeError, "source");
  throwsNaming(() => map([1], 1 as unknown as () => number), TypeError, "fn");
  throwsNaming(
    () => toArray(null as unknown as Iterable<number>),
    TypeError,
    "source",
  );
  throwsNaming(() => concat([1], bad), TypeError, "sources[1]");
  throwsNaming(() => merge(bad), TypeError, "sources[0]");
  throwsNaming(() => zip([1], bad), TypeError, "sources[1]");
  throwsNaming(
    () => withSignal([1], undefined as unknown as AbortSignal),
    TypeError,
    "signal",
  );
  throwsNaming(
    () => map([1], (x) => x, { ordered: "yes" as unknown as boolean }),
    TypeError,
    "ordered",
  );
  throwsNaming(() => fromEvent({} as EventTarget, "x"), TypeError, "target");
  throwsNaming(
    () => throttle([1], {} as { interval: number }),
    TypeError,
    "interval",
  );
});

Deno.test("flatMap rejects a callback result that is not iterable", async () => {
  const error = await toArray(flatMap([1], () => 5 as unknown as number[]))
    .catch((e) => e);
  assert.instanceOf(error, TypeError);
});
