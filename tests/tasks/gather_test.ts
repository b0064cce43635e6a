import { assert } from "chai";
import { gather, TaskGroupError } from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, stubborn, track, untilAborted } from "./_combinators.ts";

Deno.test("gather resolves with the values in input order, not completion order", async () => {
  const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
  const result = track(gather(gates.map((g) => () => g.promise)));
  gates[2].resolve("c");
  gates[0].resolve("a");
  await flush();
  assert.equal(result.state, "pending");
  gates[1].resolve("b");
  await flush();
  assert.deepEqual(result.value, ["a", "b", "c"]);
});

Deno.test("gather accepts plain values, sync functions, iterables and nothing", async () => {
  const [n, s] = await gather([() => 1, () => Promise.resolve("two")]);
  assert.equal(n + 1, 2);
  assert.equal(s.toUpperCase(), "TWO");
  assert.deepEqual(await gather(new Set([() => 1, () => 2])), [1, 2]);
  assert.deepEqual(await gather([]), []);
});

Deno.test("gather: a sync throw is a failure like any other", async () => {
  const other = stubborn();
  const result = gather([other.fn, () => {
    throw new Error("sync");
  }]);
  await flush();
  assert.isTrue(other.signal!.aborted);
  other.gate.resolve("late");
  assert.equal((await result.catch((e) => e)).message, "sync");
});

Deno.test("gather: the first failure aborts the rest and waits for them, then rejects with it", async () => {
  const first = stubborn(); // ignores its signal for a while
  const boom = new Error("second failed");
  const failing = deferred<never>();
  const result = track(gather([first.fn, () => failing.promise]));
  await flush();
  assert.isFalse(first.signal!.aborted);
  failing.reject(boom);
  await flush();
  assert.isTrue(first.signal!.aborted);
  assert.strictEqual(first.signal!.reason, boom);
  assert.equal(result.state, "pending", "still waiting for the first fn");
  first.gate.resolve("finished anyway");
  await flush();
  assert.equal(result.state, "rejected");
  assert.strictEqual(result.reason, boom, "the error itself, not an aggregate");
  assert.notInstanceOf(result.reason, TaskGroupError);
});

Deno.test("gather rejects with the first error even when others fail after it", async () => {
  const first = new Error("first");
  const error = await gather([
    () => Promise.reject(first),
    async (signal) => {
      await untilAborted(signal).catch(() => {});
      throw new Error("later, while cleaning up");
    },
  ]).catch((e) => e);
  assert.strictEqual(error, first);
});

Deno.test("gather: limit bounds how many run at once; the rest start in order", async () => {
  const gates = Array.from({ length: 5 }, () => deferred<number>());
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const result = track(gather(
    gates.map((gate, i) => async () => {
      started.push(i);
      most = Math.max(most, ++running);
      const value = await gate.promise;
      running--;
      return value;
    }),
    { limit: 2 },
  ));
  await flush();
  assert.deepEqual(started, [0, 1]);
  gates[1].resolve(1);
  await flush();
  assert.deepEqual(started, [0, 1, 2]);
  for (const [i, gate] of gates.entries()) gate.resolve(i);
  await flush();
  assert.deepEqual(result.value, [0, 1, 2, 3, 4]);
  assert.equal(most, 2);
});

Deno.test("gather: abort", async (t) => {
  await t.step("before start: rejects at once, calls nothing", async () => {
    const controller = new AbortController();
    const why = new Error("why");
    controller.abort(why);
    let called = false;
    const error = await gather([() => {
      called = true;
    }], { signal: controller.signal }).catch((e) => e);
    assert.strictEqual(error, why);
    assert.isFalse(called);
  });

  await t.step(
    "mid-way: aborts every fn, waits for them, rejects with the reason",
    async () => {
      using probe = probeAbortListeners();
      const controller = new AbortController();
      const slow = stubborn();
      const result = track(gather([slow.fn, untilAborted], {
        signal: controller.signal,
      }));
      await flush();
      const why = new Error("caller left");
      controller.abort(why);
      await flush();
      assert.strictEqual(slow.signal!.reason, why);
      assert.equal(result.state, "pending");
      slow.gate.resolve("done");
      await flush();
      assert.strictEqual(result.reason, why);
      assert.equal(probe.count(controller.signal), 0);
    },
  );

  await t.step(
    "after it settled: nothing happens, no listener is left",
    async () => {
      using probe = probeAbortListeners();
      const controller = new AbortController();
      assert.deepEqual(
        await gather([() => 1], { signal: controller.signal }),
        [1],
      );
      assert.equal(probe.count(controller.signal), 0);
      controller.abort();
    },
  );

  await t.step(
    "by a fn itself, synchronously: later fns are not called",
    async () => {
      const controller = new AbortController();
      let lateCalled = false;
      const slow = stubborn();
      const result = track(gather([
        slow.fn,
        () => controller.abort(new Error("stop")),
        () => {
          lateCalled = true;
        },
      ], { signal: controller.signal }));
      await flush();
      assert.isFalse(lateCalled);
      assert.equal(result.state, "pending", "waits for the started fn");
      slow.gate.resolve("x");
      await flush();
      assert.equal((result.reason as Error).message, "stop");
    },
  );
});

Deno.test("gather: bad arguments throw at the call site, before anything starts", () => {
  let called = false;
  const fn = () => {
    called = true;
  };
  // deno-lint-ignore no-explicit-any
  const g = gather as (...args: any[]) => unknown;
  assert.throws(() => g(42), TypeError, "gather: fns must be an iterable");
  assert.throws(() => g([fn, "nope"]), TypeError, "fns[1] must be a function");
  assert.throws(() => g([fn], { limit: 0 }), RangeError, "gather: limit");
  assert.throws(() => g([fn], { limit: 1.5 }), RangeError, "got 1.5");
  assert.throws(() => g([fn], { signal: {} }), TypeError, "signal");
  assert.throws(() => g([fn], 3), TypeError, "options");
  assert.isFalse(called);
});
