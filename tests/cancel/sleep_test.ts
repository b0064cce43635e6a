import { assert } from "chai";
import { isAbortError, sleep } from "../../src/cancel/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("sleep resolves after the delay", async () => {
  const started = Date.now();
  await sleep(20);
  // Timers may fire a little early by clock rounding, never much.
  assert.isAtLeast(Date.now() - started, 15);
});

Deno.test("sleep(0) resolves", async () => {
  assert.isUndefined(await sleep(0));
});

Deno.test("sleep rejects at once with the reason of an already-aborted signal", async () => {
  const reason = new Error("already");
  const error = await sleep(10_000, { signal: AbortSignal.abort(reason) })
    .catch((e) => e);
  assert.strictEqual(error, reason);
});

Deno.test("sleep rejects with the abort reason mid-way and clears its timer", async () => {
  const controller = new AbortController();
  const nap = sleep(10_000, { signal: controller.signal });
  const reason = { custom: true };
  controller.abort(reason);
  assert.strictEqual(await nap.catch((e) => e), reason);
  // The sanitizers fail this test if the 10 s timer were still pending.
});

Deno.test("sleep rejects with an AbortError by default", async () => {
  const controller = new AbortController();
  const nap = sleep(10_000, { signal: controller.signal });
  controller.abort();
  const error = await nap.catch((e) => e);
  assert.isTrue(isAbortError(error));
  assert.instanceOf(error, DOMException);
});

Deno.test("aborting after sleep settled changes nothing", async () => {
  const controller = new AbortController();
  await sleep(1, { signal: controller.signal });
  controller.abort();
});

Deno.test("sleep(Infinity) waits until aborted", async () => {
  const controller = new AbortController();
  const nap = sleep(Infinity, { signal: controller.signal });
  let settled = false;
  nap.then(() => settled = true, () => settled = true);
  await sleep(5);
  assert.isFalse(settled);
  controller.abort();
  assert.isTrue(isAbortError(await nap.catch((e) => e)));
});

Deno.test("sleep chains delays above 2^31-1 ms instead of firing at once", async () => {
  const controller = new AbortController();
  const nap = sleep(2 ** 31 + 10, { signal: controller.signal });
  let settled = false;
  nap.then(() => settled = true, () => settled = true);
  await sleep(5);
  assert.isFalse(settled);
  controller.abort();
  await nap.catch(() => {});
});

Deno.test("a long-lived signal used for 10,000 sleeps keeps no listeners", async () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  const signal = controller.signal;
  // In concurrent batches: one timer tick per batch rather than per sleep,
  // within workerd's limit of 10,000 live timers per request.
  for (let batch = 0; batch < 10; batch++) {
    const sleeps = Array.from({ length: 1_000 }, () => sleep(0, { signal }));
    // Pending waits share one listener per signal.
    assert.equal(probe.count(signal), 1);
    await Promise.all(sleeps);
  }
  assert.equal(probe.count(signal), 0);
  const pending = Array.from({ length: 100 }, () => sleep(10_000, { signal }));
  assert.equal(probe.count(signal), 1);
  controller.abort();
  await Promise.allSettled(pending);
  assert.equal(probe.count(signal), 0);
});

Deno.test("sleep rejects bad arguments synchronously, naming the parameter", () => {
  assert.throws(() => sleep(-1), RangeError, /sleep: ms .*-1/);
  assert.throws(() => sleep(NaN), RangeError, /sleep: ms .*NaN/);
  assert.throws(() => sleep("5" as unknown as number), TypeError, /ms.*"5"/);
  assert.throws(
    () => sleep(1, { signal: {} as AbortSignal }),
    TypeError,
    /signal must be an AbortSignal/,
  );
  assert.throws(() => sleep(1, 5 as never), TypeError, /options/);
});
