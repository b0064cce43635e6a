import { assert } from "chai";
import { startTimer, stopTimer } from "../../src/cancel/_timer.ts";
import { type Clock, systemClock } from "../../src/cancel/mod.ts";

// The host's timers and clock, replaced for one test by ones the test
// drives: delays over 2^31−1 ms take days, so the chaining is checked on
// what the library asks the host for.
function fakeHost() {
  // deno-lint-ignore no-explicit-any
  const host = globalThis as any;
  const real = {
    setTimeout: host.setTimeout,
    clearTimeout: host.clearTimeout,
    now: Date.now,
  };
  let now = 1_000;
  let next = 1;
  const timers = new Map<
    number,
    { fn: (arg: unknown) => void; ms: number; arg: unknown }
  >();
  host.setTimeout = (fn: (arg: unknown) => void, ms: number, arg: unknown) => {
    timers.set(next, { fn, ms, arg });
    return next++;
  };
  host.clearTimeout = (id: number) => timers.delete(id);
  Date.now = () => now;
  return {
    timers,
    /** Moves time on by `ms` and fires the one pending timer. */
    fire(ms: number) {
      assert.equal(timers.size, 1);
      const [[id, timer]] = timers;
      timers.delete(id);
      now += ms;
      timer.fn(timer.arg);
    },
    restore() {
      host.setTimeout = real.setTimeout;
      host.clearTimeout = real.clearTimeout;
      Date.now = real.now;
    },
  };
}

const MAX = 2 ** 31 - 1;

Deno.test("host timers over 2^31-1 ms wait in steps until what is left fits one timer", () => {
  const host = fakeHost();
  try {
    const fired: unknown[] = [];
    startTimer(undefined, 2 * MAX + 10, (state) => fired.push(state), "nap");
    assert.deepEqual([...host.timers.values()].map((t) => t.ms), [MAX]);
    host.fire(MAX);
    assert.deepEqual([...host.timers.values()].map((t) => t.ms), [MAX]);
    // A step that fired late shortens what is left.
    host.fire(MAX + 4);
    assert.deepEqual([...host.timers.values()].map((t) => t.ms), [6]);
    assert.deepEqual(fired, []);
    host.fire(6);
    assert.deepEqual(fired, ["nap"]);
    assert.equal(host.timers.size, 0);
  } finally {
    host.restore();
  }
});

Deno.test("stopping a chained host timer clears the step that is pending", () => {
  const host = fakeHost();
  try {
    const timer = startTimer(undefined, MAX + 1, () => assert.fail(), 0);
    host.fire(MAX);
    assert.equal(host.timers.size, 1);
    stopTimer(timer);
    assert.equal(host.timers.size, 0);
    stopTimer(timer);
  } finally {
    host.restore();
  }
});

Deno.test("systemClock.setTimer chains through the same host timers", () => {
  const host = fakeHost();
  try {
    let fired = 0;
    const cancel = systemClock.setTimer(MAX + 5, () => fired++);
    host.fire(MAX);
    assert.deepEqual([...host.timers.values()].map((t) => t.ms), [5]);
    host.fire(5);
    assert.equal(fired, 1);
    cancel();
  } finally {
    host.restore();
  }
});

Deno.test("host timers within the limit pass the state to setTimeout; Infinity starts none", () => {
  const host = fakeHost();
  try {
    const seen: number[] = [];
    const timer = startTimer(undefined, MAX, (n) => seen.push(n), 7);
    assert.deepEqual([...host.timers.values()].map((t) => t.ms), [MAX]);
    host.fire(MAX);
    assert.deepEqual(seen, [7]);
    stopTimer(timer);
    stopTimer(startTimer(undefined, Infinity, () => assert.fail(), 0));
    assert.equal(host.timers.size, 0);
  } finally {
    host.restore();
  }
});

Deno.test("timers on a given clock go through its setTimer and its canceller", () => {
  const asked: number[] = [];
  let cancelled = 0;
  let callback = () => {};
  const clock: Clock = {
    now: () => 0,
    setTimer(ms, fn) {
      asked.push(ms);
      callback = fn;
      return () => cancelled++;
    },
  };
  const seen: string[] = [];
  const timer = startTimer(clock, 2 * MAX, (s) => seen.push(s), "x");
  assert.deepEqual(asked, [2 * MAX]);
  callback();
  assert.deepEqual(seen, ["x"]);
  stopTimer(timer);
  assert.equal(cancelled, 1);
});
