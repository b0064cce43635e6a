import { assert } from "chai";
import {
  CancelScope,
  isTimeoutError,
  moveOnAfter,
  sleep,
  withTimeout,
} from "../../src/cancel/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("withTimeout resolves with fn's value before the deadline", async () => {
  assert.equal(await withTimeout(1_000, async () => 42), 42);
  assert.equal(await withTimeout(1_000, () => "sync"), "sync");
});

Deno.test("withTimeout rejects with a TimeoutError when the deadline fires", async () => {
  const error = await withTimeout(10, (signal) => sleep(10_000, { signal }))
    .catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.instanceOf(error, DOMException);
});

Deno.test("withTimeout reports the timeout even if fn turned the abort into another error", async () => {
  const error = await withTimeout(10, async (signal) => {
    try {
      await sleep(10_000, { signal });
    } catch {
      throw new Error("request failed");
    }
  }).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
});

Deno.test("withTimeout passes fn's own errors through", async () => {
  const failure = new Error("own");
  const error = await withTimeout(1_000, () => Promise.reject(failure))
    .catch((e) => e);
  assert.strictEqual(error, failure);
  const thrown = await withTimeout(1_000, () => {
    throw failure;
  }).catch((e) => e);
  assert.strictEqual(thrown, failure);
});

Deno.test("withTimeout waits for fn and keeps a value that arrived after the deadline", async () => {
  using clock = new TestClock({ autojump: true });
  const result = await withTimeout(5, async (signal) => {
    await new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true })
    );
    return `finished anyway at ${clock.now()}`;
  }, { clock });
  assert.equal(result, "finished anyway at 5");
});

Deno.test("withTimeout with an aborted signal rejects at once without calling fn", async () => {
  const reason = new Error("early");
  let called = false;
  const error = await withTimeout(1_000, () => called = true, {
    signal: AbortSignal.abort(reason),
  }).catch((e) => e);
  assert.strictEqual(error, reason);
  assert.isFalse(called);
});

Deno.test("an outer abort mid-way rejects with the outer reason untouched", async () => {
  const controller = new AbortController();
  const started = deferred<void>();
  const run = withTimeout(60_000, async (signal) => {
    started.resolve();
    await sleep(60_000, { signal });
  }, { signal: controller.signal });
  await started.promise;
  const reason = new Error("user cancelled");
  controller.abort(reason);
  assert.strictEqual(await run.catch((e) => e), reason);
});

Deno.test("nested timeouts: only the owning scope converts to TimeoutError", async (t) => {
  await t.step(
    "inner deadline fires: the inner one rejects, the outer passes it on",
    async () => {
      using clock = new TestClock({ autojump: true });
      let innerError: unknown;
      const outerError = await withTimeout(60_000, async (outer) => {
        try {
          await withTimeout(5, (inner) => sleep(60_000, { signal: inner }), {
            signal: outer,
          });
        } catch (e) {
          innerError = e;
          throw e;
        }
      }, { clock }).catch((e) => e);
      assert.isTrue(isTimeoutError(innerError));
      assert.strictEqual(outerError, innerError);
      assert.equal(clock.now(), 5, "the inner scope ran on the outer's clock");
      assert.equal(clock.pending, 0);
    },
  );
  await t.step(
    "outer deadline fires: moveOnAfter inside does not swallow it",
    async () => {
      using clock = new TestClock({ autojump: true });
      let innerResult: unknown = "not reached";
      const error = await withTimeout(5, async (outer) => {
        innerResult = await moveOnAfter(
          60_000,
          (inner) => sleep(60_000, { signal: inner }),
          { signal: outer },
        );
      }, { clock }).catch((e) => e);
      assert.isTrue(isTimeoutError(error));
      assert.equal(error.message, "Timed out after 5 ms");
      assert.equal(innerResult, "not reached");
      assert.equal(clock.now(), 5);
    },
  );
});

Deno.test("moveOnAfter resolves undefined on its own timeout", async () => {
  using clock = new TestClock();
  const moved = moveOnAfter(5, (signal) => sleep(60_000, { signal }), {
    clock,
  });
  await clock.advance(5);
  assert.isUndefined(await moved);
  assert.equal(clock.pending, 0);
  assert.equal(await moveOnAfter(1_000, async () => "value"), "value");
});

Deno.test("moveOnAfter on the system clock times out in real time", async () => {
  assert.isUndefined(
    await moveOnAfter(5, (signal) => sleep(60_000, { signal })),
  );
});

Deno.test("withTimeout fires at exactly ms on its clock, and fn's signal carries the clock", async () => {
  using clock = new TestClock({ now: 100 });
  const woke: number[] = [];
  const run = withTimeout(50, async (signal) => {
    await sleep(30, { signal });
    woke.push(clock.now());
    await sleep(30, { signal });
    woke.push(clock.now());
  }, { clock }).catch((e) => e);
  await clock.advance(49);
  assert.deepEqual(woke, [130]);
  await clock.advance(1);
  const error = await run;
  assert.isTrue(isTimeoutError(error));
  assert.deepEqual(woke, [130]);
  assert.equal(clock.now(), 150);
});

Deno.test("withTimeout inherits the clock of its signal's scope", async () => {
  using clock = new TestClock({ autojump: true });
  using scope = new CancelScope({ clock });
  const error = await withTimeout(
    2000,
    (signal) => sleep(5000, { signal }),
    { signal: scope.signal },
  ).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.equal(clock.now(), 2000);
});

Deno.test("moveOnAfter passes fn's own errors through", async () => {
  const failure = new Error("own");
  assert.strictEqual(
    await moveOnAfter(1_000, () => Promise.reject(failure)).catch((e) => e),
    failure,
  );
});

Deno.test("withTimeout(0) rejects at once without calling fn", async () => {
  let called = false;
  const error = await withTimeout(0, () => called = true).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.isFalse(called);
});

Deno.test("timeouts leave no listener on the outer signal", async () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  for (let i = 0; i < 100; i++) {
    await withTimeout(1_000, async () => i, { signal: controller.signal });
    await moveOnAfter(0, () => i, { signal: controller.signal });
  }
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("withTimeout and moveOnAfter reject bad arguments synchronously", () => {
  assert.throws(
    () => withTimeout(-1, () => 1),
    RangeError,
    /withTimeout: ms.*-1/,
  );
  assert.throws(
    () => withTimeout(1, "fn" as never),
    TypeError,
    /withTimeout: fn must be a function, got "fn"/,
  );
  assert.throws(
    () => withTimeout(1, () => 1, { clock: {} as never }),
    TypeError,
    "withTimeout: clock must be a Clock",
  );
  assert.throws(
    () => moveOnAfter(1, () => 1, { clock: 1 as never }),
    TypeError,
    "moveOnAfter: clock must be a Clock",
  );
  assert.throws(() => moveOnAfter(NaN, () => 1), RangeError, /moveOnAfter: ms/);
  assert.throws(
    () => moveOnAfter(1, () => 1, { signal: "s" as never }),
    TypeError,
    /signal/,
  );
});
