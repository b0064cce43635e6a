// TaskGroup beyond the basics: the limit queue (rule 11: a queued task runs
// in the async context of its spawn call; cancelled queued tasks keep no
// memory), start({ signal }), names, and rule 10 for a task's own signal.
import { assert } from "chai";
import { sleep } from "../../src/cancel/mod.ts";
import { TaskGroup } from "../../src/tasks/mod.ts";
import {
  asyncLocalStorage as newStore,
  hasAsyncLocalStorage as hasAsyncHooks,
} from "../_helpers/async_local_storage.ts";
import { deferred } from "../_helpers/deferred.ts";
import { flush } from "./_combinators.ts";

// deno-lint-ignore no-explicit-any
const global = globalThis as any;

Deno.test({
  name: "limit: a queued task runs in the async context of its spawn call",
  ignore: !hasAsyncHooks,
  fn: async () => {
    const store = await newStore<string>();
    const group = new TaskGroup({ limit: 1 });
    const gate = deferred<void>();
    const seen: (string | undefined)[] = [];
    const see = async () => {
      seen.push(store.getStore());
      await null;
      seen.push(store.getStore());
    };
    store.run("A", () => group.spawn(() => gate.promise));
    store.run("B", () => group.spawn(see));
    store.run("C", () => group.spawn((_signal) => see()));
    const started = store.run(
      "D",
      () =>
        group.start<void>(async (_signal, ready) => {
          seen.push(store.getStore());
          ready();
        }),
    );
    store.run("X", () => gate.resolve()); // released from elsewhere
    await started;
    await group.wait();
    assert.deepEqual(seen, ["B", "B", "C", "C", "D"]);
  },
});

Deno.test({
  name:
    "limit: a slot freed by a cancel still starts the next in its own context",
  ignore: !hasAsyncHooks,
  fn: async () => {
    const store = await newStore<string>();
    const group = new TaskGroup({ limit: 1 });
    const seen: (string | undefined)[] = [];
    const first = store.run(
      "A",
      () => group.spawn((signal) => sleep(Infinity, { signal })),
    );
    store.run("B", () => group.spawn(() => seen.push(store.getStore())));
    store.run("X", () => first.cancel());
    await group.wait();
    assert.deepEqual(seen, ["B"]);
  },
});

Deno.test("limit: a task cancelled after its slot was freed, before it starts, never runs", async () => {
  const group = new TaskGroup({ limit: 1 });
  const gate = deferred<void>();
  const ran: string[] = [];
  group.spawn(() => gate.promise);
  const next = group.spawn(() => ran.push("next"));
  group.spawn(() => ran.push("after"));
  gate.resolve();
  await gate.promise; // the slot is freed now; `next` starts a turn later
  next.cancel();
  assert.equal(next.state, "cancelled");
  await group.wait();
  assert.deepEqual(ran, ["after"]);
});

Deno.test("limit: a group aborted between a release and the start cancels the released task", async () => {
  const group = new TaskGroup({ limit: 1 });
  const gate = deferred<void>();
  let ran = false;
  group.spawn(() => gate.promise);
  const next = group.spawn((_signal) => (ran = true));
  gate.resolve();
  await gate.promise;
  group.cancel();
  await group.wait();
  assert.isFalse(ran);
  assert.equal(next.state, "cancelled");
  assert.isTrue(next.signal.aborted);
});

Deno.test("limit: cancelling a queued task aborts its signal and releases its place", async () => {
  const group = new TaskGroup({ limit: 1 });
  const gate = deferred<void>();
  group.spawn(() => gate.promise);
  const queued = group.spawn((signal) => signal);
  const early = queued.signal; // made while queued
  queued.cancel(new Error("not needed"));
  assert.isTrue(early.aborted);
  assert.equal((early.reason as Error).message, "not needed");
  const late = group.spawn((_signal) => 1);
  late.cancel();
  assert.isTrue(late.signal.aborted, "a signal made after the cancel");
  gate.resolve();
  await group.wait();
});

