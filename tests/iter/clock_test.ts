// The iterator operators that keep time, on virtual time: exact instants
// instead of tolerances. operators_test.ts keeps one real-timer test each.
import { assert } from "chai";
import { CancelScope, isTimeoutError, sleep } from "../../src/cancel/mod.ts";
import {
  chunk,
  interval,
  throttle,
  timeoutEach,
  toArray,
} from "../../src/iter/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";
import { probe } from "./_battery.ts";

/** Yields each item after waiting `gaps[i]` ms on `clock`. */
async function* spaced<T>(clock: TestClock, items: T[], gaps: number[]) {
  for (let i = 0; i < items.length; i++) {
    await sleep(gaps[i], { clock });
    yield items[i];
  }
}

/** Every item of `source` with the virtual time it arrived at. */
async function timed<T>(clock: TestClock, source: AsyncIterable<T>) {
  const seen: [T, number][] = [];
  for await (const item of source) seen.push([item, clock.now()]);
  return seen;
}

Deno.test("chunk: maxWait emits a partial chunk exactly maxWait after its first item", async () => {
  using clock = new TestClock({ autojump: true });
  const source = spaced(clock, [1, 2, 3, 4], [0, 4, 20, 3]);
  const batches = chunk(source, 10, { maxWait: 10, clock });
  assert.deepEqual(await timed(clock, batches), [
    [[1, 2], 10], // 1 at 0, 2 at 4; maxWait from 0
    [[3, 4], 27], // 3 at 24, 4 at 27, then the source ends
  ]);
});

Deno.test("chunk: a chunk that fills first clears its maxWait timer", async () => {
  using clock = new TestClock();
  const batches = chunk([1, 2, 3, 4], 2, { maxWait: 1000, clock });
  assert.deepEqual((await batches.next()).value, [1, 2]);
  assert.equal(clock.pending, 0);
  assert.deepEqual(await toArray(batches), [[3, 4]]);
  assert.equal(clock.pending, 0);
});

Deno.test("timeoutEach: a step answered in time passes; a late one times out at exactly ms", async () => {
  using clock = new TestClock();
  const source = probe(10, { stallAt: 1 });
  const it = timeoutEach(source, 50, { clock });
  assert.equal((await it.next()).value, 0);
  assert.equal(clock.pending, 0, "an answered step clears its timer");
  let settled = false;
  const late = it.next().catch((e) => e).finally(() => settled = true);
  await clock.advance(49);
  assert.isFalse(settled);
  await clock.advance(1);
  const error = await late;
  assert.isTrue(isTimeoutError(error));
  assert.equal(error.message, "Timed out after 50 ms");
  assert.equal(source.returns, 1);
});

Deno.test("timeoutEach: the limit is per step, from when it is asked", async () => {
  using clock = new TestClock({ autojump: true });
  const source = spaced(clock, ["a", "b", "c"], [40, 40, 40]);
  const seen = await timed(clock, timeoutEach(source, 50, { clock }));
  assert.deepEqual(seen, [["a", 40], ["b", 80], ["c", 120]]);
});

Deno.test("throttle: at most limit items in any interval, at exact instants", async () => {
  using clock = new TestClock({ autojump: true });
  const seen = await timed(
    clock,
    throttle([1, 2, 3, 4, 5], { limit: 2, interval: 100, clock }),
  );
  assert.deepEqual(seen, [[1, 0], [2, 0], [3, 100], [4, 100], [5, 200]]);
});

Deno.test("throttle: the wait comes before the pull, so a slow source's own time adds to it", async () => {
  using clock = new TestClock({ autojump: true });
  const source = spaced(clock, [1, 2, 3], [0, 150, 10]);
  const seen = await timed(
    clock,
    throttle(source, { limit: 1, interval: 100, clock }),
  );
  // 2 is asked for at 100 (window) and arrives 150 later; 3 at 350 + 10.
  assert.deepEqual(seen, [[1, 0], [2, 250], [3, 360]]);
});

Deno.test("interval: ticks at fixed times; a late consumer gets the next tick at once", async () => {
  using clock = new TestClock({ autojump: true });
  const ticks = interval(10, { clock });
  const seen: [number, number][] = [];
  for await (const tick of ticks) {
    seen.push([tick, clock.now()]);
    if (tick === 1) await sleep(25, { clock }); // falls behind
    if (tick === 3) break;
  }
  assert.deepEqual(seen, [[0, 10], [1, 20], [2, 45], [3, 55]]);
  assert.equal(clock.pending, 0);
});

Deno.test("interval: runs on the clock of its signal's scope", async () => {
  using clock = new TestClock({ autojump: true });
  using scope = new CancelScope({ clock, timeout: 35 });
  const ticks: number[] = [];
  const error = await (async () => {
    for await (const _ of interval(10, { signal: scope.signal })) {
      ticks.push(clock.now());
    }
  })().catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.deepEqual(ticks, [10, 20, 30]);
  assert.equal(clock.now(), 35);
});

Deno.test("interval nobody stops makes runAll reject past its limit", async () => {
  using clock = new TestClock();
  const controller = new AbortController();
  let count = 0;
  const drained = (async () => {
    for await (const _ of interval(1, { clock, signal: controller.signal })) {
      count++;
    }
  })().catch((e) => e);
  const error = await clock.runAll({ limit: 100 }).catch((e) => e);
  assert.include(error.message, "TestClock.runAll: 100 timers fired");
  assert.equal(count, 100);
  controller.abort(new Error("stop"));
  assert.equal((await drained).message, "stop");
  assert.equal(clock.pending, 0);
});

Deno.test("the timed operators reject a clock that is not a Clock", () => {
  const bad = { now: 0, setTimer() {} } as never;
  assert.throws(
    () => chunk([1], 1, { clock: bad }),
    TypeError,
    "chunk: clock must be a Clock",
  );
  assert.throws(
    () => timeoutEach([1], 1, { clock: bad }),
    TypeError,
    "timeoutEach: clock must be a Clock",
  );
  assert.throws(
    () => timeoutEach([1], 1, 3 as never),
    TypeError,
    "timeoutEach: options must be an object",
  );
  assert.throws(
    () => throttle([1], { interval: 1, clock: bad }),
    TypeError,
    "throttle: clock must be a Clock",
  );
  assert.throws(
    () => interval(1, { clock: bad }),
    TypeError,
    "interval: clock must be a Clock",
  );
});
