import { assert } from "chai";
import fc from "fast-check";
import type { Clock } from "../../src/cancel/mod.ts";
import { RateLimiter } from "../../src/sync/mod.ts";
import { registerClock } from "../../src/_clock.ts";
import { TestClock } from "../../src/testing/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

// Short real timers for the basics; the schedule itself is tested on a
// TestClock, where time moves only when the test moves it.

/**
 * `clock` seen through timers that fire `lateness(ms)` ms after they are
 * due (negative: early; never before the time they were set), as a busy
 * event loop fires real ones; `armed` records the delays the limiter asked
 * for (a limiter re-arming forever fails here instead of hanging
 * `advance`). Time and timers are the TestClock's.
 */
function skewed(clock: TestClock, lateness: (ms: number) => number = () => 0) {
  const armed: number[] = [];
  const view: Clock = {
    now: () => clock.now(),
    setTimer: (ms, callback) => {
      armed.push(ms);
      assert.isBelow(armed.length, 100_000, "timers keep re-arming forever");
      return clock.setTimer(Math.max(0, ms + lateness(ms)), callback);
    },
  };
  return { view, armed };
}

/** Advances `clock` to the instant `at` (not before now). */
function advanceTo(clock: TestClock, at: number): Promise<void> {
  return clock.advance(Math.max(0, at - clock.now()));
}

/** Acquires from `limiter`, recording the clock's time at the grant. */
function timed(limiter: RateLimiter, clock: Clock, granted: number[]) {
  return limiter.acquire().then(() => void granted.push(clock.now()));
}

Deno.test("RateLimiter: a full bucket allows a burst, then waits for tokens", async () => {
  const clock = new TestClock();
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 3, clock });
  assert.equal(limiter.available, 3);
  assert.isTrue(limiter.tryAcquire());
  await limiter.acquire();
  await limiter.acquire();
  assert.isFalse(limiter.tryAcquire());
  const waiter = track(limiter.acquire());
  await advanceTo(clock, 9.9);
  assert.equal(waiter.state, "pending");
  assert.equal(limiter.waiting, 1);
  assert.equal(limiter.available, 0);
  await advanceTo(clock, 10); // the first token accrues 10 ms after the first grant
  assert.equal(waiter.state, "fulfilled");
  assert.equal(limiter.waiting, 0);
  await advanceTo(clock, 30);
  assert.equal(limiter.available, 2);
  await advanceTo(clock, 1000);
  assert.equal(limiter.available, 3, "never more than burst");
});

Deno.test("RateLimiter: waiters are served FIFO", async () => {
  const limiter = new RateLimiter({ rate: 1, per: 2, burst: 1 });
  await limiter.acquire();
  const order: number[] = [];
  await Promise.all(
    [0, 1, 2].map((i) => limiter.acquire().then(() => order.push(i))),
  );
  assert.deepEqual(order, [0, 1, 2]);
});

Deno.test("RateLimiter: an aborted waiter leaves; the next still gets a token", async () => {
  using probe = probeAbortListeners();
  const clock = new TestClock();
  const limiter = new RateLimiter({ rate: 1, per: 5, burst: 1, clock });
  await limiter.acquire();
  const controller = new AbortController();
  const why = reason();
  const first = track(limiter.acquire({ signal: controller.signal }));
  const second = track(limiter.acquire());
  await advanceTo(clock, 2);
  controller.abort(why);
  await flush();
  assert.strictEqual(first.reason, why);
  assert.equal(limiter.waiting, 1);
  assert.equal(second.state, "pending");
  await advanceTo(clock, 5); // the token the first was due takes the second
  assert.equal(second.state, "fulfilled");
  assert.equal(probe.count(), 0);
  assert.equal(clock.pending, 0);
});

Deno.test("RateLimiter: aborting the only waiter clears the timer (sanitizer-checked)", async () => {
  const limiter = new RateLimiter({ rate: 1, per: 60_000, burst: 1 });
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire({ signal: controller.signal });
  controller.abort();
  await waiting.catch(() => {});
  assert.equal(limiter.waiting, 0);
  // Leaving a timer behind would fail this test under Deno's op sanitizer.
});

Deno.test("RateLimiter: already aborted rejects at once without spending a token", async () => {
  const limiter = new RateLimiter({ rate: 5 });
  const why = reason();
  assert.strictEqual(
    await limiter.acquire({ signal: AbortSignal.abort(why) }).catch((e) => e),
    why,
  );
  assert.equal(limiter.available, 5);
  const late = new AbortController();
  await limiter.acquire({ signal: late.signal });
  late.abort(); // after settle: harmless
  assert.equal(limiter.available, 4);
});

