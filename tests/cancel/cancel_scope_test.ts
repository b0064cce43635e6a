import { assert } from "chai";
import {
  CancelScope,
  isAbortError,
  isTimeoutError,
  sleep,
  systemClock,
} from "../../src/cancel/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { dispose } from "../_helpers/symbols.ts";

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

Deno.test("the timeout aborts with a TimeoutError at exactly its time and marks the scope expired", async () => {
  using clock = new TestClock();
  using scope = new CancelScope({ timeout: 10, clock });
  const nap = sleep(10_000, { signal: scope.signal }).catch((e) => e);
  await clock.advance(9);
  assert.isFalse(scope.signal.aborted);
  await clock.advance(1);
  const error = await nap;
  assert.isTrue(isTimeoutError(error));
  assert.instanceOf(error, DOMException);
  assert.equal(error.message, "Timed out after 10 ms");
  assert.isTrue(scope.expired);
  assert.isTrue(scope.cancelCalled);
  assert.equal(clock.pending, 0, "the sleep's timer was cleared too");
});

Deno.test("on the system clock the deadline is epoch ms and fires in real time", async () => {
  const before = Date.now();
  using scope = new CancelScope({ timeout: 10 });
  assert.isAtLeast(scope.deadline, before + 10);
  assert.isAtMost(scope.deadline, Date.now() + 10);
  const error = await sleep(10_000, { signal: scope.signal }).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
  assert.isTrue(scope.expired);
});

Deno.test("a deadline in the past cancels the scope at once", () => {
  using clock = new TestClock({ now: 1000 });
  using scope = new CancelScope({ deadline: 999, clock });
  assert.isTrue(scope.signal.aborted);
  assert.isTrue(scope.expired);
  using now = new CancelScope({ deadline: 1000, clock });
  assert.isTrue(now.expired, "a deadline equal to now has passed");
  using epoch = new CancelScope({ deadline: Date.now() - 1 });
  assert.isTrue(epoch.expired);
  using zero = new CancelScope({ timeout: 0 });
  assert.isTrue(isTimeoutError(zero.signal.reason));
  assert.equal(clock.pending, 0);
});

Deno.test("the earlier of timeout and deadline wins, on the scope's clock", () => {
  using clock = new TestClock({ now: 5000 });
  using scope = new CancelScope({ timeout: 60_000, deadline: 6000, clock });
  assert.equal(scope.deadline, 6000);
  using other = new CancelScope({ timeout: 1000, deadline: 60_000, clock });
  assert.equal(other.deadline, 6000);
});

Deno.test("reschedule moves the deadline later and earlier, from the clock's now", async () => {
  using clock = new TestClock();
  using scope = new CancelScope({ timeout: 10, clock });
  scope.reschedule(60_000);
  assert.equal(scope.deadline, 60_000);
  await clock.advance(20);
  assert.isFalse(scope.signal.aborted);
  scope.reschedule(5);
  assert.equal(scope.deadline, 25);
  assert.equal(clock.pending, 1, "the old timer was cancelled");
  const nap = sleep(10_000, { signal: scope.signal }).catch((e) => e);
  await clock.advance(4);
  assert.isFalse(scope.signal.aborted);
  await clock.advance(1);
  const error = await nap;
  assert.isTrue(isTimeoutError(error));
  assert.equal(error.message, "Timed out after 5 ms");
  assert.isTrue(scope.expired);
});

Deno.test("reschedule on the system clock re-arms a real timer", async () => {
  using scope = new CancelScope({ timeout: 60_000 });
  scope.reschedule(5);
  assert.isAtMost(scope.deadline, systemClock.now() + 5);
  const error = await sleep(10_000, { signal: scope.signal }).catch((e) => e);
  assert.isTrue(isTimeoutError(error));
});

Deno.test("a scope's clock reaches what is given its signal, and nested scopes inherit it", async () => {
  using clock = new TestClock();
  using outer = new CancelScope({ clock });
  using inner = new CancelScope({ signal: outer.signal, timeout: 30 });
  assert.equal(inner.deadline, 30, "the inner scope reads the outer clock");
  using shielded = new CancelScope({
    signal: outer.signal,
    shield: true,
    timeout: 50,
  });
  assert.equal(shielded.deadline, 50, "a shield keeps the clock");
  const woke: number[] = [];
  sleep(20, { signal: inner.signal }).then(() => woke.push(clock.now()));
  await clock.advance(30);
  assert.deepEqual(woke, [20]);
  assert.isTrue(inner.expired);
  assert.isFalse(outer.signal.aborted);
  await clock.advance(20);
  assert.isTrue(shielded.expired);
});

