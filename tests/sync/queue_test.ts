import { assert } from "chai";
import fc from "fast-check";
import {
  Queue,
  type QueueOrder,
  QueueShutDownError,
} from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";
import { dispose } from "../_helpers/symbols.ts";

Deno.test("Queue: fifo, lifo and priority orders", async (t) => {
  await t.step("fifo", () => {
    const q = new Queue<number>();
    for (const n of [3, 1, 2]) q.tryPut(n);
    assert.deepEqual([q.tryGet(), q.tryGet(), q.tryGet()], [3, 1, 2]);
  });
  await t.step("lifo", () => {
    const q = new Queue<number>({ order: "lifo" });
    for (const n of [3, 1, 2]) q.tryPut(n);
    assert.deepEqual([q.tryGet(), q.tryGet(), q.tryGet()], [2, 1, 3]);
  });
  await t.step("priority: smallest first by default, ties FIFO", () => {
    const q = new Queue<number>({ order: "priority" });
    for (const n of [5, 1, 4, 1, 3]) q.tryPut(n);
    assert.deepEqual(Array.from({ length: 5 }, () => q.tryGet()), [
      1,
      1,
      3,
      4,
      5,
    ]);
    const r = new Queue<[number, string]>({
      order: "priority",
      compare: (a, b) => a[0] - b[0],
    });
    for (
      const item of [[2, "a"], [1, "b"], [2, "c"], [1, "d"]] as [
        number,
        string,
      ][]
    ) r.tryPut(item);
    assert.deepEqual(Array.from({ length: 4 }, () => r.tryGet()![1]), [
      "b",
      "d",
      "a",
      "c",
    ]);
  });
});

Deno.test("Queue: put waits while full, get while empty; both FIFO", async () => {
  const q = new Queue<string>({ maxSize: 1 });
  await q.put("a");
  const b = track(q.put("b"));
  const c = track(q.put("c"));
  await flush();
  assert.equal(b.state, "pending");
  assert.equal(await q.get(), "a");
  await flush();
  assert.equal(b.state, "fulfilled");
  assert.equal(c.state, "pending");
  assert.equal(q.size, 1);
  assert.equal(await q.get(), "b");
  assert.equal(await q.get(), "c");
  const g1 = track(q.get());
  const g2 = track(q.get());
  assert.isTrue(q.tryPut("x"));
  await q.put("y");
  await flush();
  assert.equal(g1.value, "x");
  assert.equal(g2.value, "y");
  assert.equal(q.size, 0);
  assert.isFalse(q.tryPut("z") && q.tryPut("w"));
});

Deno.test("Queue: an aborted getter leaves; the next getter gets the item", async () => {
  using probe = probeAbortListeners();
  const q = new Queue<number>();
  const controller = new AbortController();
  const first = track(q.get({ signal: controller.signal }));
  const second = track(q.get());
  const why = reason();
  controller.abort(why);
  q.tryPut(1);
  await flush();
  assert.strictEqual(first.reason, why);
  assert.equal(second.value, 1);
  assert.equal(probe.count(), 0);
});

Deno.test("Queue: an aborted putter's item is never added; the next putter's is", async () => {
  const q = new Queue<number>({ maxSize: 1 });
  q.tryPut(0);
  const controller = new AbortController();
  const first = track(q.put(1, { signal: controller.signal }));
  const second = track(q.put(2));
  controller.abort();
  assert.equal(q.tryGet(), 0);
  await flush();
  assert.equal(first.state, "rejected");
  assert.equal(second.state, "fulfilled");
  assert.equal(q.tryGet(), 2);
  assert.equal(q.size, 0);
});

Deno.test("Queue: already-aborted signals reject at once and change nothing", async () => {
  const q = new Queue<number>();
  q.tryPut(1);
  const why = reason();
  const signal = AbortSignal.abort(why);
  assert.strictEqual(await q.put(2, { signal }).catch((e) => e), why);
  assert.strictEqual(await q.get({ signal }).catch((e) => e), why);
  assert.strictEqual(await q.join({ signal }).catch((e) => e), why);
  assert.equal(q.size, 1);
});

