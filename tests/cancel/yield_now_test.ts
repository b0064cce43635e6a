import { assert } from "chai";
import { sleep, yieldNow } from "../../src/cancel/mod.ts";

Deno.test("yieldNow resolves after pending microtasks", async () => {
  const order: string[] = [];
  const turn = yieldNow().then(() => order.push("yield"));
  queueMicrotask(() => order.push("microtask"));
  Promise.resolve().then(() => order.push("promise"));
  await turn;
  assert.deepEqual(order, ["microtask", "promise", "yield"]);
});

Deno.test("a loop of yieldNow does not starve timers", async () => {
  let fired = false;
  setTimeout(() => fired = true, 1);
  // Bounded in time, not turns: a turn may be much shorter than the timer
  // granularity. A starving loop (microtasks, or workerd's MessageChannel)
  // would never see the timer fire and fail here.
  const giveUp = Date.now() + 5_000;
  while (!fired && Date.now() < giveUp) await yieldNow();
  assert.isTrue(fired);
});

Deno.test("yieldNow rejects with the reason of an aborted signal", async () => {
  const reason = new Error("stop");
  assert.strictEqual(
    await yieldNow({ signal: AbortSignal.abort(reason) }).catch((e) => e),
    reason,
  );
  const controller = new AbortController();
  const turn = yieldNow({ signal: controller.signal });
  controller.abort(reason);
  assert.strictEqual(await turn.catch((e) => e), reason);
  await sleep(0); // the cancelled turn left nothing behind for the sanitizer
});

Deno.test("yieldNow rejects a bad signal", () => {
  assert.throws(() => yieldNow({ signal: 1 as never }), TypeError, /signal/);
});