// The heap is measured only where the runtime lets the test collect it:
// Deno with --v8-flags=--expose-gc, Node with --expose-gc.
const heapUsed = (): number =>
  (global.Deno ?? global.process).memoryUsage().heapUsed;
const canMeasure = typeof global.gc === "function" &&
  typeof (global.Deno ?? global.process)?.memoryUsage === "function";

Deno.test({
  name:
    "limit: 100,000 queued tasks cancelled before they start keep no memory",
  ignore: !canMeasure,
  fn: async () => {
    const group = new TaskGroup({ limit: 1 });
    const gate = deferred<void>();
    group.spawn(() => gate.promise);
    const spawnAndCancel = (n: number) => {
      for (let i = 0; i < n; i++) group.spawn((signal) => signal).cancel();
    };
    const collect = async () => {
      await flush();
      global.gc();
      global.gc();
    };
    spawnAndCancel(10_000); // warm up the code paths
    await collect();
    const before = heapUsed();
    spawnAndCancel(100_000);
    await collect();
    const growth = heapUsed() - before;
    assert.isBelow(growth, 8 * 1024 * 1024, `grew by ${growth} bytes`);
    gate.resolve();
    await group.wait();
  },
});

Deno.test("start: the caller's signal aborting before ready cancels that child only", async () => {
  const group = new TaskGroup();
  const sibling = group.spawn((signal) => sleep(Infinity, { signal }));
  const caller = new AbortController();
  let childSignal: AbortSignal | undefined;
  const started = group.start(async (signal, ready) => {
    childSignal = signal;
    await sleep(Infinity, { signal }).catch(() => {});
    if (signal.aborted) {
      throw new Error("a failure after the cancel is not the group's");
    }
    ready(undefined);
  }, { signal: caller.signal });
  const reason = new Error("caller gave up");
  caller.abort(reason);
  assert.strictEqual(await started.catch((e) => e), reason);
  assert.isTrue(childSignal!.aborted);
  assert.strictEqual(childSignal!.reason, reason);
  await flush();
  assert.isFalse(group.signal.aborted, "the group is not cancelled");
  assert.equal(sibling.state, "pending");
  group.cancel();
  await group.wait(); // resolves: no failure
});

Deno.test("start: the caller's signal after ready changes nothing; an aborted one starts nothing", async () => {
  const group = new TaskGroup();
  const caller = new AbortController();
  let childSignal: AbortSignal | undefined;
  const value = await group.start<string>(async (signal, ready) => {
    childSignal = signal;
    ready("up");
    await sleep(Infinity, { signal }).catch(() => {});
  }, { signal: caller.signal });
  assert.equal(value, "up");
  caller.abort();
  assert.isFalse(childSignal!.aborted);

  let called = false;
  const reason = new Error("already");
  const rejected = await group.start(() => (called = true), {
    signal: AbortSignal.abort(reason),
  }).catch((e) => e);
  assert.strictEqual(rejected, reason);
  assert.isFalse(called);
  group.cancel();
  await group.wait();
});

Deno.test("start: a queued child whose caller gives up never starts", async () => {
  const group = new TaskGroup({ limit: 1 });
  const gate = deferred<void>();
  group.spawn(() => gate.promise);
  const caller = new AbortController();
  let called = false;
  const started = group.start(() => (called = true), {
    signal: caller.signal,
  });
  caller.abort(new Error("no"));
  assert.equal((await started.catch((e: Error) => e) as Error).message, "no");
  gate.resolve();
  await group.wait();
  assert.isFalse(called);
});

Deno.test("names: given, else the function's own, else undefined", async () => {
  const group = new TaskGroup({ name: "crawler" });
  assert.equal(group.name, "crawler");
  assert.isUndefined(new TaskGroup().name);
  const given = group.spawn(async function fetchPage() {}, { name: "page 1" });
  const own = group.spawn(async function fetchPage() {});
  const anonymous = group.spawn(async () => {});
  const queuedGroup = new TaskGroup({ limit: 1 });
  queuedGroup.spawn(async () => {});
  const queued = queuedGroup.spawn(async () => {}, { name: "queued" });
  assert.equal(given.name, "page 1");
  assert.equal(own.name, "fetchPage");
  assert.isUndefined(anonymous.name);
  assert.equal(queued.name, "queued");
  // start() accepts a name too (its task is seen only by an inspector).
  assert.equal(
    await group.start<string>((_signal, ready) => ready("up"), { name: "api" }),
    "up",
  );
  await group.wait();
  await queuedGroup.wait();
});

