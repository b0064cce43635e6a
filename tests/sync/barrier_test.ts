import { assert } from "chai";
import { Barrier, BrokenBarrierError } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

Deno.test("Barrier: releases a round with arrival indices, then is reusable", async () => {
  const barrier = new Barrier(3);
  assert.equal(barrier.parties, 3);
  const first = [track(barrier.wait()), track(barrier.wait())];
  await flush();
  assert.deepEqual(first.map((w) => w.state), ["pending", "pending"]);
  assert.equal(barrier.waiting, 2);
  assert.equal(await barrier.wait(), 2);
  await flush();
  assert.deepEqual(first.map((w) => w.value), [0, 1]);
  assert.equal(barrier.waiting, 0);
  assert.deepEqual(
    await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]),
    [0, 1, 2],
  );
  assert.equal(await new Barrier(1).wait(), 0);
});

Deno.test("Barrier: an aborted waiter leaves without breaking the barrier", async () => {
  using probe = probeAbortListeners();
  const barrier = new Barrier(2);
  const controller = new AbortController();
  const why = reason();
  const aborted = track(barrier.wait({ signal: controller.signal }));
  controller.abort(why);
  await flush();
  assert.strictEqual(aborted.reason, why);
  assert.equal(barrier.waiting, 0);
  assert.isFalse(barrier.broken);
  assert.deepEqual(await Promise.all([barrier.wait(), barrier.wait()]), [0, 1]);
  assert.strictEqual(
    await barrier.wait({ signal: controller.signal }).catch((e) => e),
    why,
  );
  assert.equal(barrier.waiting, 0);
  const late = new AbortController();
  await Promise.all([barrier.wait({ signal: late.signal }), barrier.wait()]);
  late.abort(); // after settle: harmless
  assert.equal(probe.count(), 0);
});

Deno.test("Barrier: abort breaks current and later waits until reset", async () => {
  const barrier = new Barrier(3);
  const waiting = track(barrier.wait());
  barrier.abort();
  await flush();
  assert.instanceOf(waiting.reason, BrokenBarrierError);
  assert.isTrue(barrier.broken);
  assert.instanceOf(await barrier.wait().catch((e) => e), BrokenBarrierError);
  barrier.reset();
  assert.isFalse(barrier.broken);
  assert.deepEqual(
    await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]),
    [0, 1, 2],
  );
});

Deno.test("Barrier: reset rejects the current round's waiters", async () => {
  const barrier = new Barrier(2);
  const waiting = track(barrier.wait());
  barrier.reset();
  await flush();
  assert.instanceOf(waiting.reason, BrokenBarrierError);
  assert.equal((waiting.reason as Error).name, "BrokenBarrierError");
  assert.isFalse(barrier.broken);
});

Deno.test("Barrier: bad arguments throw at the call site", () => {
  for (const bad of [0, -2, 1.5, NaN, Infinity]) {
    assert.throws(() => new Barrier(bad), RangeError, /parties/);
  }
  assert.throws(() => new Barrier("2" as never), TypeError, /parties/);
  assert.throws(
    () => new Barrier(2).wait({ signal: {} as never }),
    TypeError,
    /signal/,
  );
});
