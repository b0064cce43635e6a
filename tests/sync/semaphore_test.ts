import { assert } from "chai";
import fc from "fast-check";
import { type Permit, Semaphore } from "../../src/sync/mod.ts";
import {
  asyncLocalStorage,
  hasAsyncLocalStorage,
} from "../_helpers/async_local_storage.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";
import { dispose } from "../_helpers/symbols.ts";

Deno.test("Semaphore: grants up to capacity, then waiters in FIFO order", async () => {
  const sem = new Semaphore(2);
  const a = await sem.acquire();
  const b = await sem.acquire();
  assert.equal(sem.available, 0);
  const c = track(sem.acquire());
  const d = track(sem.acquire());
  assert.equal(sem.waiting, 2);
  b.release();
  await flush();
  assert.equal(c.state, "fulfilled");
  assert.equal(d.state, "pending");
  a.release();
  await flush();
  assert.equal(d.state, "fulfilled");
  c.value!.release();
  d.value!.release();
  assert.equal(sem.available, 2);
});

Deno.test("Semaphore: a released permit goes to the waiter, not to tryAcquire", async () => {
  const sem = new Semaphore(1);
  const held = await sem.acquire();
  const waiter = track(sem.acquire());
  held.release();
  assert.isUndefined(sem.tryAcquire());
  await flush();
  assert.equal(waiter.state, "fulfilled");
  waiter.value!.release();
});

Deno.test("Semaphore: an aborted waiter leaves; the next still gets the permit", async () => {
  using probe = probeAbortListeners();
  const sem = new Semaphore(1);
  const held = await sem.acquire();
  const controller = new AbortController();
  const first = track(sem.acquire({ signal: controller.signal }));
  const second = track(sem.acquire());
  const why = reason();
  controller.abort(why);
  await flush();
  assert.equal(first.state, "rejected");
  assert.strictEqual(first.reason, why);
  assert.equal(sem.waiting, 1);
  assert.equal(probe.count(controller.signal), 0);
  held.release();
  await flush();
  assert.equal(second.state, "fulfilled");
  second.value!.release();
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore: an already-aborted signal rejects at once, even with permits free", async () => {
  const sem = new Semaphore(1);
  const why = reason();
  const signal = AbortSignal.abort(why);
  assert.strictEqual(await sem.acquire({ signal }).catch((e) => e), why);
  assert.strictEqual(await sem.run(() => 1, { signal }).catch((e) => e), why);
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore: abort after the grant is harmless", async () => {
  using probe = probeAbortListeners();
  const sem = new Semaphore(1);
  const controller = new AbortController();
  const permit = await sem.acquire({ signal: controller.signal });
  assert.equal(probe.count(), 0);
  controller.abort();
  assert.isFalse(permit.released);
  permit.release();
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore: releasing twice throws; dispose after release does not", async () => {
  const sem = new Semaphore(1);
  const permit = await sem.acquire();
  permit.release();
  assert.isTrue(permit.released);
  assert.throws(() => permit.release(), Error, /already released/);
  permit[dispose]();
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore: `using` releases the permit on an exception path", async () => {
  const sem = new Semaphore(1);
  const fail = async () => {
    using _permit = await sem.acquire();
    assert.equal(sem.available, 0);
    throw new Error("boom");
  };
  const error = await fail().catch((e) => e);
  assert.equal(error.message, "boom");
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore.run: passes the signal, returns the result, releases on throw", async () => {
  const sem = new Semaphore(1);
  const controller = new AbortController();
  let received: AbortSignal | undefined;
  const value = await sem.run((signal) => {
    received = signal;
    return 7;
  }, { signal: controller.signal });
  assert.equal(value, 7);
  assert.strictEqual(received, controller.signal);
  // Without a signal: a fresh one of its own that never aborts.
  const first = await sem.run((signal) => signal);
  const second = await sem.run((signal) => signal);
  assert.instanceOf(first, AbortSignal);
  assert.isFalse(first.aborted);
  assert.notStrictEqual(first, second);
  const error = await sem.run(() => {
    throw new Error("sync throw");
  }).catch((e) => e);
  assert.equal(error.message, "sync throw");
  await sem.run(() => Promise.reject(new Error("x"))).catch(() => {});
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore.run: never exceeds the limit and keeps FIFO start order", async () => {
  const sem = new Semaphore(3);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const gates = Array.from({ length: 10 }, () => deferred<void>());
  const runs = gates.map((gate, i) =>
    sem.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await gate.promise;
      running--;
    })
  );
  for (const gate of gates) {
    await flush();
    gate.resolve();
  }
  await Promise.all(runs);
  assert.equal(peak, 3);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("Semaphore: raising capacity wakes waiters", async () => {
  const sem = new Semaphore(1);
  const held = await sem.acquire();
  const waiters = [
    track(sem.acquire()),
    track(sem.acquire()),
    track(sem.acquire()),
  ];
  sem.capacity = 3;
  await flush();
  assert.deepEqual(waiters.map((w) => w.state), [
    "fulfilled",
    "fulfilled",
    "pending",
  ]);
  held.release();
  await flush();
  assert.equal(waiters[2].state, "fulfilled");
  for (const w of waiters) w.value!.release();
  assert.equal(sem.available, 3);
});

