import { assert } from "chai";
import { isAbortError, linkSignals } from "../../src/cancel/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("linkSignals aborts the child with the first parent's reason", () => {
  const a = new AbortController();
  const b = new AbortController();
  using link = linkSignals(a.signal, undefined, b.signal);
  const reason = new Error("b");
  b.abort(reason);
  assert.isTrue(link.signal.aborted);
  assert.strictEqual(link.signal.reason, reason);
  a.abort(new Error("a"));
  assert.strictEqual(link.signal.reason, reason);
});

Deno.test("linkSignals starts aborted when a parent already is", () => {
  using probe = probeAbortListeners();
  const reason = new Error("early");
  const live = new AbortController();
  using link = linkSignals(live.signal, AbortSignal.abort(reason));
  assert.strictEqual(link.signal.reason, reason);
  assert.equal(probe.count(live.signal), 0);
});

Deno.test("disposing the link removes its listeners and keeps the child alive", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  const link = linkSignals(parent.signal);
  assert.equal(probe.count(parent.signal), 1);
  link[Symbol.dispose ?? Symbol.for("Symbol.dispose")]();
  assert.equal(probe.count(parent.signal), 0);
  parent.abort();
  assert.isFalse(link.signal.aborted);
});

Deno.test("abort() on the link aborts only the child and unlinks it", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  const link = linkSignals(parent.signal);
  link.abort();
  assert.isTrue(isAbortError(link.signal.reason));
  assert.isFalse(parent.signal.aborted);
  assert.equal(probe.count(parent.signal), 0);
});

Deno.test("a parent abort unlinks the child from the other parents", () => {
  using probe = probeAbortListeners();
  const a = new AbortController();
  const b = new AbortController();
  linkSignals(a.signal, b.signal);
  a.abort();
  assert.equal(probe.count(b.signal), 0);
});

Deno.test("10,000 short-lived links leave no listener on a long-lived parent", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  for (let i = 0; i < 10_000; i++) {
    using _link = linkSignals(parent.signal);
  }
  assert.equal(probe.count(parent.signal), 0);
});

Deno.test("linkSignals rejects a non-signal argument, naming its position", () => {
  assert.throws(
    () => linkSignals(new AbortController().signal, "x" as never),
    TypeError,
    /signals\[1\] must be an AbortSignal, got "x"/,
  );
});
