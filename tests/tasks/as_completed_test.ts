import { assert } from "chai";
import { asCompleted } from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, stubborn, track, untilAborted } from "./_combinators.ts";

const gates = (n: number) =>
  Array.from({ length: n }, () => deferred<number>());

Deno.test("asCompleted is lazy: nothing starts before the first next()", async () => {
  let calls = 0;
  const it = asCompleted([() => ++calls, () => ++calls]);
  await flush();
  assert.equal(calls, 0);
  const first = await it.next();
  assert.equal(calls, 2);
  assert.isFalse(first.done);
  assert.isFalse((await it.next()).done);
  assert.isTrue((await it.next()).done);
  assert.isTrue((await it.next()).done, "stays done");
});

Deno.test("asCompleted yields values in completion order, undefined included", async () => {
  const g = gates(3);
  const it = asCompleted<number | undefined>([
    () => g[0].promise,
    () => g[1].promise,
    () => g[2].promise,
    () => Promise.resolve(undefined),
  ]);
  const seen: (number | undefined)[] = [];
  const done = (async () => {
    for await (const value of it) seen.push(value);
  })();
  await flush();
  g[2].resolve(2);
  await flush();
  g[0].resolve(0);
  await flush();
  g[1].resolve(1);
  await done;
  assert.deepEqual(seen, [undefined, 2, 0, 1]);
});

Deno.test("asCompleted: break aborts and awaits what is still running", async () => {
  using probe = probeAbortListeners();
  const outer = new AbortController();
  const slow = stubborn<number>();
  let exited = false;
  const loop = (async () => {
    for await (
      const value of asCompleted([
        () => Promise.resolve(1),
        slow.fn,
        untilAborted,
      ], {
        signal: outer.signal,
      })
    ) {
      assert.equal(value, 1);
      break;
    }
    exited = true;
  })();
  await flush();
  assert.isTrue(slow.signal!.aborted, "break aborted the rest");
  assert.isFalse(exited, "the loop's exit waits for the stubborn fn");
  slow.gate.resolve(2); // its value is discarded
  await loop;
  assert.isTrue(exited);
  assert.equal(probe.count(outer.signal), 0);
});

Deno.test("asCompleted: return() before next() starts nothing", async () => {
  let called = false;
  const it = asCompleted([() => {
    called = true;
  }]);
  assert.deepEqual(await it.return!(), { done: true, value: undefined });
  assert.isTrue((await it.next()).done);
  assert.isFalse(called);
});

Deno.test("asCompleted: return() settles a pending next() as done", async () => {
  const slow = stubborn<number>();
  const it = asCompleted([slow.fn]);
  const pending = track(it.next());
  await flush();
  const returned = track(it.return!());
  await flush();
  assert.equal(pending.state, "pending", "both wait for the fn to settle");
  assert.equal(returned.state, "pending");
  slow.gate.resolve(1);
  await flush();
  assert.deepEqual(pending.value, { done: true, value: undefined });
  assert.deepEqual(returned.value, { done: true, value: undefined });
});

Deno.test("asCompleted: throw() aborts the rest and rejects with the error", async () => {
  const it = asCompleted([untilAborted, () => Promise.resolve(1)]);
  assert.equal((await it.next()).value, 1);
  const error = new Error("consumer failed");
  assert.strictEqual(await it.throw!(error).catch((e) => e), error);
  assert.isTrue((await it.next()).done);
});

Deno.test("asCompleted: await using disposes the iterator", async () => {
  let aborted = false;
  {
    await using it = asCompleted([async (signal) => {
      await untilAborted(signal).catch(() => (aborted = true));
      return 0;
    }, () => Promise.resolve(1)]);
    assert.equal((await it.next()).value, 1);
  }
  assert.isTrue(aborted);
});

Deno.test("asCompleted: a failure comes after earlier values, aborts the rest, waits for them", async () => {
  const g = gates(2);
  const slow = stubborn<number>();
  const it = asCompleted([() => g[0].promise, () => g[1].promise, slow.fn]);
  const first = track(it.next());
  g[0].resolve(10);
  await flush();
  const boom = new Error("boom");
  g[1].reject(boom);
  await flush();
  assert.isTrue(slow.signal!.aborted);
  assert.deepEqual(first.value, { done: false, value: 10 });
  const second = track(it.next());
  await flush();
  assert.equal(second.state, "pending", "waits for the stubborn fn");
  slow.gate.resolve(3); // completes after the failure: discarded
  await flush();
  assert.strictEqual(second.reason, boom);
  assert.isTrue((await it.next()).done);
});