Deno.test("names: a bad name is a TypeError that spawns nothing", async () => {
  assert.throws(
    () => new TaskGroup({ name: 1 as never }),
    TypeError,
    /TaskGroup: name must be a string, got 1/,
  );
  const group = new TaskGroup();
  let called = false;
  assert.throws(
    () => group.spawn(() => (called = true), { name: {} as never }),
    TypeError,
    /TaskGroup.spawn: name must be a string/,
  );
  assert.throws(
    () => group.spawn(() => (called = true), null as never),
    TypeError,
    /TaskGroup.spawn: options must be an object/,
  );
  assert.throws(
    () => group.start(() => (called = true), { name: 2 as never }),
    TypeError,
    /TaskGroup.start: name must be a string/,
  );
  assert.throws(
    () => group.start(() => (called = true), { signal: {} as never }),
    TypeError,
    /TaskGroup.start: signal/,
  );
  assert.isFalse(called);
  await group.wait();
});

Deno.test("rule 10: a task that fulfilled keeps a live signal when its group aborts later", async () => {
  const group = new TaskGroup();
  const done = group.spawn(async () => "done");
  const own = group.spawn(async (_signal) => "own");
  await Promise.all([done, own]);
  const mine = own.signal;
  group.spawn((signal) => sleep(Infinity, { signal }));
  group.cancel();
  await group.wait();
  assert.isFalse(mine.aborted);
  assert.isFalse(
    done.signal.aborted,
    "made after the abort, for a settled task",
  );
});

Deno.test("limit: the queue keeps FIFO order across cancellations, and fills again once empty", async () => {
  const group = new TaskGroup({ limit: 1 });
  const ran: number[] = [];
  const first = deferred<void>();
  group.spawn(() => first.promise);
  const queued = [1, 2, 3, 4].map((n) => group.spawn(() => ran.push(n)));
  queued[1].cancel();
  first.resolve();
  await Promise.all([queued[0], queued[2], queued[3]]);
  assert.deepEqual(ran, [1, 3, 4]);
  assert.equal(queued[1].state, "cancelled");
  const second = deferred<void>();
  group.spawn(() => second.promise);
  group.spawn(() => ran.push(5));
  group.spawn(() => ran.push(6));
  assert.deepEqual(ran, [1, 3, 4]);
  second.resolve();
  await group.wait();
  assert.deepEqual(ran, [1, 3, 4, 5, 6]);
});

Deno.test("limit: a task whose signal was read while queued gets that signal, and the group's abort", async () => {
  const group = new TaskGroup({ limit: 1 });
  const gate = deferred<void>();
  group.spawn(() => gate.promise);
  const started = deferred<AbortSignal>();
  const queued = group.spawn((signal) => {
    started.resolve(signal);
    return sleep(Infinity, { signal });
  });
  const early = queued.signal;
  gate.resolve();
  assert.strictEqual(await started.promise, early);
  assert.isFalse(early.aborted);
  const reason = new Error("stop");
  group.cancel(reason);
  assert.strictEqual(early.reason, reason);
  await group.wait();
  assert.equal(queued.state, "cancelled");
});

Deno.test("a group's abort: its own signal first, then its children", async () => {
  const group = new TaskGroup({ limit: 1 });
  const running = group.spawn((signal) => sleep(Infinity, { signal }));
  const queued = group.spawn((_signal) => 1);
  const seen: unknown[] = [];
  group.signal.addEventListener("abort", () => {
    seen.push(running.signal.aborted, queued.state);
  });
  group.cancel();
  assert.deepEqual(seen, [false, "pending"]);
  assert.isTrue(running.signal.aborted);
  assert.equal(queued.state, "cancelled");
  await group.wait();
  assert.equal(running.state, "cancelled");
});