Deno.test("Queue: abort after settle is harmless", async () => {
  using probe = probeAbortListeners();
  const q = new Queue<number>();
  const controller = new AbortController();
  const got = q.get({ signal: controller.signal });
  q.tryPut(9);
  assert.equal(await got, 9);
  controller.abort();
  assert.equal(probe.count(), 0);
  assert.equal(q.size, 0);
});

Deno.test("Queue: taskDone and join", async () => {
  const q = new Queue<number>();
  await q.join();
  q.tryPut(1);
  q.tryPut(2);
  const joined = track(q.join());
  q.tryGet();
  q.taskDone();
  await flush();
  assert.equal(joined.state, "pending");
  q.tryGet();
  q.taskDone();
  await flush();
  assert.equal(joined.state, "fulfilled");
  assert.throws(() => q.taskDone(), Error, /more times/);
});

Deno.test("Queue: join with an abort leaves its listener behind on no path", async () => {
  using probe = probeAbortListeners();
  const q = new Queue<number>();
  q.tryPut(1);
  const controller = new AbortController();
  const joined = track(q.join({ signal: controller.signal }));
  controller.abort();
  await flush();
  assert.equal(joined.state, "rejected");
  assert.equal(probe.count(), 0);
});

Deno.test("Queue: shutdown while getters and putters wait", async () => {
  const empty = new Queue<number>();
  const getters = [track(empty.get()), track(empty.get())];
  empty.shutdown();
  await flush();
  for (const g of getters) assert.instanceOf(g.reason, QueueShutDownError);

  const full = new Queue<number>({ maxSize: 1 });
  full.tryPut(1);
  const putter = track(full.put(2));
  full.shutdown();
  await flush();
  assert.instanceOf(putter.reason, QueueShutDownError);
  assert.equal(full.size, 1); // the waiting putter's item was not added
  assert.equal(await full.get(), 1); // drains
  assert.instanceOf(await full.get().catch((e) => e), QueueShutDownError);
  assert.instanceOf(await full.put(3).catch((e) => e), QueueShutDownError);
  assert.throws(() => full.tryPut(3), QueueShutDownError);
  assert.throws(() => full.tryGet(), QueueShutDownError);
  assert.isTrue(full.isShutDown);
});

Deno.test("Queue: shutdown({ immediate }) drops items and lets join resolve", async () => {
  const q = new Queue<number>();
  for (const n of [1, 2, 3]) q.tryPut(n);
  q.tryGet(); // taken but not done: join still waits for it
  const joined = track(q.join());
  q.shutdown({ immediate: true });
  await flush();
  assert.equal(q.size, 0);
  assert.equal(joined.state, "pending");
  q.taskDone();
  await flush();
  assert.equal(joined.state, "fulfilled");
  assert.instanceOf(await q.get().catch((e) => e), QueueShutDownError);

  const later = new Queue<number>();
  later.tryPut(1);
  later.shutdown();
  assert.equal(later.size, 1);
  later.shutdown({ immediate: true }); // a second call still drops
  assert.equal(later.size, 0);
  await later.join();
});

Deno.test("Queue: an immediate shutdown counts dropped items done, never below zero", async () => {
  for (const order of ["fifo", "lifo", "priority"] as const) {
    const q = new Queue<number>({ order });
    for (const n of [3, 1, 2]) q.tryPut(n);
    q.taskDone(); // ahead of any get: 1 unfinished, 3 queued
    q.taskDone();
    q.shutdown({ immediate: true });
    assert.equal(q.size, 0, order);
    assert.isUndefined(await q.join(), order);
    assert.throws(() => q.taskDone(), /more times/, order);
  }
});

