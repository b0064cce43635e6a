import { assert } from "chai";
import fc from "fast-check";
import { Channel, ChannelClosedError } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

Deno.test("Channel: rendezvous — send resolves only when a receiver takes the value", async () => {
  const ch = new Channel<number>();
  const sent = track(ch.send(1));
  await flush();
  assert.equal(sent.state, "pending");
  assert.equal(ch.size, 0);
  assert.equal(await ch.receive(), 1);
  await flush();
  assert.equal(sent.state, "fulfilled");
  const received = track(ch.receive());
  await ch.send(2); // a receiver is waiting: hands over at once
  await flush();
  assert.equal(received.value, 2);
});

Deno.test("Channel: buffered — send waits only while the buffer is full; FIFO", async () => {
  const ch = new Channel<number>({ capacity: 2 });
  await ch.send(1);
  await ch.send(2);
  const third = track(ch.send(3));
  const fourth = track(ch.send(4));
  await flush();
  assert.equal(third.state, "pending");
  assert.equal(ch.size, 2);
  assert.equal(await ch.receive(), 1);
  await flush();
  assert.equal(third.state, "fulfilled");
  assert.equal(fourth.state, "pending");
  assert.deepEqual(
    [await ch.receive(), await ch.receive(), await ch.receive()],
    [2, 3, 4],
  );
});

Deno.test("Channel: an aborted send never delivers its value; the next sender's is", async () => {
  using probe = probeAbortListeners();
  const ch = new Channel<string>();
  const controller = new AbortController();
  const why = reason();
  const first = track(ch.send("lost", { signal: controller.signal }));
  const second = track(ch.send("kept"));
  controller.abort(why);
  assert.equal(await ch.receive(), "kept");
  await flush();
  assert.strictEqual(first.reason, why);
  assert.equal(second.state, "fulfilled");
  assert.equal(probe.count(), 0);
  const already = ch.send("never", { signal: AbortSignal.abort(why) });
  const receiver = track(ch.receive());
  assert.strictEqual(await already.catch((e) => e), why);
  await flush();
  assert.equal(receiver.state, "pending"); // the aborted value was not delivered
  ch.close();
  await flush();
  assert.instanceOf(receiver.reason, ChannelClosedError);
});

Deno.test("Channel: an aborted receiver leaves; the next receiver gets the value", async () => {
  const ch = new Channel<number>();
  const controller = new AbortController();
  const first = track(ch.receive({ signal: controller.signal }));
  const second = track(ch.receive());
  controller.abort();
  await ch.send(5);
  await flush();
  assert.equal(first.state, "rejected");
  assert.equal(second.value, 5);
});

Deno.test("Channel: abort after settle is harmless", async () => {
  using probe = probeAbortListeners();
  const ch = new Channel<number>({ capacity: 1 });
  const controller = new AbortController();
  await ch.send(1, { signal: controller.signal });
  assert.equal(await ch.receive({ signal: controller.signal }), 1);
  controller.abort();
  assert.equal(probe.count(), 0);
  assert.equal(ch.size, 0);
});

Deno.test("Channel: a closed channel with buffered items drains before ending", async () => {
  const ch = new Channel<number>({ capacity: 3 });
  for (const n of [1, 2, 3]) await ch.send(n);
  ch.close();
  assert.isTrue(ch.closed);
  assert.instanceOf(await ch.send(4).catch((e) => e), ChannelClosedError);
  const seen: number[] = [];
  for await (const n of ch) seen.push(n);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.instanceOf(await ch.receive().catch((e) => e), ChannelClosedError);
});

Deno.test("Channel: close rejects waiting receivers and waiting senders", async () => {
  const empty = new Channel<number>();
  const receivers = [track(empty.receive()), track(empty.receive())];
  empty.close();
  empty.close(); // idempotent
  await flush();
  for (const r of receivers) assert.instanceOf(r.reason, ChannelClosedError);

  const full = new Channel<number>({ capacity: 1 });
  await full.send(1);
  const waiting = track(full.send(2));
  full.close();
  await flush();
  assert.instanceOf(waiting.reason, ChannelClosedError);
  assert.equal(await full.receive(), 1);
  assert.instanceOf(await full.receive().catch((e) => e), ChannelClosedError);
});

Deno.test("Channel: await using closes it", async () => {
  let ch: Channel<number>;
  {
    await using channel = new Channel<number>();
    ch = channel;
    assert.isFalse(ch.closed);
  }
  assert.isTrue(ch.closed);
});

Deno.test("Channel: early break from iteration; return() settles a pending next", async () => {
  const ch = new Channel<number>({ capacity: 4 });
  for (const n of [1, 2, 3]) await ch.send(n);
  for await (const n of ch) if (n === 1) break;
  assert.equal(ch.size, 2);
  const it = ch[Symbol.asyncIterator]();
  assert.deepEqual(await it.next(), { done: false, value: 2 });
  assert.deepEqual(await it.next(), { done: false, value: 3 });
  const pending = it.next();
  await it.return!();
  assert.deepEqual(await pending, { done: true, value: undefined });
  await ch.send(9); // buffered for the next receiver, not lost to the iterator
  assert.equal(ch.size, 1);
});

