import { assert } from "chai";
import {
  CancelScope,
  isAbortError,
  isTimeoutError,
  sleep,
} from "../../src/cancel/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("a scope without options never expires on its own", () => {
  using scope = new CancelScope();
  assert.equal(scope.deadline, Infinity);
  assert.isFalse(scope.signal.aborted);
  assert.isFalse(scope.cancelCalled);
});

Deno.test("cancel() aborts with an AbortError or the given reason", () => {
  using scope = new CancelScope();
  scope.cancel();
  assert.isTrue(isAbortError(scope.signal.reason));
  assert.isTrue(scope.cancelCalled);
  assert.isFalse(scope.expired);
  const reason = new Error("x");
  using other = new CancelScope();
  other.cancel(reason);
  other.cancel(new Error("ignored"));
  assert.strictEqual(other.signal.reason, reason);
});

Deno.test("the timeout aborts with a TimeoutError and marks the scope expired", async () => {
  using scope = new CancelScope({ timeout: 10 });
  const error = await sleep(10_000, { signal: scope.signal }).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.instanceOf(error, DOMException);
  assert.isTrue(scope.expired);
  assert.isTrue(scope.cancelCalled);
});

Deno.test("a deadline in the past cancels the scope at once", () => {
  using scope = new CancelScope({ deadline: Date.now() - 1 });
  assert.isTrue(scope.signal.aborted);
  assert.isTrue(scope.expired);
  using zero = new CancelScope({ timeout: 0 });
  assert.isTrue(isTimeoutError(zero.signal.reason));
});

Deno.test("the earlier of timeout and deadline wins", () => {
  const now = Date.now();
  using scope = new CancelScope({ timeout: 60_000, deadline: now + 1_000 });
  assert.isAtMost(scope.deadline, now + 1_000);
  using other = new CancelScope({ timeout: 1_000, deadline: now + 60_000 });
  assert.isAtMost(other.deadline, Date.now() + 1_000);
});

Deno.test("reschedule moves the deadline later and earlier", async () => {
  using scope = new CancelScope({ timeout: 10 });
  scope.reschedule(60_000);
  assert.isAbove(scope.deadline, Date.now() + 50_000);
  await sleep(20);
  assert.isFalse(scope.signal.aborted);
  scope.reschedule(5);
  const error = await sleep(10_000, { signal: scope.signal }).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.isTrue(scope.expired);
});

Deno.test("reschedule(Infinity) removes the deadline; after cancel it does nothing", () => {
  using scope = new CancelScope({ timeout: 5 });
  scope.reschedule(Infinity);
  assert.equal(scope.deadline, Infinity);
  scope.cancel();
  scope.reschedule(1);
  assert.equal(scope.deadline, Infinity);
  assert.throws(() => scope.reschedule(-5), RangeError, /msFromNow.*-5/);
});

Deno.test("a parent abort cancels the scope with the parent's reason, not expired", () => {
  const parent = new AbortController();
  using scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
  const reason = new Error("parent");
  parent.abort(reason);
  assert.strictEqual(scope.signal.reason, reason);
  assert.isFalse(scope.expired);
  assert.isFalse(scope.cancelCalled);
});

Deno.test("an already-aborted parent starts the scope aborted", () => {
  const reason = new Error("early");
  using scope = new CancelScope({ signal: AbortSignal.abort(reason) });
  assert.strictEqual(scope.signal.reason, reason);
});

Deno.test("shield ignores the parent signal", () => {
  const parent = new AbortController();
  using scope = new CancelScope({ signal: parent.signal, shield: true });
  parent.abort();
  assert.isFalse(scope.signal.aborted);
  scope.cancel();
  assert.isTrue(scope.signal.aborted);
});

Deno.test("nested scopes: only the owning scope is expired", async () => {
  using outer = new CancelScope({ timeout: 10 });
  using inner = new CancelScope({ signal: outer.signal, timeout: 60_000 });
  await sleep(10_000, { signal: inner.signal }).catch(() => {});
  assert.isTrue(outer.expired);
  assert.isFalse(inner.expired);
  assert.strictEqual(inner.signal.reason, outer.signal.reason);
});

Deno.test("disposing a scope clears its timer and unlinks it from the parent", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  for (let i = 0; i < 1_000; i++) {
    using _scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
  }
  assert.equal(probe.count(parent.signal), 0);
  // The 1,000 timers would fail this test under the sanitizers if left.
});

Deno.test("CancelScope rejects bad options", () => {
  assert.throws(
    () => new CancelScope({ timeout: -1 }),
    RangeError,
    /timeout.*-1/,
  );
  assert.throws(() => new CancelScope({ timeout: NaN }), RangeError, /timeout/);
  assert.throws(
    () => new CancelScope({ deadline: NaN }),
    RangeError,
    /deadline/,
  );
  assert.throws(
    () => new CancelScope({ deadline: "soon" as never }),
    TypeError,
    /deadline.*"soon"/,
  );
  assert.throws(
    () => new CancelScope({ signal: 3 as never }),
    TypeError,
    /signal/,
  );
});
