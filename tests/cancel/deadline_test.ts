import { assert } from "chai";
import { deadline, isTimeoutError } from "../../src/cancel/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("deadline settles like the promise before the deadline", async () => {
  assert.equal(await deadline(Promise.resolve(1), 1_000), 1);
  const failure = new Error("x");
  assert.strictEqual(
    await deadline(Promise.reject(failure), 1_000).catch((e) => e),
    failure,
  );
  // The 1 s timers must be cleared, or the sanitizers fail this test.
});

Deno.test("deadline rejects with a TimeoutError and leaves the work running", async () => {
  const work = deferred<string>();
  const error = await deadline(work.promise, 5).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  work.resolve("done later");
  assert.equal(await work.promise, "done later");
});

Deno.test("deadline rejects with the reason on abort, before or during", async () => {
  using probe = probeAbortListeners();
  const reason = new Error("abort");
  const never = new Promise<never>(() => {});
  assert.strictEqual(
    await deadline(never, 1_000, { signal: AbortSignal.abort(reason) })
      .catch((e) => e),
    reason,
  );
  const controller = new AbortController();
  const pending = deadline(never, 60_000, { signal: controller.signal });
  controller.abort(reason);
  assert.strictEqual(await pending.catch((e) => e), reason);
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("deadline handles a rejection that arrives after the deadline", async () => {
  const work = deferred<void>();
  await deadline(work.promise, 1).catch(() => {});
  work.reject(new Error("late"));
  await work.promise.catch(() => {});
});

Deno.test("deadline rejects bad arguments", () => {
  assert.throws(
    () => deadline(Promise.resolve(), -3),
    RangeError,
    /deadline: ms.*-3/,
  );
});
