import { assert } from "chai";
import { serve, transfer } from "../../src/worker/mod.ts";
import { dispose } from "../_helpers/symbols.ts";

// serve() speaks to any port; a MessageChannel stands in for a worker here,
// so these run everywhere (workerd included). The pool's tests drive serve
// through real workers.

/** A port pair: `port` is served, `send` and `next` talk to it. */
function channel() {
  const { port1, port2 } = new MessageChannel();
  const replies: unknown[] = [];
  let wake: (() => void) | null = null;
  port2.onmessage = (event) => {
    replies.push(event.data);
    wake?.();
  };
  return {
    port: port1,
    send: (message: unknown, list?: Transferable[]) =>
      port2.postMessage(message, list ?? []),
    async next(): Promise<unknown> {
      while (replies.length === 0) {
        await new Promise<void>((resolve) => wake = resolve);
      }
      return replies.shift();
    },
    close() {
      port1.close();
      port2.close();
    },
  };
}

Deno.test("serve: answers runs, sync and async, and reports unknown names", async () => {
  const c = channel();
  const serving = serve({
    add: ([a, b]: number[]) => a + b,
    later: async (n: number) => n + 1,
  }, { port: c.port });
  c.port.start();
  try {
    c.send([0, 1, "add", [2, 3]]);
    assert.deepEqual(await c.next(), [1, 0, 5]);
    c.send([0, 2, "later", 1]);
    assert.deepEqual(await c.next(), [2, 0, 2]);
    c.send([0, 3, "missing"]);
    const [id, kind, sent] = await c.next() as [number, number, {
      error: { name: string; message: string };
    }];
    assert.equal(id, 3);
    assert.equal(kind, 1);
    assert.equal(sent.error.name, "TypeError");
    assert.include(sent.error.message, '"missing"');
    // Messages that are not the pool's are ignored.
    c.send({ hello: true });
    c.send("text");
    c.send([0, 4, "add", [1, 1]]);
    assert.deepEqual(await c.next(), [4, 0, 2]);
  } finally {
    serving[dispose]();
    c.close();
  }
});

Deno.test("serve: a cancel message aborts the handler's signal with the reason", async () => {
  const c = channel();
  const seen: unknown[] = [];
  const serving = serve({
    wait: (_: unknown, { signal }: { signal: AbortSignal }) =>
      new Promise((_, reject) => {
        signal.addEventListener("abort", () => {
          seen.push(signal.reason);
          reject(signal.reason);
        });
      }),
  }, { port: c.port });
  c.port.start();
  try {
    c.send([0, 7, "wait"]);
    c.send([1, 7, { error: { name: "Error", message: "stop", dom: false } }]);
    const [, kind] = await c.next() as [number, number];
    assert.equal(kind, 1);
    assert.instanceOf(seen[0], Error);
    assert.equal((seen[0] as Error).message, "stop");
    c.send([1, 99, { value: "unknown run: ignored" }]);
  } finally {
    serving[dispose]();
    c.close();
  }
});

Deno.test("serve: disposing stops serving and aborts runs in progress", async () => {
  const c = channel();
  let signal: AbortSignal | undefined;
  const serving = serve({
    hang: (_: unknown, context: { signal: AbortSignal }) => {
      signal = context.signal;
      return new Promise(() => {});
    },
    ping: () => "pong",
  }, { port: c.port });
  c.port.start();
  c.send([0, 1, "hang"]);
  c.send([0, 2, "ping"]);
  assert.deepEqual(await c.next(), [2, 0, "pong"]);
  serving[dispose]();
  serving[dispose](); // idempotent
  assert.isTrue(signal!.aborted);
  // A listener of the test's own answers instead: had serve still been
  // listening (it was added first), its reply would arrive first.
  c.port.addEventListener("message", () => c.port.postMessage("seen"));
  c.send([0, 3, "ping"]);
  assert.equal(await c.next(), "seen");
  c.close();
});

/** Whether this runtime's MessagePort takes a transfer list (workerd's does not). */
function portsTransfer(): boolean {
  const { port1, port2 } = new MessageChannel();
  const buffer = new ArrayBuffer(1);
  try {
    port1.postMessage(null, [buffer]);
    return buffer.byteLength === 0;
  } catch {
    return false;
  } finally {
    port1.close();
    port2.close();
  }
}

Deno.test("serve: transfer() moves a result's buffers", async () => {
  const c = channel();
  let made: Uint8Array | undefined;
  const serving = serve({
    make: (n: number) => {
      made = new Uint8Array(n);
      return transfer(made, [made.buffer]);
    },
    bad: () => () => {},
  }, { port: c.port });
  c.port.start();
  try {
    c.send([0, 1, "make", 8]);
    const [, kind, value] = await c.next() as [number, number, unknown];
    if (portsTransfer()) {
      assert.equal(kind, 0);
      assert.equal((value as Uint8Array).length, 8);
      assert.equal(made!.byteLength, 0, "detached in the sender");
    } else {
      // The port refuses the transfer: serve answers with that error.
      assert.equal(kind, 1);
      assert.property(value, "error");
    }
    c.send([0, 2, "bad"]);
    const [, failed, sent] = await c.next() as [number, number, {
      error: { name: string };
    }];
    assert.equal(failed, 1);
    assert.equal(sent.error.name, "DataCloneError");
  } finally {
    serving[dispose]();
    c.close();
  }
});

Deno.test("serve and transfer: bad arguments throw synchronously", () => {
  // deno-lint-ignore no-explicit-any
  const s = serve as any;
  assert.throws(() => s(null), TypeError, "serve: handlers must be an object");
  assert.throws(() => s({}, 5), TypeError, "serve: options must be an object");
  assert.throws(
    () => s({}, { port: { postMessage() {} } }),
    TypeError,
    "serve: port must have postMessage",
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => (transfer as any)(1, "x"),
    TypeError,
    "transfer: transferables must be an array",
  );
});