Deno.test("RateLimiter: a late timer owes nothing: it releases every waiter due by then", async () => {
  const clock = new TestClock();
  // The timer for 10 fires late, at 35; the others on time.
  const { view, armed } = skewed(clock, (ms) => ms === 10 ? 25 : 0);
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock: view });
  const granted: number[] = [];
  await timed(limiter, clock, granted); // the bucket's token, at 0
  const waits = [1, 2, 3, 4].map(() => timed(limiter, clock, granted));
  assert.deepEqual(armed, [10]);
  await advanceTo(clock, 34.99);
  assert.deepEqual(granted, [0]);
  await advanceTo(clock, 35);
  // Due at 10, 20 and 30: all three go now; the fourth keeps its slot at 40.
  assert.deepEqual(granted, [0, 35, 35, 35]);
  assert.deepEqual(armed, [10, 5]);
  await advanceTo(clock, 40);
  await Promise.all(waits);
  assert.deepEqual(granted, [0, 35, 35, 35, 40]);
  assert.equal(clock.pending, 0);
});

Deno.test("RateLimiter: a timer that fires early grants nothing and re-arms for the rest", async () => {
  const clock = new TestClock();
  // Every timer at half its delay.
  const { view, armed } = skewed(clock, (ms) => -ms / 2);
  const limiter = new RateLimiter({ rate: 1, per: 8, burst: 1, clock: view });
  const granted: number[] = [];
  await timed(limiter, clock, granted);
  const wait = timed(limiter, clock, granted);
  await advanceTo(clock, 4); // fires at 4 of 8
  assert.deepEqual(granted, [0]);
  assert.deepEqual(armed, [8, 4]);
  await advanceTo(clock, 7.99);
  assert.deepEqual(granted, [0]);
  await advanceTo(clock, 100);
  await wait;
  assert.lengthOf(granted, 2);
  assert.closeTo(granted[1], 8, 1e-6);
});

Deno.test("RateLimiter: a waiter's grant follows from its arrival, not from the timer", async () => {
  const clock = new TestClock();
  // The timer for 10 fires late, at 27; the others on time.
  const { view, armed } = skewed(clock, (ms) => ms === 10 ? 17 : 0);
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock: view });
  const granted: number[] = [];
  await timed(limiter, clock, granted); // at 0: next token at 10
  const first = timed(limiter, clock, granted); // arrives at 0, due 10
  await advanceTo(clock, 25);
  assert.deepEqual(granted, [0]);
  const second = timed(limiter, clock, granted); // arrives at 25, due 25
  await advanceTo(clock, 27);
  await Promise.all([first, second]);
  assert.deepEqual(granted, [0, 27, 27]);
  // The second was due at 25, so the next token is due at 35, not at 37.
  const third = timed(limiter, clock, granted);
  assert.deepEqual(armed, [10, 8]);
  await advanceTo(clock, 34.99);
  assert.deepEqual(granted, [0, 27, 27]);
  await advanceTo(clock, 35);
  await third;
  assert.deepEqual(granted, [0, 27, 27, 35]);
});