Deno.test("Channel: iteration with a concurrent producer", async () => {
  const ch = new Channel<number>();
  const producer = (async () => {
    for (let i = 0; i < 100; i++) await ch.send(i);
    ch.close();
  })();
  let sum = 0;
  for await (const n of ch) sum += n;
  await producer;
  assert.equal(sum, 4950);
});

Deno.test("Channel.trySend: hands a value to a waiting receiver, even on a rendezvous channel", async () => {
  const ch = new Channel<string>();
  assert.isFalse(ch.trySend("nobody"));
  const controller = new AbortController();
  const aborted = track(ch.receive({ signal: controller.signal }));
  const receiver = track(ch.receive());
  controller.abort(reason());
  await flush();
  assert.isTrue(ch.trySend("first"));
  assert.isFalse(ch.trySend("second")); // the one receiver is served
  await flush();
  assert.equal(aborted.state, "rejected");
  assert.equal(receiver.value, "first");
  assert.equal(ch.size, 0);
});

Deno.test("Channel.trySend: buffers while there is room, then refuses without waiting", async () => {
  const ch = new Channel<number>({ capacity: 2 });
  assert.isTrue(ch.trySend(1));
  assert.isTrue(ch.trySend(2));
  assert.isFalse(ch.trySend(3));
  assert.equal(ch.size, 2);
  assert.equal(await ch.receive(), 1);
  assert.isTrue(ch.trySend(4));
  ch.close();
  assert.deepEqual([ch.tryReceive(), ch.tryReceive()], [2, 4]);
});

Deno.test("Channel.tryReceive: takes from a waiting sender and frees its slot", async () => {
  const ch = new Channel<number>({ capacity: 1 });
  assert.isUndefined(ch.tryReceive());
  await ch.send(1);
  const waiting = track(ch.send(2)); // full: waits
  assert.equal(ch.tryReceive(), 1);
  await flush();
  assert.equal(waiting.state, "fulfilled"); // its value moved into the buffer
  assert.equal(ch.size, 1);
  assert.equal(ch.tryReceive(), 2);
  const rendezvous = new Channel<string>();
  const sent = track(rendezvous.send("direct"));
  assert.equal(rendezvous.tryReceive(), "direct");
  await flush();
  assert.equal(sent.state, "fulfilled");
  assert.isUndefined(rendezvous.tryReceive());
});

Deno.test("Channel: trySend and tryReceive throw ChannelClosedError where send and receive would reject", () => {
  const ch = new Channel<number>({ capacity: 1 });
  assert.isTrue(ch.trySend(1));
  ch.close();
  assert.throws(
    () => ch.trySend(2),
    ChannelClosedError,
    /Channel.trySend: the channel is closed/,
  );
  assert.equal(ch.tryReceive(), 1); // buffered values drain after close
  assert.throws(
    () => ch.tryReceive(),
    ChannelClosedError,
    /Channel.tryReceive: the channel is closed and empty/,
  );
  assert.equal(ch.size, 0);
});

Deno.test("Channel.tryReceive: an undefined value and an empty channel look alike; wrapping tells them apart", () => {
  const ch = new Channel<{ value: undefined }>({ capacity: 1 });
  assert.isUndefined(ch.tryReceive());
  ch.trySend({ value: undefined });
  assert.deepEqual(ch.tryReceive(), { value: undefined });
});

Deno.test("Channel: bad arguments throw at the call site", () => {
  assert.throws(() => new Channel({ capacity: -1 }), RangeError, /capacity/);
  assert.throws(() => new Channel({ capacity: 0.5 }), RangeError, /capacity/);
  assert.throws(
    () => new Channel({ capacity: "1" as never }),
    TypeError,
    /capacity/,
  );
  assert.throws(() => new Channel(3 as never), TypeError, /options/);
  const ch = new Channel<number>({ capacity: Infinity });
  assert.equal(ch.capacity, Infinity);
  assert.throws(() => ch.send(1, { signal: 1 as never }), TypeError, /signal/);
  assert.throws(() => ch.receive("x" as never), TypeError, /options/);
  assert.equal(ch.size, 0);
});

Deno.test("Channel: no abort listeners left after many aborted and served waits", async () => {
  using probe = probeAbortListeners();
  const ch = new Channel<number>();
  const controller = new AbortController();
  const signal = controller.signal;
  const consumer = (async () => {
    let n = 0;
    for (let i = 0; i < 300; i++) n += await ch.receive({ signal });
    return n;
  })();
  for (let i = 0; i < 300; i++) await ch.send(1, { signal });
  assert.equal(await consumer, 300);
  const dead = new AbortController();
  const waits = Array.from(
    { length: 50 },
    (_, i) =>
      (i % 2
        ? ch.send(i, { signal: dead.signal })
        : ch.receive({ signal: dead.signal })).catch(() => 0),
  );
  dead.abort();
  await Promise.all(waits);
  assert.equal(probe.count(), 0);
});

