// Each operator against the equivalent array computation, plus the cases the
// battery cannot express (several sources, sources of their own, terminals).
import { assert } from "chai";
import {
  buffer,
  chunk,
  concat,
  drop,
  dropWhile,
  every,
  filter,
  find,
  flatMap,
  forEach,
  fromEvent,
  interval,
  map,
  merge,
  reduce,
  scan,
  some,
  take,
  takeWhile,
  tee,
  throttle,
  timeoutEach,
  toArray,
  withSignal,
  zip,
} from "../../src/iter/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { Hooks, probe, settle, within } from "./_battery.ts";

async function* gen<T>(items: T[]) {
  for (const item of items) yield item;
}

const xs = [5, 3, 8, 1, 9, 2, 7];

Deno.test("operators match their array equivalents", async () => {
  for (const source of [() => xs, () => gen(xs)]) {
    assert.deepEqual(
      await toArray(map(source(), (x) => x * 2)),
      xs.map((x) => x * 2),
    );
    assert.deepEqual(
      await toArray(filter(source(), (x) => Promise.resolve(x > 4))),
      xs.filter((x) => x > 4),
    );
    assert.deepEqual(
      await toArray(flatMap(source(), (x) => gen([x, -x]))),
      xs.flatMap((x) => [x, -x]),
    );
    assert.deepEqual(await toArray(take(source(), 3)), xs.slice(0, 3));
    assert.deepEqual(await toArray(take(source(), 0)), []);
    assert.deepEqual(await toArray(drop(source(), 3)), xs.slice(3));
    assert.deepEqual(await toArray(takeWhile(source(), (x) => x !== 1)), [
      5,
      3,
      8,
    ]);
    assert.deepEqual(await toArray(dropWhile(source(), (x) => x !== 1)), [
      1,
      9,
      2,
      7,
    ]);
    assert.deepEqual(await toArray(scan(source(), (a, x) => a + x, 0)), [
      5,
      8,
      16,
      17,
      26,
      28,
      35,
    ]);
    assert.equal(
      await reduce(source(), (a, x) => a + x, 0),
      xs.reduce((a, x) => a + x, 0),
    );
    assert.isTrue(await some(source(), (x) => x === 9));
    assert.isFalse(await every(source(), (x) => x > 1));
    assert.equal(await find(source(), (x) => x > 7), 8);
    assert.deepEqual(await toArray(chunk(source(), 3)), [[5, 3, 8], [1, 9, 2], [
      7,
    ]]);
    assert.deepEqual(await toArray(buffer(source(), 2)), xs);
    assert.deepEqual(await toArray(timeoutEach(source(), 1000)), xs);
    assert.deepEqual(
      await toArray(withSignal(source(), new AbortController().signal)),
      xs,
    );
    assert.deepEqual(await toArray(concat(source(), [0])), [...xs, 0]);
    assert.deepEqual(await toArray(zip(source(), "abc")), [[5, "a"], [3, "b"], [
      8,
      "c",
    ]]);
    assert.sameMembers(await toArray(merge(source(), [0])), [...xs, 0]);
    const seen: number[] = [];
    await forEach(source(), (x, { index }) => {
      seen[index] = x;
    });
    assert.deepEqual(seen, xs);
  }
});

Deno.test("callbacks receive the index", async () => {
  const indexes = await toArray(
    map(["a", "b", "c"], (_, { index }) => index, { concurrency: 2 }),
  );
  assert.deepEqual(indexes, [0, 1, 2]);
});

Deno.test("sync iterables of promises are awaited, like for await", async () => {
  assert.deepEqual(await toArray([Promise.resolve(1), 2]), [1, 2]);
});

Deno.test("unordered map yields in completion order", async () => {
  const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
  const out = map([0, 1, 2], async (i) => {
    await gates[i].promise;
    return i;
  }, { concurrency: 3, ordered: false });
  const collected = toArray(out);
  gates[2].resolve();
  await settle();
  gates[0].resolve();
  await settle();
  gates[1].resolve();
  assert.deepEqual(await collected, [2, 0, 1]);
});

