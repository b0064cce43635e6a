import { assert } from "chai";
import {
  isTimeoutError,
  moveOnAfter,
  sleep,
  withTimeout,
} from "../../src/cancel/mod.ts";
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
  const result = await withTimeout(5, async (signal) => {
    await new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true })
    );
    return "finished anyway";
  });
  assert.equal(result, "finished anyway");
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
      }).catch((e) => e);
      assert.isTrue(isTimeoutError(innerError));
      assert.strictEqual(outerError, innerError);
    },
  );
  await t.step(
    "outer deadline fires: moveOnAfter inside does not swallow it",
    async () => {
      let innerResult: unknown = "not reached";
      const error = await withTimeout(5, async (outer) => {
        innerResult = await moveOnAfter(
          60_000,
          (inner) => sleep(60_000, { signal: inner }),
          { signal: outer },
        );
      }).catch((e) => e);
      assert.isTrue(isTimeoutError(error));
      assert.equal(innerResult, "not reached");
    },
  );
});

Deno.test("moveOnAfter resolves undefined on its own timeout", async () => {
  assert.isUndefined(
    await moveOnAfter(5, (signal) => sleep(60_000, { signal })),
  );
  assert.equal(await moveOnAfter(1_000, async () => "value"), "value");
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
  assert.throws(() => moveOnAfter(NaN, () => 1), RangeError, /moveOnAfter: ms/);
  assert.throws(
    () => moveOnAfter(1, () => 1, { signal: "s" as never }),
    TypeError,
    /signal/,
  );
});