Deno.test("Queue: async iteration ends at shutdown once drained; break stops early", async () => {
  const q = new Queue<number>();
  for (const n of [1, 2, 3]) q.tryPut(n);
  const seen: number[] = [];
  for await (const n of q) {
    seen.push(n);
    if (n === 2) break;
  }
  assert.deepEqual(seen, [1, 2]);
  assert.equal(q.size, 1);
  const rest = (async () => {
    const items: number[] = [];
    for await (const n of q) items.push(n);
    return items;
  })();
  await flush();
  q.tryPut(4);
  q.shutdown();
  assert.deepEqual(await rest, [3, 4]);
});

Deno.test("Queue: return() on an iterator with a pending next settles it and takes no item", async () => {
  using probe = probeAbortListeners();
  const q = new Queue<number>();
  const it = q[Symbol.asyncIterator]();
  const pending = it.next();
  await it.return!();
  assert.deepEqual(await pending, { done: true, value: undefined });
  q.tryPut(1);
  assert.equal(q.size, 1); // nobody took it
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  assert.equal(probe.count(), 0);
});

Deno.test("Queue: disposing it shuts it down, not immediately: items left can still be taken", async () => {
  let queue: Queue<number>;
  let getter: Promise<unknown>;
  let putter: Promise<unknown>;
  {
    using full = new Queue<number>({ maxSize: 1 });
    queue = full;
    full.tryPut(1);
    putter = full.put(2); // waits: full
  }
  assert.isTrue(queue.isShutDown);
  assert.instanceOf(await putter.catch((e) => e), QueueShutDownError);
  assert.equal(await queue.get(), 1); // not dropped
  assert.instanceOf(await queue.get().catch((e) => e), QueueShutDownError);
  {
    using empty = new Queue<number>();
    getter = empty.get();
  }
  assert.instanceOf(await getter.catch((e) => e), QueueShutDownError);
});

Deno.test("Queue: disposing twice, or after shutdown, does nothing more", async () => {
  const queue = new Queue<number>();
  queue.tryPut(1);
  queue[dispose]();
  queue[dispose]();
  assert.equal(queue.size, 1);
  assert.equal(await queue.get(), 1);
  queue.taskDone();
  await queue.join();
});

Deno.test("Queue: bad arguments throw at the call site", () => {
  assert.throws(() => new Queue({ maxSize: -1 }), RangeError, /maxSize/);
  assert.throws(
    () => new Queue({ order: "random" as never }),
    RangeError,
    /Queue: order must be one of "fifo", "lifo", "priority", got "random"/,
  );
  assert.throws(() => new Queue({ order: 1 as never }), TypeError, /order/);
  assert.throws(() => new Queue({ maxSize: 0 }), RangeError, /maxSize/);
  assert.throws(() => new Queue({ maxSize: 1.5 }), RangeError, /maxSize/);
  assert.throws(
    () => new Queue({ maxSize: "3" as never }),
    TypeError,
    /maxSize/,
  );
  assert.throws(
    () => new Queue<number>({ compare: (a, b) => a - b }),
    TypeError,
    /compare/,
  );
  assert.throws(
    () => new Queue({ order: "priority", compare: 1 as never }),
    TypeError,
    /compare/,
  );
  assert.throws(() => new Queue(7 as never), TypeError, /options/);
  const q = new Queue<number>();
  assert.throws(() => q.put(1, { signal: "x" as never }), TypeError, /signal/);
  assert.throws(() => q.get(null as never), TypeError, /options/);
  assert.throws(
    () => q.shutdown({ immediate: 1 as never }),
    TypeError,
    /immediate/,
  );
  assert.equal(q.size, 0);
  assert.isFalse(q.isShutDown);
});

Deno.test("Queue: no abort listeners left after many aborted and served waits", async () => {
  using probe = probeAbortListeners();
  const q = new Queue<number>({ maxSize: 4 });
  const controller = new AbortController();
  const signal = controller.signal;
  const consumer = (async () => {
    let sum = 0;
    for (let i = 0; i < 500; i++) sum += await q.get({ signal });
    return sum;
  })();
  for (let i = 0; i < 500; i++) await q.put(1, { signal });
  assert.equal(await consumer, 500);
  const dead = new AbortController();
  const gets = Array.from(
    { length: 50 },
    () => q.get({ signal: dead.signal }).catch(() => 0),
  );
  dead.abort();
  await Promise.all(gets);
  assert.equal(probe.count(), 0);
});

