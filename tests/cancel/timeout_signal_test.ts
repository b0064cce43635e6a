import { assert } from "chai";
import {
  CancelScope,
  isTimeoutError,
  sleep,
  timeoutSignal,
} from "../../src/cancel/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";

Deno.test("timeoutSignal aborts with a TimeoutError after ms on the system clock", async () => {
  const signal = timeoutSignal(5);
  assert.isFalse(signal.aborted);
  const error = await sleep(60_000, { signal }).catch((e) => e);
  assert.strictEqual(error, signal.reason);
  assert.isTrue(isTimeoutError(error));
  assert.instanceOf(error, DOMException);
  assert.equal(error.message, "Timed out after 5 ms");
});

Deno.test("timeoutSignal aborts at exactly ms on a TestClock", async () => {
  using clock = new TestClock();
  const signal = timeoutSignal(100, { clock });
  await clock.advance(99);
  assert.isFalse(signal.aborted);
  await clock.advance(1);
  assert.isTrue(signal.aborted);
  assert.isTrue(isTimeoutError(signal.reason));
});

Deno.test("timeoutSignal(0) aborts on the next timer turn, not synchronously", async () => {
  using clock = new TestClock();
  const signal = timeoutSignal(0, { clock });
  assert.isFalse(signal.aborted);
  await clock.advance(0);
  assert.isTrue(signal.aborted);
});

Deno.test("timeoutSignal(Infinity) never aborts and arms nothing", () => {
  using clock = new TestClock();
  const signal = timeoutSignal(Infinity, { clock });
  assert.equal(clock.pending, 0);
  assert.isFalse(signal.aborted);
  timeoutSignal(Infinity); // the sanitizers would catch a real timer
});

Deno.test("timeoutSignal's signal carries its clock to what it is given", async () => {
  using clock = new TestClock({ autojump: true });
  const signal = timeoutSignal(1000, { clock });
  await sleep(300, { signal });
  assert.equal(clock.now(), 300);
  using scope = new CancelScope({ signal, timeout: 200 });
  assert.equal(scope.deadline, 500);
  await sleep(Infinity, { signal: scope.signal }).catch(() => {});
  assert.isTrue(scope.expired);
  assert.equal(clock.now(), 500);
  await clock.runAll();
  assert.isTrue(signal.aborted);
  assert.equal(clock.now(), 1000);
});

Deno.test("timeoutSignal rejects bad arguments synchronously", () => {
  assert.throws(
    () => timeoutSignal(-1),
    RangeError,
    "timeoutSignal: ms must be >= 0",
  );
  assert.throws(
    () => timeoutSignal("1" as never),
    TypeError,
    "timeoutSignal: ms must be a number of milliseconds",
  );
  assert.throws(
    () => timeoutSignal(1, { clock: {} as never }),
    TypeError,
    "timeoutSignal: clock must be a Clock",
  );
  assert.throws(
    () => timeoutSignal(1, 5 as never),
    TypeError,
    "timeoutSignal: options must be an object",
  );
});
