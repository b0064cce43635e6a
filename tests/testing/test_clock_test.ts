import { assert } from "chai";
import {
  CancelScope,
  isTimeoutError,
  sleep,
  withTimeout,
  yieldNow,
} from "../../src/cancel/mod.ts";
import { race, retry } from "../../src/tasks/mod.ts";
import { map, toArray } from "../../src/iter/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";
import { dispose } from "../_helpers/symbols.ts";

Deno.test("TestClock starts at 0, or at the time it is given", () => {
  using zero = new TestClock();
  assert.equal(zero.now(), 0);
  using later = new TestClock({ now: 1_700_000_000_000 });
  assert.equal(later.now(), 1_700_000_000_000);
  using negative = new TestClock({ now: -5 });
  assert.equal(negative.now(), -5);
});

Deno.test("TestClock rejects bad options synchronously", () => {
  assert.throws(
    () => new TestClock({ now: NaN }),
    RangeError,
    "TestClock: now must be a finite number of ms, got NaN",
  );
  assert.throws(() => new TestClock({ now: Infinity }), RangeError);
  assert.throws(
    () => new TestClock({ now: "0" as unknown as number }),
    TypeError,
    'TestClock: now must be a finite number of ms, got "0"',
  );
  assert.throws(
    () => new TestClock({ autojump: 1 as unknown as boolean }),
    TypeError,
    "TestClock: autojump must be a boolean, got 1",
  );
  assert.throws(
    () => new TestClock(5 as unknown as object),
    TypeError,
    "TestClock: options must be an object",
  );
});

Deno.test("TestClock.setTimer rejects bad arguments and arms nothing for Infinity", () => {
  using clock = new TestClock();
  assert.throws(
    () => clock.setTimer(-1, () => {}),
    RangeError,
    "TestClock.setTimer: ms must be >= 0",
  );
  assert.throws(
    () => clock.setTimer(NaN, () => {}),
    RangeError,
    "TestClock.setTimer: ms must be >= 0",
  );
  assert.throws(
    () => clock.setTimer(1, "go" as unknown as () => void),
    TypeError,
    "TestClock.setTimer: callback must be a function",
  );
  const cancel = clock.setTimer(Infinity, () => assert.fail("fired"));
  assert.equal(clock.pending, 0);
  cancel();
});