Deno.test("Semaphore: capacity lowered below the number in use drains the excess", async () => {
  const sem = new Semaphore(3);
  const permits = [
    await sem.acquire(),
    await sem.acquire(),
    await sem.acquire(),
  ];
  sem.capacity = 1;
  assert.equal(sem.available, 0);
  const waiter = track(sem.acquire());
  permits[0].release(); // 2 in use, capacity 1: no grant
  await flush();
  assert.equal(waiter.state, "pending");
  assert.isUndefined(sem.tryAcquire());
  permits[1].release(); // 1 in use: still full
  await flush();
  assert.equal(waiter.state, "pending");
  permits[2].release(); // 0 in use: the waiter gets it
  await flush();
  assert.equal(waiter.state, "fulfilled");
  assert.equal(sem.available, 0);
  waiter.value!.release();
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore: bad arguments throw at the call site", () => {
  for (const bad of [-1, 1.5, NaN, -Infinity]) {
    assert.throws(
      () => new Semaphore(bad),
      RangeError,
      /Semaphore: permits must be an integer >= 0 \(or Infinity\)/,
    );
  }
  assert.throws(
    () => new Semaphore("2" as unknown as number),
    TypeError,
    /permits/,
  );
  const sem = new Semaphore(1);
  assert.throws(() => (sem.capacity = -1), RangeError, /capacity/);
  assert.throws(() => (sem.capacity = 0.5), RangeError, /capacity/);
  assert.equal(sem.capacity, 1);
  assert.throws(
    () => sem.acquire({ signal: {} as AbortSignal }),
    TypeError,
    /signal/,
  );
  assert.throws(() => sem.acquire(5 as never), TypeError, /options/);
  assert.throws(() => sem.run(5 as never), TypeError, /fn/);
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore: no abort listeners left after many aborted and served waits", async () => {
  using probe = probeAbortListeners();
  const sem = new Semaphore(2);
  const controller = new AbortController();
  const signal = controller.signal;
  const waits = [];
  for (let i = 0; i < 200; i++) waits.push(sem.run(() => flush(1), { signal }));
  await Promise.all(waits);
  const held = [await sem.acquire(), await sem.acquire()];
  const aborted = new AbortController();
  const pending = Array.from(
    { length: 100 },
    () => sem.acquire({ signal: aborted.signal }).catch(() => "aborted"),
  );
  // The pending waits share one listener on the signal.
  assert.equal(probe.count(aborted.signal), 1);
  assert.equal(sem.waiting, 100);
  aborted.abort();
  assert.deepEqual(new Set(await Promise.all(pending)), new Set(["aborted"]));
  for (const p of held) p.release();
  assert.equal(probe.count(), 0);
  assert.equal(sem.waiting, 0);
});

