import { assert } from "chai";
import { TaskGroup, wait } from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, track, untilAborted } from "./_combinators.ts";

Deno.test("wait: all-completed (the default) waits for everything and never rejects", async () => {
  const a = deferred<number>();
  const b = deferred<number>();
  const result = track(wait([a.promise, b.promise]));
  b.reject(new Error("b failed"));
  await flush();
  assert.equal(result.state, "pending");
  a.resolve(1);
  await flush();
  assert.deepEqual(result.value, { done: [a.promise, b.promise], pending: [] });
});

Deno.test("wait: first-completed returns at the first settlement, either way", async (t) => {
  await t.step("a fulfilment", async () => {
    const a = deferred<number>();
    const b = deferred<number>();
    const result = track(wait([a.promise, b.promise], {
      returnWhen: "first-completed",
    }));
    await flush();
    assert.equal(result.state, "pending");
    b.resolve(2);
    await flush();
    assert.deepEqual(result.value, { done: [b.promise], pending: [a.promise] });
  });
  await t.step("a rejection", async () => {
    const a = deferred<number>();
    const failed = Promise.reject(new Error("no"));
    const { done, pending } = await wait([a.promise, failed], {
      returnWhen: "first-completed",
    });
    assert.deepEqual(done, [failed]);
    assert.deepEqual(pending, [a.promise]);
  });
});

Deno.test("wait: first-error", async (t) => {
  await t.step(
    "skips fulfilments and returns at the first rejection",
    async () => {
      const a = deferred<number>();
      const b = deferred<number>();
      const c = deferred<number>();
      const result = track(wait([a.promise, b.promise, c.promise], {
        returnWhen: "first-error",
      }));
      a.resolve(1);
      await flush();
      assert.equal(result.state, "pending");
      c.reject(new Error("c"));
      await flush();
      assert.deepEqual(result.value, {
        done: [a.promise, c.promise],
        pending: [b.promise],
      });
    },
  );
  await t.step("is all-completed when nothing fails", async () => {
    const all = [Promise.resolve(1), Promise.resolve(2)];
    const { done, pending } = await wait(all, { returnWhen: "first-error" });
    assert.deepEqual(done, all);
    assert.deepEqual(pending, []);
  });
  await t.step(
    "a cancelled Task is not an error; a rejected one is",
    async () => {
      const group = new TaskGroup();
      const cancelled = group.spawn(untilAborted);
      const gate = deferred<never>();
      const failing = group.spawn(() => gate.promise);
      const other = group.spawn(untilAborted);
      const result = track(wait([cancelled, failing, other], {
        returnWhen: "first-error",
      }));
      cancelled.cancel();
      await flush();
      assert.equal(cancelled.state, "cancelled");
      assert.equal(result.state, "pending");
      gate.reject(new Error("real failure"));
      await flush();
      assert.equal(failing.state, "rejected");
      assert.deepEqual(result.value, {
        done: [cancelled, failing],
        pending: [other],
      });
      const error = await group.wait().catch((e) => e);
      assert.equal(error.errors[0].message, "real failure");
    },
  );
});

Deno.test("wait: a timeout returns what is done so far, without throwing or cancelling", async () => {
  const group = new TaskGroup();
  const quick = group.spawn(() => 1);
  const slow = group.spawn(untilAborted);
  const { done, pending } = await wait([quick, slow], { timeout: 1 });
  assert.deepEqual(done, [quick]);
  assert.deepEqual(pending, [slow]);
  assert.equal(slow.state, "pending");
  assert.isFalse(slow.signal.aborted);
  group.cancel();
  await group.wait();
});

Deno.test("wait: the timer is cleared when it returns early (sanitizers check)", async () => {
  const { done } = await wait([Promise.resolve(1)], { timeout: 60_000 });
  assert.lengthOf(done, 1);
});

Deno.test("wait: nothing to wait for resolves at once", async () => {
  assert.deepEqual(await wait([]), { done: [], pending: [] });
});

Deno.test("wait: abort", async (t) => {
  await t.step("before start: rejects at once", async () => {
    const controller = new AbortController();
    controller.abort(new Error("early"));
    const never = new Promise(() => {});
    const error = await wait([never], { signal: controller.signal })
      .catch((e) => e);
    assert.equal(error.message, "early");
  });
  await t.step(
    "mid-way: rejects with the reason, leaves the tasks alone, cleans up",
    async () => {
      using probe = probeAbortListeners();
      const controller = new AbortController();
      const group = new TaskGroup();
      const task = group.spawn(untilAborted);
      const result = track(wait([task], {
        signal: controller.signal,
        timeout: 60_000,
      }));
      await flush();
      assert.equal(probe.count(controller.signal), 1);
      const why = new Error("stop waiting");
      controller.abort(why);
      await flush();
      assert.strictEqual(result.reason, why);
      assert.equal(task.state, "pending");
      assert.equal(probe.count(controller.signal), 0);
      group.cancel();
      await group.wait();
    },
  );
  await t.step("after it settled: the listener is gone", async () => {
    using probe = probeAbortListeners();
    const controller = new AbortController();
    await wait([Promise.resolve(1)], { signal: controller.signal });
    assert.equal(probe.count(controller.signal), 0);
    controller.abort();
  });
});

Deno.test("wait: bad arguments throw at the call site", () => {
  // deno-lint-ignore no-explicit-any
  const w = wait as (...args: any[]) => unknown;
  const p = Promise.resolve(1);
  assert.throws(() => w(p), TypeError, "wait: tasks must be an iterable");
  assert.throws(
    () => w([p, () => p]),
    TypeError,
    "wait: tasks[1] must be a task or a promise, got a function",
  );
  assert.throws(
    () => w([p], { returnWhen: "first" }),
    RangeError,
    'returnWhen must be one of "first-completed", "first-error", "all-completed"',
  );
  assert.throws(() => w([p], { returnWhen: 1 }), TypeError, "returnWhen");
  assert.throws(() => w([p], { timeout: -1 }), RangeError, "timeout");
  assert.throws(() => w([p], { timeout: "1" }), TypeError, "timeout");
  assert.throws(() => w([p], { signal: true }), TypeError, "signal");
});
