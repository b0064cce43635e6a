import { assert } from "chai";
import { type Clock, sleep, systemClock } from "../../src/cancel/mod.ts";
import { registerClock, resolveClock } from "../../src/_clock.ts";

/** A clock that records the timers it is asked for and fires them on demand. */
function recordingClock() {
  const timers: { ms: number; callback: () => void; cancelled: boolean }[] = [];
  const clock: Clock = {
    now: () => 0,
    setTimer(ms, callback) {
      const timer = { ms, callback, cancelled: false };
      timers.push(timer);
      return () => timer.cancelled = true;
    },
  };
  return { clock, timers };
}

Deno.test("systemClock.now reads epoch milliseconds", () => {
  const before = Date.now();
  const now = systemClock.now();
  assert.isAtLeast(now, before);
  assert.isAtMost(now, Date.now());
});

Deno.test("systemClock.setTimer fires once after the delay", async () => {
  const started = Date.now();
  await new Promise<void>((resolve) => systemClock.setTimer(10, resolve));
  // Timers may fire a little early by clock rounding, never much.
  assert.isAtLeast(Date.now() - started, 5);
});

Deno.test("systemClock.setTimer's canceller stops it, and is harmless after it fired", async () => {
  let fired = 0;
  const cancel = systemClock.setTimer(1, () => fired++);
  cancel();
  await new Promise<void>((resolve) => systemClock.setTimer(5, resolve));
  assert.equal(fired, 0);
  const late = systemClock.setTimer(0, () => fired++);
  await new Promise<void>((resolve) => systemClock.setTimer(5, resolve));
  late();
  assert.equal(fired, 1);
});

Deno.test("systemClock.setTimer(Infinity) arms nothing", () => {
  // The sanitizers fail this test if a host timer were left pending.
  const cancel = systemClock.setTimer(Infinity, () => assert.fail("fired"));
  cancel();
});

Deno.test("systemClock.setTimer rejects bad arguments synchronously", () => {
  assert.throws(
    () => systemClock.setTimer(-1, () => {}),
    RangeError,
    "systemClock.setTimer: ms must be >= 0",
  );
  assert.throws(
    () => systemClock.setTimer("1" as unknown as number, () => {}),
    TypeError,
    'systemClock.setTimer: ms must be a number of milliseconds, got "1"',
  );
  assert.throws(
    () => systemClock.setTimer(1, null as unknown as () => void),
    TypeError,
    "systemClock.setTimer: callback must be a function, got null",
  );
});

Deno.test("sleep runs on an explicit clock", async () => {
  const { clock, timers } = recordingClock();
  let done = false;
  const nap = sleep(60_000, { clock }).then(() => done = true);
  assert.equal(timers.length, 1);
  assert.equal(timers[0].ms, 60_000);
  await Promise.resolve();
  assert.isFalse(done);
  timers[0].callback();
  await nap;
  assert.isTrue(done);
});

Deno.test("sleep on a clock cancels that clock's timer when aborted", async () => {
  const { clock, timers } = recordingClock();
  const controller = new AbortController();
  const nap = sleep(10, { clock, signal: controller.signal });
  controller.abort(new Error("stop"));
  assert.equal((await nap.catch((e) => e)).message, "stop");
  assert.isTrue(timers[0].cancelled);
});

Deno.test("sleep rejects a clock that is not a Clock", () => {
  for (const bad of [{}, { now() {} }, 5, null, "clock"]) {
    assert.throws(
      () => sleep(1, { clock: bad as unknown as Clock }),
      TypeError,
      "sleep: clock must be a Clock",
    );
  }
});

Deno.test("resolveClock: the explicit clock, else the signal's, else systemClock", () => {
  const explicit = recordingClock().clock;
  const scoped = recordingClock().clock;
  const signal = new AbortController().signal;
  const other = new AbortController().signal;
  assert.strictEqual(resolveClock(undefined, undefined), systemClock);
  assert.strictEqual(resolveClock(undefined, signal), systemClock);
  registerClock(signal, scoped);
  assert.strictEqual(resolveClock(undefined, signal), scoped);
  assert.strictEqual(resolveClock(explicit, signal), explicit);
  assert.strictEqual(resolveClock(undefined, other), systemClock);
});

Deno.test("sleep uses the clock registered for its signal", async () => {
  const { clock, timers } = recordingClock();
  const controller = new AbortController();
  registerClock(controller.signal, clock);
  const nap = sleep(25, { signal: controller.signal });
  assert.equal(timers[0].ms, 25);
  timers[0].callback();
  await nap;
});
