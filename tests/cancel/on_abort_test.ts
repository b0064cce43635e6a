import { assert } from "chai";
import { offAbort, onAbort } from "../../src/_on_abort.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("onAbort runs every handler once, in subscription order", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => calls.push("a"));
  onAbort(controller.signal, { handleEvent: () => calls.push("b") });
  onAbort(controller.signal, () => calls.push("c"));
  controller.abort();
  controller.abort();
  assert.deepEqual(calls, ["a", "b", "c"]);
});

Deno.test("offAbort cancels one handler; the others still run", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => calls.push("a"));
  const b = onAbort(controller.signal, () => calls.push("b"));
  offAbort(b);
  offAbort(b);
  controller.abort();
  assert.deepEqual(calls, ["a"]);
});

Deno.test("a handler may cancel a later one while the abort is dispatched", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => {
    calls.push("a");
    offAbort(later);
  });
  const later = onAbort(controller.signal, () => calls.push("later"));
  controller.abort();
  assert.deepEqual(calls, ["a"]);
});

Deno.test("one listener per signal, removed when the last subscription leaves", () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  const subscriptions = Array.from(
    { length: 100_000 },
    () => onAbort(controller.signal, () => {}),
  );
  assert.equal(probe.count(controller.signal), 1);
  for (const subscription of subscriptions) offAbort(subscription);
  assert.equal(probe.count(controller.signal), 0);
  // A fresh subscription after the list emptied works as the first did.
  let ran = false;
  onAbort(controller.signal, () => ran = true);
  controller.abort();
  assert.isTrue(ran);
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("offAbort after the handler ran does nothing", () => {
  const controller = new AbortController();
  let runs = 0;
  const subscription = onAbort(controller.signal, () => runs++);
  controller.abort();
  offAbort(subscription);
  assert.equal(runs, 1);
});
