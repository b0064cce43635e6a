import { assert } from "chai";
import { CancelScope, deadline, isTimeoutError } from "../../src/cancel/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";
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

Deno.test("deadline rejects with a TimeoutError at exactly ms and leaves the work running", async () => {
  using clock = new TestClock();
  const work = deferred<string>();
  let settled = false;
  const guarded = deadline(work.promise, 5, { clock }).catch((e) => e)
    .finally(() => settled = true);
  await clock.advance(4);
  assert.isFalse(settled);
  await clock.advance(1);
  const error = await guarded;
  assert.isTrue(isTimeoutError(error));
  assert.equal(error.message, "Timed out after 5 ms");
  work.resolve("done later");
  assert.equal(await work.promise, "done later");
});

Deno.test("deadline on the system clock times out in real time", async () => {
  const error = await deadline(new Promise<never>(() => {}), 5)
    .catch((e) => e);
  assert.isTrue(isTimeoutError(error));
});

Deno.test("deadline follows the clock of its signal's scope; settling clears the timer", async () => {
  using clock = new TestClock();
  using scope = new CancelScope({ clock });
  const work = deferred<number>();
  const guarded = deadline(work.promise, 1000, { signal: scope.signal });
  assert.equal(clock.pending, 1);
  work.resolve(7);
  assert.equal(await guarded, 7);
  assert.equal(clock.pending, 0);
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
  using clock = new TestClock({ autojump: true });
  const work = deferred<void>();
  await deadline(work.promise, 1, { clock }).catch(() => {});
  work.reject(new Error("late"));
  await work.promise.catch(() => {});
});

Deno.test("deadline rejects bad arguments", () => {
  assert.throws(
    () => deadline(Promise.resolve(), -3),
    RangeError,
    /deadline: ms.*-3/,
  );
  assert.throws(
    () => deadline(Promise.resolve(), 1, { clock: { setTimer() {} } as never }),
    TypeError,
    "deadline: clock must be a Clock",
  );
});
