import { assert } from "chai";
import { shield } from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, stubborn, track } from "./_combinators.ts";

Deno.test("shield: settles like fn when nothing aborts", async () => {
  assert.equal(await shield(() => 1), 1);
  assert.equal(await shield(() => Promise.resolve("async")), "async");
  const error = await shield(() => {
    throw new Error("sync");
  }).catch((e) => e);
  assert.equal(error.message, "sync");
});

Deno.test("shield: the caller's abort rejects the caller, not fn", async () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  const work = stubborn<string>();
  const result = track(shield(work.fn, { signal: controller.signal }));
  await flush();
  assert.notStrictEqual(work.signal, controller.signal);
  const why = new Error("caller left");
  controller.abort(why);
  await flush();
  assert.strictEqual(result.reason, why, "rejected at once, not after fn");
  assert.isFalse(work.signal!.aborted, "fn's signal is not linked");
  assert.equal(probe.count(controller.signal), 0);
  work.gate.resolve("finished anyway");
});

Deno.test("shield: fn failing after the caller left is handled (no unhandled rejection)", async () => {
  const controller = new AbortController();
  const gate = deferred<never>();
  const result = shield(() => gate.promise, { signal: controller.signal });
  controller.abort(new Error("left"));
  assert.equal((await result.catch((e) => e)).message, "left");
  gate.reject(new Error("failed later"));
  await flush();
});

Deno.test("shield: an already-aborted signal rejects at once and fn is not called", async () => {
  const controller = new AbortController();
  controller.abort(new Error("early"));
  let called = false;
  const error = await shield(() => {
    called = true;
  }, { signal: controller.signal }).catch((e) => e);
  assert.equal(error.message, "early");
  assert.isFalse(called);
});

Deno.test("shield: no listener is left once fn settles", async () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  assert.equal(await shield(() => 2, { signal: controller.signal }), 2);
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("shield: bad arguments throw at the call site", () => {
  // deno-lint-ignore no-explicit-any
  const s = shield as (...args: any[]) => unknown;
  assert.throws(
    () => s("fn"),
    TypeError,
    'shield: fn must be a function, got "fn"',
  );
  assert.throws(() => s(() => 1, { signal: {} }), TypeError, "signal");
  assert.throws(() => s(() => 1, null), TypeError, "options");
});