Deno.test("asCompleted: values that completed before the failure are still yielded", async () => {
  const g = gates(2);
  const it = asCompleted([() => g[0].promise, () => g[1].promise]);
  const first = track(it.next());
  await flush();
  g[0].resolve(1);
  g[1].reject(new Error("late failure"));
  await flush();
  assert.deepEqual(first.value, { done: false, value: 1 });
  const error = await it.next().catch((e) => e);
  assert.equal(error.message, "late failure");
});

Deno.test("asCompleted: limit counts running and unconsumed results (a slow consumer holds work back)", async () => {
  const started: number[] = [];
  const g = gates(4);
  const it = asCompleted(
    g.map((gate, i) => () => {
      started.push(i);
      return gate.promise;
    }),
    { limit: 2 },
  );
  const first = track(it.next());
  await flush();
  assert.deepEqual(started, [0, 1]);
  g[1].resolve(1);
  await flush();
  assert.deepEqual(first.value, { done: false, value: 1 });
  assert.deepEqual(started, [0, 1, 2], "a slot freed when 1 was consumed");
  g[2].resolve(2);
  g[0].resolve(0);
  await flush();
  assert.deepEqual(started, [0, 1, 2], "two results wait for the consumer");
  assert.equal((await it.next()).value, 2);
  await flush();
  assert.deepEqual(started, [0, 1, 2, 3]);
  g[3].resolve(3);
  assert.equal((await it.next()).value, 0);
  assert.equal((await it.next()).value, 3);
  assert.isTrue((await it.next()).done);
});

Deno.test("asCompleted: concurrent next() calls are served in order", async () => {
  const g = gates(2);
  const it = asCompleted([() => g[0].promise, () => g[1].promise]);
  const a = track(it.next());
  const b = track(it.next());
  const c = track(it.next());
  g[1].resolve(1);
  await flush();
  assert.deepEqual(a.value, { done: false, value: 1 });
  assert.equal(b.state, "pending");
  g[0].resolve(0);
  await flush();
  assert.deepEqual(b.value, { done: false, value: 0 });
  assert.deepEqual(c.value, { done: true, value: undefined });
});

Deno.test("asCompleted: abort", async (t) => {
  await t.step(
    "before start: the first next() rejects, nothing is called",
    async () => {
      const controller = new AbortController();
      controller.abort(new Error("early"));
      let called = false;
      const it = asCompleted([() => {
        called = true;
      }], { signal: controller.signal });
      assert.equal((await it.next().catch((e) => e)).message, "early");
      assert.isTrue((await it.next()).done);
      assert.isFalse(called);
    },
  );

  await t.step(
    "mid-way: aborts, waits, rejects a pending next() with the reason",
    async () => {
      using probe = probeAbortListeners();
      const controller = new AbortController();
      const slow = stubborn<number>();
      const it = asCompleted([slow.fn, untilAborted], {
        signal: controller.signal,
      });
      const pending = track(it.next());
      await flush();
      const why = new Error("stop");
      controller.abort(why);
      await flush();
      assert.strictEqual(slow.signal!.reason, why);
      assert.equal(pending.state, "pending");
      slow.gate.resolve(1);
      await flush();
      assert.strictEqual(pending.reason, why);
      assert.equal(probe.count(controller.signal), 0);
    },
  );

  await t.step(
    "with results unconsumed: the next next() rejects (level-triggered)",
    async () => {
      const controller = new AbortController();
      const it = asCompleted([
        () => Promise.resolve(1),
        () => Promise.resolve(2),
      ], {
        signal: controller.signal,
      });
      assert.equal((await it.next()).value, 1);
      controller.abort(new Error("stop"));
      assert.equal((await it.next().catch((e) => e)).message, "stop");
    },
  );

  await t.step("after completion: no listener is left", async () => {
    using probe = probeAbortListeners();
    const controller = new AbortController();
    const seen: number[] = [];
    for await (
      const v of asCompleted([() => 1], { signal: controller.signal })
    ) seen.push(v);
    assert.deepEqual(seen, [1]);
    assert.equal(probe.count(controller.signal), 0);
  });
});

Deno.test("asCompleted: bad arguments throw at the call site", () => {
  // deno-lint-ignore no-explicit-any
  const a = asCompleted as (...args: any[]) => unknown;
  assert.throws(
    () => a("ab"),
    TypeError,
    "asCompleted: fns must be an iterable",
  );
  assert.throws(() => a([1]), TypeError, "fns[0] must be a function, got 1");
  assert.throws(() => a([], { limit: 0 }), RangeError, "limit");
  assert.throws(() => a([], { signal: "x" }), TypeError, "signal");
});
