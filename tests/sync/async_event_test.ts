import { assert } from "chai";
import { AsyncEvent } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

Deno.test("AsyncEvent: set wakes every waiter; later waits resolve at once", async () => {
  const event = new AsyncEvent();
  const waiters = [track(event.wait()), track(event.wait())];
  await flush();
  assert.deepEqual(waiters.map((w) => w.state), ["pending", "pending"]);
  assert.equal(event.waiting, 2);
  event.set();
  event.set(); // again: nothing
  await flush();
  assert.deepEqual(waiters.map((w) => w.state), ["fulfilled", "fulfilled"]);
  assert.isTrue(event.isSet);
  await event.wait();
});

Deno.test("AsyncEvent: clear makes waits block again", async () => {
  const event = new AsyncEvent();
  event.set();
  event.clear();
  assert.isFalse(event.isSet);
  const waiter = track(event.wait());
  await flush();
  assert.equal(waiter.state, "pending");
  event.set();
  await flush();
  assert.equal(waiter.state, "fulfilled");
});

Deno.test("AsyncEvent: abort removes exactly that waiter; before-start and after-settle", async () => {
  using probe = probeAbortListeners();
  const event = new AsyncEvent();
  const controller = new AbortController();
  const why = reason();
  const aborted = track(event.wait({ signal: controller.signal }));
  const other = track(event.wait());
  controller.abort(why);
  await flush();
  assert.strictEqual(aborted.reason, why);
  assert.equal(event.waiting, 1);
  event.set();
  await flush();
  assert.equal(other.state, "fulfilled");
  // Already aborted: rejects even though the event is set.
  assert.strictEqual(
    await event.wait({ signal: controller.signal }).catch((e) => e),
    why,
  );
  const late = new AbortController();
  event.clear();
  const served = event.wait({ signal: late.signal });
  event.set();
  await served;
  late.abort();
  assert.equal(probe.count(), 0);
});

Deno.test("AsyncEvent: bad arguments throw at the call site", () => {
  const event = new AsyncEvent();
  assert.throws(
    () => event.wait({ signal: "x" as never }),
    TypeError,
    /signal/,
  );
  assert.throws(() => event.wait(0 as never), TypeError, /options/);
});