Deno.test("Semaphore: property — acquire/release/abort/tryAcquire/resize match a counter model", async () => {
  type Cmd =
    | { kind: "acquire"; abortable: boolean }
    | { kind: "try" }
    | { kind: "release"; pick: number }
    | { kind: "abort"; pick: number }
    | { kind: "capacity"; value: number };
  const cmd = fc.oneof(
    fc.record({
      kind: fc.constant("acquire" as const),
      abortable: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("try" as const) }),
    fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("abort" as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant("capacity" as const),
      value: fc.integer({ min: 1, max: 4 }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.array(cmd, { maxLength: 25 }),
      async (capacity, cmds: Cmd[]) => {
        const sem = new Semaphore(capacity);
        // The model: a counter, a FIFO of waiting ids, the permits granted.
        let cap = capacity;
        let inUse = 0;
        const queue: number[] = [];
        const held: Permit[] = [];
        const controllers = new Map<number, AbortController>();
        let next = 0;
        for (const c of cmds) {
          if (c.kind === "acquire") {
            const id = next++;
            const controller = c.abortable ? new AbortController() : undefined;
            if (controller) controllers.set(id, controller);
            const grantNow = queue.length === 0 && inUse < cap;
            if (grantNow) inUse++;
            else queue.push(id);
            sem.acquire({ signal: controller?.signal }).then(
              (p) => held.push(p),
              () => {},
            );
          } else if (c.kind === "try") {
            const ok = queue.length === 0 && inUse < cap;
            const permit = sem.tryAcquire();
            assert.equal(permit !== undefined, ok);
            if (permit) {
              inUse++;
              held.push(permit);
            }
          } else if (c.kind === "release") {
            if (held.length === 0) continue;
            const [permit] = held.splice(c.pick % held.length, 1);
            permit.release();
            if (inUse <= cap && queue.length > 0) queue.shift();
            else inUse--;
          } else if (c.kind === "abort") {
            const waiting = queue.filter((id) => controllers.has(id));
            if (waiting.length === 0) continue;
            const id = waiting[c.pick % waiting.length];
            queue.splice(queue.indexOf(id), 1);
            controllers.get(id)!.abort();
          } else {
            sem.capacity = cap = c.value;
            while (inUse < cap && queue.length > 0) {
              queue.shift();
              inUse++;
            }
          }
          await flush(3);
          assert.equal(sem.waiting, queue.length);
          assert.equal(sem.available, Math.max(0, cap - inUse));
          assert.equal(held.length, inUse);
        }
        for (const controller of controllers.values()) controller.abort();
        for (const permit of held) permit.release();
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("Semaphore.run: an aborted queued job never starts; the next one does", async () => {
  using probe = probeAbortListeners();
  const sem = new Semaphore(1);
  const gate = deferred<void>();
  const running = sem.run(() => gate.promise);
  const controller = new AbortController();
  let started = false;
  const aborted = track(sem.run(() => {
    started = true;
  }, { signal: controller.signal }));
  const next = track(sem.run(() => "next"));
  controller.abort();
  gate.resolve();
  await running;
  await flush();
  assert.equal(aborted.state, "rejected");
  assert.isFalse(started);
  assert.equal(next.value, "next");
  assert.equal(sem.available, 1);
  assert.equal(probe.count(), 0);
});

Deno.test("Semaphore(0) is a closed gate until capacity is raised", async () => {
  const sem = new Semaphore(0);
  assert.equal(sem.available, 0);
  assert.isUndefined(sem.tryAcquire());
  const controller = new AbortController();
  const aborted = track(sem.acquire({ signal: controller.signal }));
  const first = track(sem.acquire());
  const ran = track(sem.run(() => "ran"));
  await flush();
  assert.equal(first.state, "pending");
  assert.equal(sem.waiting, 3);
  const why = reason();
  controller.abort(why);
  await flush();
  assert.strictEqual(aborted.reason, why);
  sem.capacity = 1;
  await flush();
  assert.equal(first.state, "fulfilled");
  assert.equal(ran.state, "pending");
  first.value!.release();
  assert.equal(await ran.promise, "ran");
  sem.capacity = 0; // closed again: nothing in use, nothing granted
  assert.equal(sem.available, 0);
  assert.isUndefined(sem.tryAcquire());
  const later = track(sem.acquire());
  await flush();
  assert.equal(later.state, "pending");
  sem.capacity = 1;
  (await later.promise).release();
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore(Infinity) never makes anyone wait", async () => {
  const sem = new Semaphore(Infinity);
  assert.equal(sem.capacity, Infinity);
  const permits = [];
  for (let i = 0; i < 1_000; i++) permits.push(await sem.acquire());
  assert.equal(sem.available, Infinity);
  assert.equal(sem.waiting, 0);
  assert.isDefined(sem.tryAcquire());
  for (const permit of permits) permit.release();
});

Deno.test("Semaphore: raising the capacity to Infinity wakes every waiter", async () => {
  const sem = new Semaphore(1);
  const held = await sem.acquire();
  const waiters = [track(sem.acquire()), track(sem.acquire())];
  sem.capacity = Infinity;
  await flush();
  assert.deepEqual(waiters.map((w) => w.state), ["fulfilled", "fulfilled"]);
  sem.capacity = 1; // lowered below the three in use: they drain
  held.release();
  waiters[0].value!.release();
  assert.equal(sem.available, 0);
  waiters[1].value!.release();
  assert.equal(sem.available, 1);
});

Deno.test("Semaphore.run: a free permit calls fn synchronously", () => {
  const sem = new Semaphore(1);
  let called = false;
  const done = sem.run(() => {
    called = true;
  });
  assert.isTrue(called);
  return done;
});

Deno.test({
  name:
    "Semaphore.run: a queued job runs in the async context of the call that queued it",
  ignore: !hasAsyncLocalStorage,
  async fn() {
    const store = await asyncLocalStorage<string>();
    const sem = new Semaphore(1);
    const gate = deferred<void>();
    const seen: (string | undefined)[] = [];
    const a = store.run("A", () =>
      sem.run(async () => {
        seen.push(store.getStore());
        await gate.promise;
      }));
    const b = store.run("B", () => sem.run(() => seen.push(store.getStore())));
    const c = store.run("C", () => sem.run(() => seen.push(store.getStore())));
    // A releases (in A's context); B's and C's jobs keep their own.
    store.run("releaser", () => gate.resolve());
    await Promise.all([a, b, c]);
    assert.deepEqual(seen, ["A", "B", "C"]);
  },
});

Deno.test({
  name:
    "Semaphore.run: a job woken by a capacity raise runs in its caller's context",
  ignore: !hasAsyncLocalStorage,
  async fn() {
    const store = await asyncLocalStorage<string>();
    const sem = new Semaphore(0);
    const seen: (string | undefined)[] = [];
    const jobs = ["A", "B"].map((name) =>
      store.run(name, () => sem.run(() => seen.push(store.getStore())))
    );
    store.run("raiser", () => (sem.capacity = 2));
    await Promise.all(jobs);
    assert.deepEqual(seen, ["A", "B"]);
  },
});
