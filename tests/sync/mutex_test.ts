import { assert } from "chai";
import {
  asyncLocalStorage,
  hasAsyncLocalStorage,
} from "../_helpers/async_local_storage.ts";
import { Mutex } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

Deno.test("Mutex: one holder at a time, FIFO hand-off", async () => {
  const mutex = new Mutex();
  const first = await mutex.acquire();
  assert.isTrue(mutex.locked);
  const second = track(mutex.acquire());
  const third = track(mutex.acquire());
  assert.equal(mutex.waiting, 2);
  assert.isUndefined(mutex.tryAcquire());
  first.release();
  await flush();
  assert.equal(second.state, "fulfilled");
  assert.equal(third.state, "pending");
  assert.isTrue(mutex.locked);
  second.value!.release();
  await flush();
  third.value!.release();
  assert.isFalse(mutex.locked);
});

Deno.test("Mutex: an aborted waiter leaves; the next gets the lock", async () => {
  using probe = probeAbortListeners();
  const mutex = new Mutex();
  const held = await mutex.acquire();
  const controller = new AbortController();
  const why = reason();
  const aborted = track(mutex.acquire({ signal: controller.signal }));
  const next = track(mutex.run(() => "ran"));
  controller.abort(why);
  held.release();
  await flush();
  assert.strictEqual(aborted.reason, why);
  assert.equal(next.value, "ran");
  assert.isFalse(mutex.locked);
  assert.equal(probe.count(), 0);
  assert.strictEqual(
    await mutex.acquire({ signal: controller.signal }).catch((e) => e),
    why,
  );
  assert.isFalse(mutex.locked);
});

Deno.test("Mutex: run releases on throw; using releases on an exception path", async () => {
  const mutex = new Mutex();
  const error = await mutex.run(() => {
    throw new Error("boom");
  }).catch((e) => e);
  assert.equal(error.message, "boom");
  assert.isFalse(mutex.locked);
  const body = async () => {
    using _permit = await mutex.acquire();
    throw new Error("inner");
  };
  await body().catch(() => {});
  assert.isFalse(mutex.locked);
  const permit = mutex.tryAcquire()!;
  permit.release();
  assert.throws(() => permit.release(), /already released/);
});

Deno.test("Mutex: bad arguments throw at the call site", () => {
  const mutex = new Mutex();
  assert.throws(() => mutex.run("x" as never), TypeError, /fn/);
  assert.throws(
    () => mutex.acquire({ signal: 1 as never }),
    TypeError,
    /signal/,
  );
  assert.isFalse(mutex.locked);
});

Deno.test({
  name: "Mutex.run: a queued job runs in the async context of its caller",
  ignore: !hasAsyncLocalStorage,
  async fn() {
    const store = await asyncLocalStorage<string>();
    const mutex = new Mutex();
    const held = await mutex.acquire();
    const seen: (string | undefined)[] = [];
    const jobs = ["A", "B"].map((name) =>
      store.run(name, () => mutex.run(() => seen.push(store.getStore())))
    );
    store.run("releaser", () => held.release());
    await Promise.all(jobs);
    assert.deepEqual(seen, ["A", "B"]);
  },
});
