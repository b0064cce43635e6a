import { assert } from "chai";
import { abortable } from "../../src/cancel/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("abortable settles like the promise when not aborted", async () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  assert.equal(await abortable(Promise.resolve(3), controller.signal), 3);
  const error = new Error("inner");
  assert.strictEqual(
    await abortable(Promise.reject(error), controller.signal).catch((e) => e),
    error,
  );
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("abortable rejects with the reason on abort and handles the late rejection", async () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  const work = deferred<number>();
  const guarded = abortable(work.promise, controller.signal);
  const reason = new Error("abort");
  controller.abort(reason);
  assert.strictEqual(await guarded.catch((e) => e), reason);
  // Would surface as an unhandled rejection if abortable had not handled it.
  work.reject(new Error("late"));
  await work.promise.catch(() => {});
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("abortable with an already-aborted signal rejects at once", async () => {
  const reason = new Error("early");
  const work = deferred<void>();
  const guarded = abortable(work.promise, AbortSignal.abort(reason));
  assert.strictEqual(await guarded.catch((e) => e), reason);
  work.reject(new Error("late"));
  await work.promise.catch(() => {});
});

Deno.test("abortable without a signal passes the promise through", async () => {
  assert.equal(await abortable(Promise.resolve("x"), undefined), "x");
});

Deno.test("abortable rejects a bad signal", () => {
  assert.throws(() => abortable(Promise.resolve(), {} as never), TypeError);
});
