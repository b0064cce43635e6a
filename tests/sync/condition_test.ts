import { assert } from "chai";
import { Condition, Mutex } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

Deno.test("Condition: wait releases the lock and retakes it before returning", async () => {
  const cond = new Condition();
  const permit = await cond.acquire();
  const waiting = track(cond.wait());
  assert.isFalse(cond.locked); // released while waiting
  const other = await cond.acquire();
  cond.notify();
  await flush();
  assert.equal(waiting.state, "pending"); // notified, but the lock is held
  other.release();
  await flush();
  assert.equal(waiting.state, "fulfilled");
  assert.isTrue(cond.locked); // retaken, on behalf of the first permit
  permit.release();
  assert.isFalse(cond.locked);
});

Deno.test("Condition: notify(n) wakes the oldest n; notifyAll wakes the rest", async () => {
  const cond = new Condition();
  const order: number[] = [];
  const waiters = [0, 1, 2, 3].map((i) =>
    cond.run(async () => {
      await cond.wait();
      order.push(i);
    })
  );
  await flush();
  assert.equal(cond.waiting, 4);
  await cond.run(() => cond.notify(2));
  await Promise.all(waiters.slice(0, 2));
  assert.deepEqual(order, [0, 1]);
  await cond.run(() => cond.notify(0));
  assert.equal(cond.waiting, 2);
  await cond.run(() => cond.notifyAll());
  await Promise.all(waiters);
  assert.deepEqual(order, [0, 1, 2, 3]);
});

Deno.test("Condition: waitFor rechecks the predicate after each notification", async () => {
  const cond = new Condition();
  let value = 0;
  let checks = 0;
  const waiter = cond.run(() =>
    cond.waitFor(() => {
      checks++;
      return value >= 3 ? `value ${value}` : "";
    })
  );
  for (let i = 0; i < 3; i++) {
    await cond.run(() => {
      value++;
      cond.notifyAll();
    });
  }
  assert.equal(await waiter, "value 3");
  assert.equal(checks, 4);
  // Already true: no wait at all.
  assert.equal(await cond.run(() => cond.waitFor(() => 42)), 42);
});

Deno.test("Condition: an abort while waiting retakes the lock, then rejects", async () => {
  using probe = probeAbortListeners();
  const cond = new Condition();
  const controller = new AbortController();
  const why = reason();
  const blocker = track(cond.run(() => cond.wait()));
  let lockedAtRejection: boolean | undefined;
  const aborted = track(cond.run(async () => {
    try {
      await cond.wait({ signal: controller.signal });
    } finally {
      lockedAtRejection = cond.locked;
    }
  }));
  await flush();
  assert.equal(cond.waiting, 2);
  const holder = await cond.acquire();
  controller.abort(why);
  await flush();
  assert.equal(aborted.state, "pending"); // must retake the lock first
  assert.equal(cond.waiting, 1); // only the aborted waiter left
  holder.release();
  await flush();
  assert.strictEqual(aborted.reason, why);
  assert.isTrue(lockedAtRejection);
  await cond.run(() => cond.notify());
  await blocker.promise;
  assert.isFalse(cond.locked);
  assert.equal(probe.count(), 0);
  // Already aborted: rejects at once, keeping the lock.
  const permit = await cond.acquire();
  assert.strictEqual(
    await cond.wait({ signal: controller.signal }).catch((e) => e),
    why,
  );
  assert.isTrue(cond.locked);
  permit.release();
});

Deno.test("Condition: a notified waiter that is aborted afterwards still returns normally", async () => {
  const cond = new Condition();
  const controller = new AbortController();
  const waiter = track(
    cond.run(() => cond.wait({ signal: controller.signal })),
  );
  await flush();
  const permit = await cond.acquire();
  cond.notify();
  controller.abort();
  permit.release();
  await flush();
  assert.equal(waiter.state, "fulfilled");
});

Deno.test("Condition: shares a Mutex; requires the lock; bad arguments", async () => {
  const mutex = new Mutex();
  const a = new Condition(mutex);
  const b = new Condition(mutex);
  assert.strictEqual(a.mutex, mutex);
  const permit = await mutex.acquire();
  assert.isTrue(a.locked && b.locked);
  permit.release();
  assert.throws(() => a.wait(), Error, /not held/);
  assert.throws(() => a.waitFor(() => true), Error, /not held/);
  assert.throws(() => a.notify(), Error, /not held/);
  assert.throws(() => a.notifyAll(), Error, /not held/);
  assert.throws(() => new Condition({} as Mutex), TypeError, /mutex/);
  await a.run(() => {
    assert.throws(() => a.notify(-1), RangeError, /n/);
    assert.throws(() => a.notify(1.5), RangeError, /n/);
    assert.throws(() => a.waitFor("x" as never), TypeError, /predicate/);
    assert.throws(() => a.wait({ signal: 3 as never }), TypeError, /signal/);
  });
  assert.isFalse(mutex.locked);
});
