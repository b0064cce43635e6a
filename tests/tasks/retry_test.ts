import { assert } from "chai";
import { retry } from "../../src/tasks/mod.ts";
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
  const { fn } = flaky(5);
  const seen: [string, number, number][] = [];
  assert.equal(
    await retry(fn, {
      attempts: 6,
      minDelay: 1,
      maxDelay: 5,
      factor: 2,
      jitter: "none",
      onRetry: (error, attempt, delay) =>
        seen.push([(error as Error).message, attempt, delay]),
    }),
    "ok",
  );
  assert.deepEqual(seen, [
    ["fail 1", 1, 1],
    ["fail 2", 2, 2],
    ["fail 3", 3, 4],
    ["fail 4", 4, 5],
    ["fail 5", 5, 5],
  ]);
});

Deno.test("retry: full jitter keeps every delay within [0, min(maxDelay, bound)]", async () => {
  const { fn } = flaky(7);
  const delays: number[] = [];
  await retry(fn, {
    attempts: 8,
    minDelay: 1,
    maxDelay: 3,
    factor: 3,
    onRetry: (_e, _a, delay) => delays.push(delay),
  });
  const bounds = [1, 3, 3, 3, 3, 3, 3];
  assert.lengthOf(delays, 7);
  delays.forEach((delay, i) => {
    assert.isAtLeast(delay, 0);
    assert.isAtMost(delay, bounds[i]);
  });
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
  assert.isFalse(called);
});