Deno.test("RateLimiter: in any window of length w, at most burst + rate·w/per grants (property)", async () => {
  const arrival = fc.record({
    gap: fc.integer({ min: 0, max: 30 }), // ms after the previous arrival
    kind: fc.constantFrom("acquire", "acquire", "tryAcquire"),
    abortAfter: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 20 }), // rate
      fc.integer({ min: 1, max: 100 }), // per
      fc.integer({ min: 1, max: 4 }), // burst
      fc.constantFrom(0, 0.5), // timers exact, or firing at half their delay
      fc.array(arrival, { maxLength: 40 }),
      async (rate, per, burst, early, arrivals) => {
        const clock = new TestClock();
        const { view } = skewed(clock, (ms) => ms > 1 ? -ms * early : 0);
        const limiter = new RateLimiter({ rate, per, burst, clock: view });
        const grants: number[] = [];
        const order: number[] = [];
        const waits: Promise<unknown>[] = [];
        // The arrivals and aborts, in time order.
        const events: { at: number; run: () => void }[] = [];
        let at = 0;
        arrivals.forEach(({ gap, kind, abortAfter }, i) => {
          at += gap;
          const arrived = at;
          const controller = new AbortController();
          events.push({
            at: arrived,
            run: () => {
              if (kind === "tryAcquire") {
                if (limiter.tryAcquire()) grants.push(arrived);
                return;
              }
              waits.push(
                limiter.acquire({ signal: controller.signal }).then(() => {
                  assert.isAtLeast(clock.now(), arrived);
                  grants.push(clock.now());
                  order.push(i);
                }, (e) => assert.strictEqual(e, controller.signal.reason)),
              );
            },
          });
          if (abortAfter !== undefined && kind === "acquire") {
            events.push({
              at: arrived + abortAfter,
              run: () => controller.abort(),
            });
          }
        });
        events.sort((a, b) => a.at - b.at); // stable: arrival before abort
        for (const event of events) {
          await advanceTo(clock, event.at);
          event.run();
          await flush(); // a grant at once is recorded before time moves
        }
        await advanceTo(clock, at + 100 + (arrivals.length + 1) * per / rate);
        await Promise.all(waits);
        assert.equal(limiter.waiting, 0);
        assert.equal(clock.pending, 0, "an idle limiter holds no timer");
        assert.deepEqual(order, [...order].sort((a, b) => a - b), "FIFO");
        // The bound, on every window that starts and ends at a grant (the
        // tightest ones); 1e-6 ms is the limiter's own rounding tolerance.
        grants.sort((a, b) => a - b);
        for (let i = 0; i < grants.length; i++) {
          for (let j = i; j < grants.length; j++) {
            const w = grants[j] - grants[i];
            assert.isAtMost(j - i + 1, burst + (w + 1e-6) * rate / per);
          }
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("RateLimiter: late timers do not slow the long-run rate (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 20 }), // rate
      fc.integer({ min: 1, max: 100 }), // per
      fc.integer({ min: 1, max: 4 }), // burst
      fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1 }),
      fc.integer({ min: 1, max: 60 }), // waiters, all queued at 0
      async (rate, per, burst, delays, n) => {
        const interval = per / rate;
        // Each timer fires up to 3 intervals late, in a random pattern.
        let k = 0;
        const clock = new TestClock();
        const { view } = skewed(
          clock,
          () => delays[k++ % delays.length] * interval,
        );
        const limiter = new RateLimiter({ rate, per, burst, clock: view });
        const grants: number[] = [];
        const waits = Array.from(
          { length: n },
          () => timed(limiter, clock, grants),
        );
        await flush();
        await advanceTo(clock, (n + 4) * interval);
        await Promise.all(waits);
        // The last grant is late by at most one timer's lateness: lateness
        // never adds up.
        const ideal = Math.max(0, n - burst) * interval;
        assert.isAtMost(grants.at(-1)!, ideal + 3 * interval + 1e-6);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("RateLimiter: reads time and sets timers only on its clock", async () => {
  // Its own clock option.
  const own = new TestClock();
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock: own });
  await own.advance(1000);
  assert.isTrue(limiter.tryAcquire());
  const wait = track(limiter.acquire());
  assert.equal(own.pending, 1);
  await own.advance(9.99);
  assert.equal(wait.state, "pending");
  await own.advance(0.01);
  assert.equal(wait.state, "fulfilled");
  // Else the clock of the first signal's scope (as a scope created with a
  // clock registers it), kept for later calls without a signal.
  const scoped = new TestClock();
  const scope = new AbortController();
  registerClock(scope.signal, scoped);
  const byScope = new RateLimiter({ rate: 1, per: 10, burst: 1 });
  await byScope.acquire({ signal: scope.signal });
  const next = track(byScope.acquire());
  assert.equal(scoped.pending, 1);
  assert.equal(byScope.available, 0);
  await scoped.advance(9.99);
  assert.equal(next.state, "pending");
  await scoped.advance(0.01);
  assert.equal(next.state, "fulfilled");
  // Granted at 10, so the next token accrues at 20.
  await scoped.advance(9.99);
  assert.equal(byScope.available, 0);
  await scoped.advance(0.01);
  assert.equal(byScope.available, 1);
});

Deno.test("RateLimiter: bad arguments throw at the call site", () => {
  assert.throws(() => new RateLimiter(undefined as never), TypeError, /rate/);
  assert.throws(() => new RateLimiter({ rate: 0 }), RangeError, /rate/);
  assert.throws(() => new RateLimiter({ rate: -1 }), RangeError, /rate/);
  assert.throws(() => new RateLimiter({ rate: Infinity }), RangeError, /rate/);
  assert.throws(
    () => new RateLimiter({ rate: "1" as never }),
    TypeError,
    /rate/,
  );
  assert.throws(() => new RateLimiter({ rate: 1, per: 0 }), RangeError, /per/);
  assert.throws(
    () => new RateLimiter({ rate: 1, per: NaN }),
    RangeError,
    /per/,
  );
  assert.throws(
    () => new RateLimiter({ rate: 1, burst: 0 }),
    RangeError,
    /burst/,
  );
  assert.throws(
    () => new RateLimiter({ rate: 1, burst: 1.5 }),
    RangeError,
    /burst/,
  );
  assert.throws(
    () => new RateLimiter({ rate: 1, clock: {} as never }),
    TypeError,
    /RateLimiter: clock/,
  );
  assert.equal(new RateLimiter({ rate: 0.5 }).available, 1);
  assert.throws(
    () => new RateLimiter({ rate: 1 }).acquire({ signal: 1 as never }),
    TypeError,
    /signal/,
  );
});