type ChannelCmd =
  | { kind: "send"; value: number; abortable: boolean }
  | { kind: "receive"; abortable: boolean }
  | { kind: "trySend"; value: number }
  | { kind: "tryReceive" }
  | { kind: "close" }
  | { kind: "abort"; pick: number };

// A synchronous call's outcome as a string: its result, or "closed".
function attempt(call: () => unknown): string {
  try {
    return `${call()}`;
  } catch (e) {
    assert.instanceOf(e, ChannelClosedError);
    return "closed";
  }
}

Deno.test("Channel: property — send/receive/trySend/tryReceive/close/abort match a buffer model", async () => {
  const cmd = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("send" as const),
        value: fc.integer({ min: 0, max: 99 }),
        abortable: fc.boolean(),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("receive" as const),
        abortable: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("trySend" as const),
        value: fc.integer({ min: 0, max: 99 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("tryReceive" as const) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("close" as const) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("abort" as const),
        pick: fc.nat(),
      }),
    },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(0, 1, 3),
      fc.array(cmd, { maxLength: 25 }),
      async (capacity, cmds: ChannelCmd[]) => {
        const ch = new Channel<number>({ capacity });
        const buffer: number[] = [];
        const senders: { id: number; value: number }[] = [];
        const receivers: number[] = [];
        let closed = false;
        const expected = new Map<number, string>();
        const actual = new Map<number, string>();
        const controllers = new Map<number, AbortController>();
        const observe = (id: number, promise: Promise<unknown>) =>
          promise.then(
            (v) => actual.set(id, `ok:${v}`),
            (e) =>
              actual.set(
                id,
                e instanceof ChannelClosedError ? "closed" : "aborted",
              ),
          );
        let next = 0;
        for (const c of cmds) {
          const id = next++;
          const controller = "abortable" in c && c.abortable
            ? new AbortController()
            : undefined;
          if (controller) controllers.set(id, controller);
          const signal = controller?.signal;
          if (c.kind === "send") {
            if (closed) expected.set(id, "closed");
            else if (receivers.length > 0) {
              expected.set(receivers.shift()!, `ok:${c.value}`);
              expected.set(id, "ok:undefined");
            } else if (buffer.length < capacity) {
              buffer.push(c.value);
              expected.set(id, "ok:undefined");
            } else senders.push({ id, value: c.value });
            observe(id, ch.send(c.value, { signal }));
          } else if (c.kind === "receive") {
            if (buffer.length > 0) {
              expected.set(id, `ok:${buffer.shift()}`);
              const sender = senders.shift();
              if (sender) {
                buffer.push(sender.value);
                expected.set(sender.id, "ok:undefined");
              }
            } else if (senders.length > 0) {
              const sender = senders.shift()!;
              expected.set(id, `ok:${sender.value}`);
              expected.set(sender.id, "ok:undefined");
            } else if (closed) expected.set(id, "closed");
            else receivers.push(id);
            observe(id, ch.receive({ signal }));
          } else if (c.kind === "trySend") {
            // Synchronous: the outcome is known at once.
            let want: string;
            if (closed) want = "closed";
            else if (receivers.length > 0) {
              expected.set(receivers.shift()!, `ok:${c.value}`);
              want = "true";
            } else if (buffer.length < capacity) {
              buffer.push(c.value);
              want = "true";
            } else want = "false";
            assert.equal(attempt(() => ch.trySend(c.value)), want);
          } else if (c.kind === "tryReceive") {
            let want: string;
            if (buffer.length > 0) {
              want = `${buffer.shift()}`;
              const sender = senders.shift();
              if (sender) {
                buffer.push(sender.value);
                expected.set(sender.id, "ok:undefined");
              }
            } else if (senders.length > 0) {
              const sender = senders.shift()!;
              want = `${sender.value}`;
              expected.set(sender.id, "ok:undefined");
            } else if (closed) want = "closed";
            else want = "undefined";
            assert.equal(attempt(() => ch.tryReceive()), want);
          } else if (c.kind === "close") {
            closed = true;
            for (const r of receivers.splice(0)) expected.set(r, "closed");
            for (const s of senders.splice(0)) expected.set(s.id, "closed");
            ch.close();
          } else {
            const waiting = [...senders.map((s) => s.id), ...receivers].filter((
              w,
            ) => controllers.has(w));
            if (waiting.length === 0) continue;
            const victim = waiting[c.pick % waiting.length];
            const si = senders.findIndex((s) => s.id === victim);
            if (si >= 0) senders.splice(si, 1);
            else receivers.splice(receivers.indexOf(victim), 1);
            expected.set(victim, "aborted");
            controllers.get(victim)!.abort();
          }
          assert.equal(ch.size, buffer.length);
        }
        ch.close();
        for (const r of receivers) expected.set(r, "closed");
        for (const s of senders) expected.set(s.id, "closed");
        await flush(3);
        assert.deepEqual(actual, expected);
      },
    ),
    { numRuns: 1000 },
  );
});