Deno.test("concurrent map: source error after some results", async () => {
  const failure = new Error("late");
  const source = probe(10, { failAt: 3, failure });
  const error = await toArray(
    map(source, (x) => Promise.resolve(x), { concurrency: 2 }),
  )
    .catch((e) => e);
  assert.strictEqual(error, failure);
});

Deno.test("merge returns every unfinished source on break", async () => {
  const a = probe(100);
  const b = probe(100);
  for await (const _ of merge(a, b)) break;
  assert.equal(a.returns, 1);
  assert.equal(b.returns, 1);
});

Deno.test("merge: a failing source returns the others", async () => {
  const failure = new Error("b failed");
  const a = probe(100, { stallAt: 2 });
  const b = probe(10, { failAt: 1, failure });
  assert.strictEqual(
    await within(toArray(merge(a, b)).catch((e) => e)),
    failure,
  );
  assert.equal(a.returns, 1);
  assert.equal(b.returns, 0);
});

Deno.test("zip returns the longer sources when the shortest ends", async () => {
  const a = probe(2);
  const b = probe(100);
  assert.deepEqual(await toArray(zip(a, b)), [[0, 0], [1, 1]]);
  assert.equal(a.returns, 0);
  assert.equal(b.returns, 1);
});

Deno.test("concat opens a source only when reached", async () => {
  const a = probe(100);
  const b = probe(100);
  for await (const _ of concat(a, b)) break;
  assert.equal(a.returns, 1);
  assert.equal(b.pulls, 0);
  assert.equal(b.returns, 0);
});

Deno.test("tee: every branch sees every item; the last to leave returns the source", async () => {
  const source = probe(5);
  const [a, b] = tee(source, 2);
  const [ra, rb] = await Promise.all([toArray(a), toArray(b)]);
  assert.deepEqual(ra, [0, 1, 2, 3, 4]);
  assert.deepEqual(rb, ra);

  const long = probe(100);
  const [c, d] = tee(long, 2);
  await c.next();
  await c.return();
  assert.equal(long.returns, 0);
  await d.next();
  await d.return();
  assert.equal(long.returns, 1);
});

Deno.test("tee: a lagging branch holds the buffer to bufferSize", async () => {
  const source = probe(100);
  const [fast, slow] = tee(source, 2, { bufferSize: 4 });
  const got: number[] = [];
  for (let i = 0; i < 4; i++) got.push((await fast.next()).value!);
  const blocked = fast.next();
  await settle();
  assert.equal(source.pulls, 4, "no pull past the bound");
  assert.equal((await slow.next()).value, 0);
  assert.equal((await within(blocked)).value, 4);
  await fast.return();
  await slow.return();
  assert.equal(source.returns, 1);
});

Deno.test("buffer reads ahead at most size items", async () => {
  const source = probe(100);
  const ahead = buffer(source, 3);
  await ahead.next();
  await settle();
  assert.equal(source.pulls, 4);
  await ahead.return();
  assert.equal(source.returns, 1);
});

Deno.test("chunk emits a partial chunk after maxWait", async () => {
  const gate = deferred<void>();
  async function* slow() {
    yield 1;
    await gate.promise;
    yield 2;
  }
  const batches = chunk(slow(), 10, { maxWait: 10 });
  assert.deepEqual((await batches.next()).value, [1]);
  gate.resolve();
  assert.deepEqual(await toArray(batches), [[2]]);
});

Deno.test("timeoutEach rejects a late step with TimeoutError and returns the source", async () => {
  const source = probe(10, { stallAt: 1 });
  const it = timeoutEach(source, 5);
  assert.equal((await it.next()).value, 0);
  const error = await within(it.next().catch((e) => e));
  assert.equal(error.name, "TimeoutError");
  assert.equal(source.returns, 1);
});

Deno.test("throttle spaces items beyond the limit", async () => {
  const times: number[] = [];
  for await (const _ of throttle([1, 2, 3], { limit: 1, interval: 10 })) {
    times.push(Date.now());
  }
  // The system-clock path: real timers really wait. Exact spacing is tested
  // on a TestClock (tests/iter/clock_test.ts); host timers may fire a
  // millisecond or two early, and Bun's did by more under load.
  assert.isAtLeast(times[2] - times[0], 8);
});

