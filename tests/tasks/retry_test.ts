import { assert } from "chai";
import { CancelScope, sleep } from "../../src/cancel/mod.ts";
import { retry } from "../../src/tasks/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, track } from "./_combinators.ts";

/** A function failing `failures` times, then returning "ok"; records attempts. */
function flaky(failures: number) {
  const attempts: number[] = [];
  const fn = (_signal: AbortSignal, attempt: number) => {
    attempts.push(attempt);
    if (attempts.length <= failures) {
      return Promise.reject(new Error(`fail ${attempt}`));
    }
    return Promise.resolve("ok");
  };
  return { fn, attempts };
}

const fast = { minDelay: 0, maxDelay: 0 };

Deno.test("retry: a first success calls fn once", async () => {
  const { fn, attempts } = flaky(0);
  assert.equal(await retry(fn), "ok");
  assert.deepEqual(attempts, [1]);
});

Deno.test("retry: attempts counts total calls; the last error is thrown", async () => {
  const { fn, attempts } = flaky(Infinity);
  const error = await retry(fn, { ...fast, attempts: 4 }).catch((e) => e);
  assert.deepEqual(attempts, [1, 2, 3, 4]);
  assert.equal(error.message, "fail 4");
  const once = flaky(Infinity);
  await retry(once.fn, { attempts: 1 }).catch(() => {});
  assert.deepEqual(once.attempts, [1], "attempts: 1 means no retry");
  const byDefault = flaky(Infinity);
  await retry(byDefault.fn, fast).catch(() => {});
  assert.deepEqual(byDefault.attempts, [1, 2, 3], "three calls by default");
});

Deno.test("retry: without jitter the delays grow by factor and stop at maxDelay", async () => {
  using clock = new TestClock({ autojump: true });
  const { fn } = flaky(5);
  const seen: [string, number, number][] = [];
  const calledAt: number[] = [];
  assert.equal(
    await retry((signal, attempt) => {
      calledAt.push(clock.now());
      return fn(signal, attempt);
    }, {
      attempts: 6,
      minDelay: 1000,
      maxDelay: 5000,
      factor: 2,
      jitter: "none",
      onRetry: (error, attempt, delay) =>
        seen.push([(error as Error).message, attempt, delay]),
      clock,
    }),
    "ok",
  );
  assert.deepEqual(seen, [
    ["fail 1", 1, 1000],
    ["fail 2", 2, 2000],
    ["fail 3", 3, 4000],
    ["fail 4", 4, 5000],
    ["fail 5", 5, 5000],
  ]);
  assert.deepEqual(calledAt, [0, 1000, 3000, 7000, 12000, 17000]);
});

Deno.test("retry: full jitter keeps every delay within [0, min(maxDelay, bound)] and waits exactly that", async () => {
  using clock = new TestClock({ autojump: true });
  const { fn } = flaky(7);
  const delays: number[] = [];
  const calledAt: number[] = [];
  await retry((signal, attempt) => {
    calledAt.push(clock.now());
    return fn(signal, attempt);
  }, {
    attempts: 8,
    minDelay: 100,
    maxDelay: 300,
    factor: 3,
    onRetry: (_e, _a, delay) => delays.push(delay),
    clock,
  });
  const bounds = [100, 300, 300, 300, 300, 300, 300];
  assert.lengthOf(delays, 7);
  delays.forEach((delay, i) => {
    assert.isAtLeast(delay, 0);
    assert.isAtMost(delay, bounds[i]);
    // Virtual time is exact up to floating-point rounding of now + delay.
    assert.closeTo(calledAt[i + 1] - calledAt[i], delay, 1e-9);
  });
});

Deno.test("retry: real-time backoff on the system clock", async () => {
  const { fn, attempts } = flaky(2);
  const delays: number[] = [];
  const value = await retry(fn, {
    minDelay: 1,
    maxDelay: 2,
    jitter: "none",
    onRetry: (_e, _a, delay) => delays.push(delay),
  });
  assert.equal(value, "ok");
  assert.deepEqual(attempts, [1, 2, 3]);
  assert.deepEqual(delays, [1, 2]);
});

Deno.test("retry: backs off on the clock of its signal's scope", async () => {
  using clock = new TestClock();
  using scope = new CancelScope({ clock });
  const { fn, attempts } = flaky(1);
  const result = retry(fn, {
    minDelay: 500,
    jitter: "none",
    signal: scope.signal,
  });
  await clock.advance(499);
  assert.deepEqual(attempts, [1]);
  await clock.advance(1);
  assert.equal(await result, "ok");
  assert.deepEqual(attempts, [1, 2]);
});

Deno.test("retry: without a signal, fn's signal carries the retry's clock", async () => {
  using clock = new TestClock({ autojump: true });
  const value = await retry(async (signal) => {
    await sleep(250, { signal });
    return clock.now();
  }, { clock });
  assert.equal(value, 250);
});

Deno.test("retry: shouldRetry decides, may be async, and is not asked after the last attempt", async () => {
  const asked: [string, number][] = [];
  const { fn, attempts } = flaky(Infinity);
  const error = await retry(fn, {
    ...fast,
    attempts: 5,
    shouldRetry: async (error, attempt) => {
      await null;
      asked.push([(error as Error).message, attempt]);
      return attempt < 2;
    },
  }).catch((e) => e);
  assert.equal(error.message, "fail 2");
  assert.deepEqual(attempts, [1, 2]);
  assert.deepEqual(asked, [["fail 1", 1], ["fail 2", 2]]);

  const last: number[] = [];
  const always = flaky(Infinity);
  await retry(always.fn, {
    ...fast,
    attempts: 2,
    shouldRetry: (_e, attempt) => (last.push(attempt), true),
  }).catch(() => {});
  assert.deepEqual(last, [1]);
});