Deno.test("an explicit clock beats the parent's", () => {
  using a = new TestClock({ now: 100 });
  using b = new TestClock({ now: 5000 });
  using outer = new CancelScope({ clock: a });
  using inner = new CancelScope({ signal: outer.signal, clock: b, timeout: 1 });
  assert.equal(inner.deadline, 5001);
  assert.equal(a.pending, 0);
  assert.equal(b.pending, 1);
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

Deno.test("shield can be set after creation: a later parent abort no longer reaches the scope", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  using scope = new CancelScope({ signal: parent.signal });
  assert.isFalse(scope.shield);
  assert.equal(probe.count(parent.signal), 1);
  scope.shield = true;
  assert.isTrue(scope.shield);
  assert.equal(probe.count(parent.signal), 0);
  parent.abort(new Error("parent"));
  assert.isFalse(scope.signal.aborted);
  const why = new Error("own");
  scope.cancel(why);
  assert.strictEqual(scope.signal.reason, why);
});

Deno.test("unshielding while the parent is aborted aborts the scope at once with its reason", () => {
  const parent = new AbortController();
  using scope = new CancelScope({ signal: parent.signal, shield: true });
  const why = new Error("parent");
  parent.abort(why);
  let seen: unknown;
  scope.signal.addEventListener("abort", () => seen = scope.signal.reason);
  scope.shield = false;
  assert.strictEqual(seen, why);
  assert.isFalse(scope.cancelCalled);
  scope.shield = true; // an abort that reached the scope stays
  assert.strictEqual(scope.signal.reason, why);
});

Deno.test("unshielding relinks a live parent; toggling adds one listener at most", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  using scope = new CancelScope({ signal: parent.signal, shield: true });
  assert.equal(probe.count(parent.signal), 0);
  scope.shield = false;
  scope.shield = false;
  assert.equal(probe.count(parent.signal), 1);
  scope.shield = true;
  scope.shield = false;
  assert.equal(probe.count(parent.signal), 1);
  const why = new Error("parent");
  parent.abort(why);
  assert.strictEqual(scope.signal.reason, why);
  assert.equal(probe.count(), 0);
});

Deno.test("shielding a scope without a parent, a cancelled one or a disposed one changes only the flag", () => {
  using probe = probeAbortListeners();
  using lone = new CancelScope();
  lone.shield = true;
  lone.shield = false;
  assert.isFalse(lone.signal.aborted);
  const parent = new AbortController();
  const disposed = new CancelScope({ signal: parent.signal });
  disposed[dispose]();
  disposed.shield = true;
  disposed.shield = false;
  parent.abort();
  assert.isFalse(disposed.signal.aborted);
  assert.equal(probe.count(), 0);
  const cancelled = new CancelScope({ signal: new AbortController().signal });
  cancelled.cancel();
  cancelled.shield = false;
  assert.isTrue(cancelled.cancelCalled);
  assert.equal(probe.count(), 0);
});

Deno.test("a shielded scope's deadline still applies", async () => {
  const parent = new AbortController();
  using scope = new CancelScope({ signal: parent.signal, timeout: 1 });
  scope.shield = true;
  parent.abort();
  await sleep(10_000, { signal: scope.signal }).catch(() => {});
  assert.isTrue(scope.expired);
  assert.isTrue(isTimeoutError(scope.signal.reason));
});

Deno.test("a scope has the name it was given", () => {
  using named = new CancelScope({ name: "fetch users" });
  assert.equal(named.name, "fetch users");
  using unnamed = new CancelScope();
  assert.isUndefined(unnamed.name);
});

Deno.test("nested scopes: only the owning scope is expired", async () => {
  using clock = new TestClock({ autojump: true });
  using outer = new CancelScope({ timeout: 10, clock });
  using inner = new CancelScope({ signal: outer.signal, timeout: 60_000 });
  await sleep(10_000, { signal: inner.signal }).catch(() => {});
  assert.equal(clock.now(), 10);
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
    () => new CancelScope({ shield: "yes" as never }),
    TypeError,
    /CancelScope: shield must be a boolean, got "yes"/,
  );
  assert.throws(
    () => new CancelScope({ name: 1 as never }),
    TypeError,
    /CancelScope: name must be a string, got 1/,
  );
  using scope = new CancelScope();
  assert.throws(
    () => (scope.shield = 1 as never),
    TypeError,
    /CancelScope.shield: shield must be a boolean, got 1/,
  );
  assert.isFalse(scope.shield);
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
  assert.throws(
    () => new CancelScope({ clock: Date as never }),
    TypeError,
    "CancelScope: clock must be a Clock, got a function",
  );
});
