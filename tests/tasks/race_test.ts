import { assert } from "chai";
import { race } from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, stubborn, track, untilAborted } from "./_combinators.ts";

Deno.test("race: the first to fulfil wins; losers are aborted and awaited first", async () => {
  const loser = stubborn();
  const winner = deferred<string>();
  const result = track(race([loser.fn, () => winner.promise]));
  await flush();
  winner.resolve("won");
  await flush();
  assert.isTrue(loser.signal!.aborted);
  assert.equal(result.state, "pending", "the loser has not settled yet");
  loser.gate.resolve("too late"); // a loser's value is discarded
  await flush();
  assert.equal(result.value, "won");
});

Deno.test("race: a failure only takes that contestant out (like Promise.any)", async () => {
  const slow = deferred<string>();
  const result = track(race([
    () => Promise.reject(new Error("out")),
    () => slow.promise,
  ]));
  await flush();
  assert.equal(result.state, "pending");
  slow.resolve("still won");
  await flush();
  assert.equal(result.value, "still won");
});

Deno.test("race: a contestant may return a plain value", async () => {
  assert.equal(await race([untilAborted, () => 7]), 7);
});

Deno.test("race: when every contestant fails, rejects with an AggregateError in input order", async () => {
  const gates = [deferred<never>(), deferred<never>(), deferred<never>()];
  const result = track(race(gates.map((g) => () => g.promise)));
  gates[2].reject(new Error("c"));
  gates[0].reject(new Error("a"));
  await flush();
  assert.equal(result.state, "pending");
  gates[1].reject(new Error("b"));
  await flush();
  const error = result.reason as AggregateError;
  assert.instanceOf(error, AggregateError);
  assert.deepEqual(error.errors.map((e: Error) => e.message), ["a", "b", "c"]);
  assert.include(error.message, "all 3 contestants failed");
});

Deno.test("race of nothing rejects with an empty AggregateError", async () => {
  const error = await race<number>([]).catch((e) => e);
  assert.instanceOf(error, AggregateError);
  assert.lengthOf(error.errors, 0);
});

Deno.test("race: a loser failing after the win does not matter", async () => {
  const value = await race([
    async (signal) => {
      await untilAborted(signal).catch(() => {});
      throw new Error("failed while cancelled");
    },
    () => Promise.resolve("winner"),
  ]);
  assert.equal(value, "winner");
});

Deno.test("race: abort", async (t) => {
  await t.step("before start: rejects at once, calls nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("early"));
    let called = false;
    const error = await race([() => {
      called = true;
    }], { signal: controller.signal }).catch((e) => e);
    assert.equal(error.message, "early");
    assert.isFalse(called);
  });

  await t.step(
    "mid-way: aborts contestants, waits, rejects with the reason",
    async () => {
      using probe = probeAbortListeners();
      const controller = new AbortController();
      const slow = stubborn();
      const result = track(race([slow.fn, untilAborted], {
        signal: controller.signal,
      }));
      await flush();
      const why = new Error("stop");
      controller.abort(why);
      await flush();
      assert.strictEqual(slow.signal!.reason, why);
      assert.equal(result.state, "pending");
      slow.gate.resolve("ignored the abort");
      await flush();
      assert.strictEqual(result.reason, why, "abort wins over a late value");
      assert.equal(probe.count(controller.signal), 0);
    },
  );

  await t.step("after it settled: no listener is left", async () => {
    using probe = probeAbortListeners();
    const controller = new AbortController();
    assert.equal(await race([() => 1], { signal: controller.signal }), 1);
    assert.equal(probe.count(controller.signal), 0);
    controller.abort();
  });
});

Deno.test("race: bad arguments throw at the call site", () => {
  // deno-lint-ignore no-explicit-any
  const r = race as (...args: any[]) => unknown;
  assert.throws(() => r(undefined), TypeError, "race: fns must be an iterable");
  assert.throws(() => r([null]), TypeError, "race: fns[0] must be a function");
  assert.throws(() => r([() => 1], { signal: 1 }), TypeError, "signal");
});