Deno.test("retry: an AbortError from fn is never retried; a TimeoutError is", async () => {
  let calls = 0;
  const abort = new DOMException("gave up", "AbortError");
  const error = await retry(() => {
    calls++;
    throw abort;
  }, fast).catch((e) => e);
  assert.strictEqual(error, abort);
  assert.equal(calls, 1);

  const timeouts: number[] = [];
  const value = await retry((_s, attempt) => {
    timeouts.push(attempt);
    if (attempt === 1) throw new DOMException("slow", "TimeoutError");
    return "second time lucky";
  }, fast);
  assert.equal(value, "second time lucky");
  assert.deepEqual(timeouts, [1, 2]);
});

Deno.test("retry: abort", async (t) => {
  await t.step("before start: rejects at once, fn not called", async () => {
    const controller = new AbortController();
    controller.abort(new Error("early"));
    let called = false;
    const error = await retry(() => {
      called = true;
    }, { signal: controller.signal }).catch((e) => e);
    assert.equal(error.message, "early");
    assert.isFalse(called);
  });

  await t.step("during fn: rejects with the reason, no retry", async () => {
    const controller = new AbortController();
    let calls = 0;
    let seen: AbortSignal | undefined;
    const why = new Error("stop");
    const error = await retry((signal) => {
      calls++;
      seen = signal;
      controller.abort(why);
      throw new Error("turned into something else");
    }, { ...fast, signal: controller.signal }).catch((e) => e);
    assert.strictEqual(seen, controller.signal, "fn gets the caller's signal");
    assert.strictEqual(error, why);
    assert.equal(calls, 1);
  });

  await t.step(
    "mid-backoff: the timer is cleared, rejects with the reason",
    async () => {
      using probe = probeAbortListeners();
      const controller = new AbortController();
      const backingOff = deferred<void>();
      let calls = 0;
      const result = track(retry(() => {
        calls++;
        throw new Error("fail");
      }, {
        minDelay: 60_000,
        jitter: "none",
        onRetry: () => backingOff.resolve(),
        signal: controller.signal,
      }));
      await backingOff.promise;
      await flush();
      assert.equal(result.state, "pending");
      const why = new Error("cancelled during backoff");
      controller.abort(why);
      await flush();
      assert.strictEqual(result.reason, why);
      assert.equal(calls, 1);
      assert.equal(probe.count(controller.signal), 0);
    },
  );

  await t.step(
    "while shouldRetry is pending: rejects with the reason",
    async () => {
      const controller = new AbortController();
      const asked = deferred<void>();
      const answer = deferred<boolean>();
      const result = track(retry(() => Promise.reject(new Error("x")), {
        ...fast,
        shouldRetry: () => (asked.resolve(), answer.promise),
        signal: controller.signal,
      }));
      await asked.promise;
      controller.abort(new Error("stop"));
      await flush();
      assert.equal((result.reason as Error).message, "stop");
      answer.resolve(true);
    },
  );
});

Deno.test("retry: without a signal, fn still gets one that never aborts", async () => {
  let seen: AbortSignal | undefined;
  await retry((signal) => {
    seen = signal;
  });
  assert.instanceOf(seen, AbortSignal);
  assert.isFalse(seen!.aborted);
});

Deno.test("retry: bad arguments throw at the call site, before fn is called", () => {
  let called = false;
  const fn = () => {
    called = true;
  };
  // deno-lint-ignore no-explicit-any
  const r = retry as (...args: any[]) => unknown;
  assert.throws(() => r("fn"), TypeError, "retry: fn must be a function");
  assert.throws(
    () => r(fn, { attempts: 0 }),
    RangeError,
    "retry: attempts must be an integer >= 1 (or Infinity), got 0",
  );
  assert.throws(() => r(fn, { attempts: 2.5 }), RangeError, "attempts");
  assert.throws(() => r(fn, { attempts: "3" }), TypeError, "attempts");
  assert.throws(() => r(fn, { minDelay: -1 }), RangeError, "minDelay");
  assert.throws(() => r(fn, { minDelay: Infinity }), RangeError, "minDelay");
  assert.throws(() => r(fn, { maxDelay: NaN }), RangeError, "maxDelay");
  assert.throws(() => r(fn, { factor: 0.5 }), RangeError, "factor");
  assert.throws(() => r(fn, { factor: "2" }), TypeError, "factor");
  assert.throws(() => r(fn, { jitter: "half" }), RangeError, "jitter");
  assert.throws(() => r(fn, { jitter: true }), TypeError, "jitter");
  assert.throws(() => r(fn, { shouldRetry: 1 }), TypeError, "shouldRetry");
  assert.throws(() => r(fn, { onRetry: {} }), TypeError, "onRetry");
  assert.throws(() => r(fn, { signal: 1 }), TypeError, "signal");
  assert.throws(
    () => r(fn, { clock: { now: () => 0 } }),
    TypeError,
    "retry: clock must be a Clock",
  );
  assert.isFalse(called);
});