Deno.test("advance fires due timers in deadline order, reading each one's deadline", async () => {
  using clock = new TestClock();
  const fired: string[] = [];
  clock.setTimer(30, () => fired.push(`c@${clock.now()}`));
  clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
  clock.setTimer(20, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(40, () => fired.push(`d@${clock.now()}`));
  assert.equal(clock.pending, 4);
  await clock.advance(35);
  assert.deepEqual(fired, ["a@10", "b@20", "c@30"]);
  assert.equal(clock.now(), 35);
  assert.equal(clock.pending, 1);
  await clock.advance(5);
  assert.deepEqual(fired, ["a@10", "b@20", "c@30", "d@40"]);
  assert.equal(clock.now(), 40);
});

Deno.test("timers with the same deadline fire in the order they were set", async () => {
  using clock = new TestClock();
  const fired: number[] = [];
  for (let i = 0; i < 5; i++) clock.setTimer(10, () => fired.push(i));
  clock.setTimer(5, () => fired.push(-1));
  await clock.advance(10);
  assert.deepEqual(fired, [-1, 0, 1, 2, 3, 4]);
});

Deno.test("a timer set by a timer fires at its own deadline inside one advance", async () => {
  using clock = new TestClock();
  const fired: number[] = [];
  const tick = () => {
    fired.push(clock.now());
    if (fired.length < 3) clock.setTimer(10, tick);
  };
  clock.setTimer(10, tick);
  await clock.advance(100);
  assert.deepEqual(fired, [10, 20, 30]);
  assert.equal(clock.now(), 100);
});

Deno.test("promise reactions of a timer run before the next timer fires", async () => {
  using clock = new TestClock();
  const woke: number[] = [];
  const chain = (async () => {
    await sleep(10, { clock });
    // A long await chain between two sleeps: all of it runs first.
    for (let i = 0; i < 1000; i++) await null;
    woke.push(clock.now());
    await sleep(10, { clock });
    woke.push(clock.now());
  })();
  clock.setTimer(15, () => woke.push(-clock.now()));
  await clock.advance(25);
  await chain;
  assert.deepEqual(woke, [10, -15, 20]);
});

Deno.test("a cancelled timer never fires; cancelling again or after firing does nothing", async () => {
  using clock = new TestClock();
  const fired: string[] = [];
  const cancelA = clock.setTimer(10, () => fired.push("a"));
  const cancelB = clock.setTimer(10, () => fired.push("b"));
  clock.setTimer(10, () => fired.push("c"));
  cancelA();
  cancelA();
  assert.equal(clock.pending, 2);
  await clock.advance(10);
  cancelB();
  assert.deepEqual(fired, ["b", "c"]);
  assert.equal(clock.pending, 0);
});

Deno.test("next fires the next timer, or resolves false when none is pending", async () => {
  using clock = new TestClock({ now: 100 });
  assert.isFalse(await clock.next());
  assert.equal(clock.now(), 100);
  const fired: number[] = [];
  clock.setTimer(50, () => fired.push(clock.now()));
  clock.setTimer(20, () => fired.push(clock.now()));
  assert.isTrue(await clock.next());
  assert.deepEqual(fired, [120]);
  assert.equal(clock.now(), 120);
  assert.isTrue(await clock.next());
  assert.deepEqual(fired, [120, 150]);
  assert.isFalse(await clock.next());
});

Deno.test("runAll fires every timer, including ones set along the way", async () => {
  using clock = new TestClock();
  const fired: number[] = [];
  clock.setTimer(5, () => {
    fired.push(clock.now());
    clock.setTimer(1000, () => fired.push(clock.now()));
  });
  clock.setTimer(7, () => fired.push(clock.now()));
  await clock.runAll();
  assert.deepEqual(fired, [5, 7, 1005]);
  assert.equal(clock.pending, 0);
});

Deno.test("runAll rejects with a clear Error once the limit is reached and timers remain", async () => {
  using clock = new TestClock();
  let ticks = 0;
  const tick = () => {
    ticks++;
    clock.setTimer(1, tick);
  };
  clock.setTimer(1, tick);
  const error = await clock.runAll({ limit: 50 }).catch((e) => e);
  assert.instanceOf(error, Error);
  assert.include(error.message, "TestClock.runAll: 50 timers fired");
  assert.equal(ticks, 50);
  assert.equal(clock.now(), 50);
  assert.equal(clock.pending, 1);
});

Deno.test("runAll with exactly `limit` timers succeeds", async () => {
  using clock = new TestClock();
  for (let i = 1; i <= 3; i++) clock.setTimer(i, () => {});
  await clock.runAll({ limit: 3 });
  assert.equal(clock.now(), 3);
});

Deno.test("advance, next and runAll reject bad arguments synchronously", () => {
  using clock = new TestClock();
  assert.throws(
    () => clock.advance(-1),
    RangeError,
    "TestClock.advance: ms must be >= 0",
  );
  assert.throws(
    () => clock.advance(Infinity),
    RangeError,
    "TestClock.advance: ms must be finite",
  );
  assert.throws(
    () => clock.advance("5" as unknown as number),
    TypeError,
    "TestClock.advance: ms must be a number of milliseconds",
  );
  assert.throws(
    () => clock.runAll({ limit: 0 }),
    RangeError,
    "TestClock.runAll: limit must be an integer >= 1",
  );
  assert.throws(
    () => clock.runAll({ limit: 1.5 }),
    RangeError,
    "TestClock.runAll: limit must be an integer >= 1",
  );
  assert.throws(
    () => clock.runAll(null as unknown as object),
    TypeError,
    "TestClock.runAll: options must be an object",
  );
});

Deno.test("a second advance while one is running throws; after it settles it works", async () => {
  using clock = new TestClock();
  clock.setTimer(10, () => {});
  const first = clock.advance(10);
  assert.throws(
    () => clock.advance(1),
    Error,
    "TestClock.advance: another advance, next or runAll",
  );
  assert.throws(() => clock.next(), Error, "TestClock.next: another");
  await first;
  await clock.advance(1);
  assert.equal(clock.now(), 11);
});

Deno.test("a throwing timer stops advance at its deadline; later timers stay pending", async () => {
  using clock = new TestClock();
  const boom = new Error("boom");
  const fired: number[] = [];
  clock.setTimer(5, () => fired.push(5));
  clock.setTimer(10, () => {
    throw boom;
  });
  clock.setTimer(15, () => fired.push(15));
  assert.strictEqual(await clock.advance(100).catch((e) => e), boom);
  assert.deepEqual(fired, [5]);
  assert.equal(clock.now(), 10);
  assert.equal(clock.pending, 1);
  await clock.advance(100);
  assert.deepEqual(fired, [5, 15]);
  assert.equal(clock.now(), 110);
});

Deno.test("dispose cancels every timer; the clock cannot be used afterwards", async () => {
  const clock = new TestClock();
  let fired = false;
  clock.setTimer(10, () => fired = true);
  clock[dispose]();
  clock[dispose]();
  assert.equal(clock.pending, 0);
  assert.isFalse(fired);
  assert.throws(
    () => clock.setTimer(1, () => {}),
    Error,
    "TestClock.setTimer: the TestClock was disposed",
  );
  assert.throws(() => clock.advance(1), Error, "was disposed");
  assert.throws(() => clock.next(), Error, "was disposed");
  assert.throws(() => clock.runAll(), Error, "was disposed");
  assert.equal(clock.now(), 0);
});

Deno.test("dispose cancels the pending autojump check (the sanitizers see no leak)", () => {
  const clock = new TestClock({ autojump: true });
  clock.setTimer(10, () => assert.fail("fired after dispose"));
  clock[dispose]();
});

Deno.test("two clocks keep separate time side by side", async () => {
  using a = new TestClock();
  using b = new TestClock({ now: 1000 });
  const woke: string[] = [];
  sleep(10, { clock: a }).then(() => woke.push(`a@${a.now()}`));
  sleep(10, { clock: b }).then(() => woke.push(`b@${b.now()}`));
  await a.advance(10);
  assert.deepEqual(woke, ["a@10"]);
  assert.equal(b.now(), 1000);
  await b.advance(10);
  assert.deepEqual(woke, ["a@10", "b@1010"]);
});

Deno.test("autojump: sleep(60_000) returns at once, at virtual 60_000", async () => {
  using clock = new TestClock({ autojump: true });
  await sleep(60_000, { clock });
  assert.equal(clock.now(), 60_000);
  assert.equal(clock.pending, 0);
});

Deno.test("autojump: a retry with 5 attempts and 30 s backoff takes 4 × 30 s of virtual time", async () => {
  using clock = new TestClock({ autojump: true });
  const attempts: number[] = [];
  const value = await retry(async (_signal, attempt) => {
    attempts.push(clock.now());
    if (attempt < 5) throw new Error(`attempt ${attempt}`);
    return "ok";
  }, {
    attempts: 5,
    minDelay: 30_000,
    maxDelay: 30_000,
    jitter: "none",
    clock,
  });
  assert.equal(value, "ok");
  assert.deepEqual(attempts, [0, 30_000, 60_000, 90_000, 120_000]);
  assert.equal(clock.now(), 120_000);
});

Deno.test("autojump never jumps while an await chain is still running", async () => {
  using clock = new TestClock({ autojump: true });
  const value = await withTimeout(1000, async (signal) => {
    for (let i = 0; i < 1000; i++) await null;
    await sleep(10, { signal });
    return clock.now();
  }, { clock });
  assert.equal(value, 10);
});

Deno.test("autojump counts yieldNow as activity", async () => {
  using clock = new TestClock({ autojump: true });
  const value = await withTimeout(1000, async (signal) => {
    for (let i = 0; i < 20; i++) await yieldNow();
    await sleep(10, { signal });
    return clock.now();
  }, { clock });
  assert.equal(value, 10);
});

Deno.test("autojump fires the timeout when the work really waits longer", async () => {
  using clock = new TestClock({ autojump: true });
  const error = await withTimeout(
    1000,
    (signal) => sleep(5000, { signal }),
    { clock },
  ).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.equal(clock.now(), 1000);
  assert.equal(clock.pending, 0);
});

Deno.test("autojump resumes after a manual advance", async () => {
  using clock = new TestClock({ autojump: true });
  const woke: number[] = [];
  const nap = sleep(100, { clock }).then(() => woke.push(clock.now()));
  await clock.advance(40);
  assert.equal(clock.now(), 40);
  await nap;
  assert.deepEqual(woke, [100]);
});

Deno.test("two autojump clocks jump side by side", async () => {
  using a = new TestClock({ autojump: true });
  using b = new TestClock({ autojump: true });
  await Promise.all([sleep(5_000, { clock: a }), sleep(7_000, { clock: b })]);
  assert.equal(a.now(), 5_000);
  assert.equal(b.now(), 7_000);
});

Deno.test("signals a combinator or operator derives inherit the scope's clock", async () => {
  using clock = new TestClock({ autojump: true });
  using scope = new CancelScope({ clock });
  const winner = await race([
    async (signal) => {
      await sleep(60_000, { signal });
      return "slow";
    },
    async (signal) => {
      await sleep(30_000, { signal });
      return "fast";
    },
  ], { signal: scope.signal });
  assert.equal(winner, "fast");
  assert.equal(clock.now(), 30_000);
  const done = await toArray(map([1, 2], async (n, { signal }) => {
    await sleep(n * 1_000, { signal });
    return clock.now();
  }, { signal: scope.signal, concurrency: 2 }));
  assert.deepEqual(done, [31_000, 32_000]);
});