Deno.test("interval: return() settles a waiting next() and clears the timer", async () => {
  const ticks = interval(60_000);
  const pending = ticks.next();
  await ticks.return();
  assert.isTrue((await pending).done);
});

Deno.test("interval: abort rejects with the reason", async () => {
  const controller = new AbortController();
  const ticks = interval(60_000, { signal: controller.signal });
  const pending = ticks.next();
  controller.abort(new Error("stop"));
  assert.equal((await pending.catch((e) => e)).message, "stop");
});

// An EventTarget that counts its listeners (removing one twice counts once,
// as removeEventListener does nothing the second time).
function countedTarget(): EventTarget & { readonly listeners: number } {
  const added = new Set<unknown>();
  const target = new EventTarget();
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (
    ...args: Parameters<EventTarget["addEventListener"]>
  ) => {
    added.add(args[1]);
    add(...args);
  };
  target.removeEventListener = (
    ...args: Parameters<EventTarget["removeEventListener"]>
  ) => {
    added.delete(args[1]);
    remove(...args);
  };
  return Object.defineProperty(target, "listeners", {
    get: () => added.size,
  }) as EventTarget & { readonly listeners: number };
}

Deno.test("fromEvent: listener removed on return and on abort", async () => {
  const target = countedTarget();
  const events = fromEvent(target, "x");
  assert.equal(target.listeners, 0, "lazy");
  const pending = events.next();
  assert.equal(target.listeners, 1);
  target.dispatchEvent(new Event("x"));
  assert.equal((await pending).value?.type, "x");
  await events.return();
  assert.equal(target.listeners, 0);

  const controller = new AbortController();
  const guarded = fromEvent(target, "x", { signal: controller.signal });
  const waiting = guarded.next();
  controller.abort(new Error("off"));
  assert.equal((await waiting.catch((e) => e)).message, "off");
  assert.equal(target.listeners, 0);
});

Deno.test("fromEvent: overflow policies", async () => {
  const target = new EventTarget();
  const fire = (n: number) => {
    for (let i = 0; i < n; i++) {
      target.dispatchEvent(new CustomEvent("x", { detail: i }));
    }
  };
  const strict = fromEvent<CustomEvent<number>>(target, "x", { maxBuffer: 2 });
  const first = strict.next();
  fire(4); // 0 consumed by the pending next, 1 and 2 buffered, 3 overflows
  assert.equal((await first).value?.detail, 0);
  assert.equal((await strict.next()).value?.detail, 1);
  assert.equal((await strict.next()).value?.detail, 2);
  assert.instanceOf(await strict.next().catch((e) => e), RangeError);

  const latest = fromEvent<CustomEvent<number>>(target, "x", {
    maxBuffer: 2,
    overflow: "drop-oldest",
  });
  const head = latest.next();
  fire(5);
  assert.equal((await head).value?.detail, 0);
  assert.deepEqual([
    (await latest.next()).value?.detail,
    (await latest.next()).value?.detail,
  ], [3, 4]);
  await latest.return();
});

Deno.test('fromEvent: an overflow with "error" removes the listener at once; "drop-newest" keeps the first', async () => {
  const target = countedTarget();
  const fire = (n: number) => {
    for (let i = 0; i < n; i++) {
      target.dispatchEvent(new CustomEvent("x", { detail: i }));
    }
  };
  const strict = fromEvent<CustomEvent<number>>(target, "x", { maxBuffer: 1 });
  const first = strict.next();
  assert.equal(target.listeners, 1);
  fire(3); // 0 to the pending next, 1 buffered, 2 overflows
  assert.equal(target.listeners, 0, "removed by the overflow at once");
  assert.equal((await first).value?.detail, 0);
  assert.equal((await strict.next()).value?.detail, 1);
  const error = await strict.next().catch((e) => e);
  assert.instanceOf(error, RangeError);
  assert.equal(
    error.message,
    'fromEvent: more than 1 "x" events waited (maxBuffer)',
  );

  const oldest = fromEvent<CustomEvent<number>>(target, "x", {
    maxBuffer: 2,
    overflow: "drop-newest",
  });
  const head = oldest.next();
  fire(5);
  assert.equal((await head).value?.detail, 0);
  assert.deepEqual([
    (await oldest.next()).value?.detail,
    (await oldest.next()).value?.detail,
  ], [1, 2]);
  assert.equal(target.listeners, 1);
  await oldest.return();
  assert.equal(target.listeners, 0);
});