type QueueCmd =
  | { kind: "put"; value: number; abortable: boolean }
  | { kind: "tryPut"; value: number }
  | { kind: "get"; abortable: boolean }
  | { kind: "tryGet" }
  | { kind: "abort"; pick: number };

const queueCmd = fc.oneof(
  fc.record({
    kind: fc.constant("put" as const),
    value: fc.integer({ min: 0, max: 9 }),
    abortable: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("tryPut" as const),
    value: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({ kind: fc.constant("get" as const), abortable: fc.boolean() }),
  fc.record({ kind: fc.constant("tryGet" as const) }),
  fc.record({ kind: fc.constant("abort" as const), pick: fc.nat() }),
);

// The model: a plain array; `take` picks by order (priority: the first
// smallest, which is insertion order among equals).
function takeFrom(items: number[], order: QueueOrder): number {
  if (order === "fifo") return items.shift()!;
  if (order === "lifo") return items.pop()!;
  let best = 0;
  for (let i = 1; i < items.length; i++) if (items[i] < items[best]) best = i;
  return items.splice(best, 1)[0];
}

for (const order of ["fifo", "lifo", "priority"] as const) {
  Deno.test(`Queue: property — put/get/tryGet/abort match an array model (${order})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(queueCmd, { maxLength: 25 }),
        async (maxSize, cmds: QueueCmd[]) => {
          const q = new Queue<number>({ maxSize, order });
          const items: number[] = [];
          const putters: { id: number; value: number }[] = [];
          const getters: number[] = [];
          const expected = new Map<number, string>();
          const actual = new Map<number, string>();
          const controllers = new Map<number, AbortController>();
          let next = 0;
          const observe = (id: number, promise: Promise<unknown>) =>
            promise.then(
              (v) => actual.set(id, `ok:${v}`),
              () => actual.set(id, "aborted"),
            );
          const add = (value: number) => {
            const getter = getters.shift();
            if (getter !== undefined) {
              expected.set(getter, `ok:${value}`);
            } else items.push(value);
          };
          const take = () => {
            const value = takeFrom(items, order);
            const putter = putters.shift();
            if (putter) {
              items.push(putter.value);
              expected.set(putter.id, "ok:undefined");
            }
            return value;
          };
          for (const c of cmds) {
            const id = next++;
            const controller = "abortable" in c && c.abortable
              ? new AbortController()
              : undefined;
            if (controller) controllers.set(id, controller);
            const signal = controller?.signal;
            if (c.kind === "put") {
              if (items.length < maxSize) {
                add(c.value);
                expected.set(id, "ok:undefined");
              } else putters.push({ id, value: c.value });
              observe(id, q.put(c.value, { signal }));
            } else if (c.kind === "tryPut") {
              const ok = items.length < maxSize;
              if (ok) add(c.value);
              assert.equal(q.tryPut(c.value), ok);
            } else if (c.kind === "get") {
              if (items.length > 0) expected.set(id, `ok:${take()}`);
              else getters.push(id);
              observe(id, q.get({ signal }));
            } else if (c.kind === "tryGet") {
              assert.equal(q.tryGet(), items.length > 0 ? take() : undefined);
            } else {
              const waiting = [...putters.map((p) => p.id), ...getters].filter((
                w,
              ) => controllers.has(w));
              if (waiting.length === 0) continue;
              const victim = waiting[c.pick % waiting.length];
              const pi = putters.findIndex((p) => p.id === victim);
              if (pi >= 0) putters.splice(pi, 1);
              else getters.splice(getters.indexOf(victim), 1);
              expected.set(victim, "aborted");
              controllers.get(victim)!.abort();
            }
            assert.equal(q.size, items.length);
          }
          await flush(3);
          assert.deepEqual(actual, expected);
          q.shutdown({ immediate: true });
          await flush(3);
        },
      ),
      { numRuns: 1000 },
    );
  });
}