Deno.test("terminals: abort with a stuck source rejects with the reason, returns it", async () => {
  for (
    const run of [
      (s: AsyncIterable<number>, signal: AbortSignal) => toArray(s, { signal }),
      (s: AsyncIterable<number>, signal: AbortSignal) =>
        reduce(s, (a, x) => a + x, 0, { signal }),
      (s: AsyncIterable<number>, signal: AbortSignal) =>
        some(s, () => false, { signal }),
      (s: AsyncIterable<number>, signal: AbortSignal) =>
        every(s, () => true, { signal }),
      (s: AsyncIterable<number>, signal: AbortSignal) =>
        find(s, () => false, { signal }),
      (s: AsyncIterable<number>, signal: AbortSignal) =>
        forEach(s, () => {}, { signal, concurrency: 2 }),
    ]
  ) {
    const source = probe(10, { stallAt: 2 });
    const controller = new AbortController();
    const done = run(source, controller.signal);
    await settle();
    const reason = new Error("cancel");
    controller.abort(reason);
    assert.strictEqual(await within(done.catch((e) => e)), reason);
    assert.equal(source.returns, 1);
  }
});

Deno.test("terminals: a failing callback returns the source and rejects", async () => {
  const failure = new Error("bad item");
  const fail = () => {
    throw failure;
  };
  for (
    const run of [
      (s: AsyncIterable<number>) => reduce(s, fail, 0),
      (s: AsyncIterable<number>) => some(s, fail),
      (s: AsyncIterable<number>) => every(s, fail),
      (s: AsyncIterable<number>) => find(s, fail),
      (s: AsyncIterable<number>) => forEach(s, fail),
    ]
  ) {
    const source = probe(10);
    assert.strictEqual(await run(source).catch((e) => e), failure);
    assert.equal(source.returns, 1);
  }
});

Deno.test("forEach: a failure aborts the running calls and waits for them", async () => {
  const hooks = new Hooks();
  hooks.hang = true;
  const failure = new Error("third");
  const error = await within(
    forEach(probe(10), async (x, c) => {
      if (x === 2) {
        await Promise.resolve();
        throw failure;
      }
      await hooks.call(x, c);
    }, { concurrency: 3 }).catch((e) => e),
  );
  assert.strictEqual(error, failure);
  assert.equal(hooks.started, 2);
  assert.equal(hooks.aborted, 2);
  assert.equal(hooks.running, 0);
});

Deno.test("some/every/find stop early and return the source", async () => {
  const source = probe(100);
  assert.isTrue(await some(source, (x) => x === 3));
  assert.equal(source.pulls, 4);
  assert.equal(source.returns, 1);
});

Deno.test("no abort listener is left on a long-lived signal", async () => {
  using listeners = probeAbortListeners();
  const controller = new AbortController();
  const { signal } = controller;
  await toArray(
    map(gen(xs), (x, c) => Promise.resolve((c.signal, x)), {
      concurrency: 3,
      signal,
    }),
  );
  await toArray(filter(xs, (x, c) => (c.signal, x > 2), { signal }));
  for await (const _ of map(xs, (x) => x, { signal })) break;
  await toArray(withSignal(take(interval(1, { signal }), 2), signal));
  await reduce(xs, (a, x) => a + x, 0, { signal });
  assert.equal(listeners.count(signal), 0);
});

Deno.test("concurrent next() calls are served in order", async () => {
  const it = map(gen([1, 2, 3]), (x) => Promise.resolve(x));
  const results = await Promise.all([
    it.next(),
    it.next(),
    it.next(),
    it.next(),
  ]);
  assert.deepEqual(results.map((r) => r.value), [1, 2, 3, undefined]);
});

Deno.test("await using returns the source", async () => {
  const source = probe(10);
  {
    await using it = map(source, (x) => x);
    await it.next();
  }
  assert.equal(source.returns, 1);
});
