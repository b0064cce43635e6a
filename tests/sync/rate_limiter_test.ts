import { assert } from "chai";
import fc from "fast-check";
import type { Clock } from "../../src/cancel/mod.ts";
import { RateLimiter } from "../../src/sync/mod.ts";
import { registerClock } from "../../src/_clock.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

// Short real timers for the basics; the schedule itself is tested on a
// virtual clock, where time moves only when the test moves it.

/**
 * A deterministic virtual clock. Its timers fire `lateness(ms)` ms after
 * they are due (negative: early; never before the time they were set), and
 * `advance` lets promise reactions run after each one.
 */
class FakeClock implements Clock {
  time = 0;
  readonly timers = new Set<{ due: number; callback: () => void }>();
  armed: number[] = [];
  constructor(readonly lateness: (ms: number) => number = () => 0) {}

  now(): number {
    return this.time;
  }

  setTimer(ms: number, callback: () => void): () => void {
    this.armed.push(ms);
    const timer = {
      due: this.time + Math.max(0, ms + this.lateness(ms)),
      callback,
    };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Moves time to `until`, firing every timer due by then, in order. */
  async advance(until: number): Promise<void> {
    for (let fired = 0;; fired++) {
      assert.isBelow(fired, 100_000, "timers keep re-arming without progress");
      let next: { due: number; callback: () => void } | undefined;
      for (const t of this.timers) if (!next || t.due < next.due) next = t;
      if (!next || next.due > until) break;
      this.timers.delete(next);
      this.time = Math.max(this.time, next.due);
      next.callback();
      await flush();
    }
    this.time = Math.max(this.time, until);
    await flush();
  }
}

/** Acquires from `limiter`, recording the clock's time at the grant. */
function timed(limiter: RateLimiter, clock: Clock, granted: number[]) {
  return limiter.acquire().then(() => void granted.push(clock.now()));
}

Deno.test("RateLimiter: a full bucket allows a burst, then waits for tokens", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 3, clock });
  assert.equal(limiter.available, 3);
  assert.isTrue(limiter.tryAcquire());
  await limiter.acquire();
  await limiter.acquire();
  assert.isFalse(limiter.tryAcquire());
  const waiter = track(limiter.acquire());
  await clock.advance(9.9);
  assert.equal(waiter.state, "pending");
  assert.equal(limiter.waiting, 1);
  assert.equal(limiter.available, 0);
  await clock.advance(10); // the first token accrues 10 ms after the first grant
  assert.equal(waiter.state, "fulfilled");
  assert.equal(limiter.waiting, 0);
  await clock.advance(30);
  assert.equal(limiter.available, 2);
  await clock.advance(1000);
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
  const clock = new FakeClock();
  const limiter = new RateLimiter({ rate: 1, per: 5, burst: 1, clock });
  await limiter.acquire();
  const controller = new AbortController();
  const why = reason();
  const first = track(limiter.acquire({ signal: controller.signal }));
  const second = track(limiter.acquire());
  await clock.advance(2);
  controller.abort(why);
  await flush();
  assert.strictEqual(first.reason, why);
  assert.equal(limiter.waiting, 1);
  assert.equal(second.state, "pending");
  await clock.advance(5); // the token the first was due takes the second
  assert.equal(second.state, "fulfilled");
  assert.equal(probe.count(), 0);
  assert.equal(clock.timers.size, 0);
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
  const clock = new FakeClock();
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock });
  const granted: number[] = [];
  await timed(limiter, clock, granted); // the bucket's token, at 0
  const waits = [1, 2, 3, 4].map(() => timed(limiter, clock, granted));
  assert.deepEqual(clock.armed, [10]);
  clock.time = 35; // the timer for 10 fires late, at 35
  await clock.advance(35);
  // Due at 10, 20 and 30: all three go now; the fourth keeps its slot at 40.
  assert.deepEqual(granted, [0, 35, 35, 35]);
  assert.deepEqual(clock.armed, [10, 5]);
  await clock.advance(40);
  await Promise.all(waits);
  assert.deepEqual(granted, [0, 35, 35, 35, 40]);
  assert.equal(clock.timers.size, 0);
});

Deno.test("RateLimiter: a timer that fires early grants nothing and re-arms for the rest", async () => {
  const clock = new FakeClock((ms) => -ms / 2); // every timer at half its delay
  const limiter = new RateLimiter({ rate: 1, per: 8, burst: 1, clock });
  const granted: number[] = [];
  await timed(limiter, clock, granted);
  const wait = timed(limiter, clock, granted);
  await clock.advance(4); // fires at 4 of 8
  assert.deepEqual(granted, [0]);
  assert.deepEqual(clock.armed, [8, 4]);
  await clock.advance(7.99);
  assert.deepEqual(granted, [0]);
  await clock.advance(100);
  await wait;
  assert.lengthOf(granted, 2);
  assert.closeTo(granted[1], 8, 1e-6);
});

Deno.test("RateLimiter: a waiter's grant follows from its arrival, not from the timer", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock });
  const granted: number[] = [];
  await timed(limiter, clock, granted); // at 0: next token at 10
  const first = timed(limiter, clock, granted); // arrives at 0, due 10
  clock.time = 25;
  const second = timed(limiter, clock, granted); // arrives at 25, due 25
  clock.time = 27; // the timer for 10 fires at 27
  await clock.advance(27);
  await Promise.all([first, second]);
  assert.deepEqual(granted, [0, 27, 27]);
  // The second was due at 25, so the next token is due at 35, not at 37.
  const third = timed(limiter, clock, granted);
  assert.equal(clock.armed.at(-1), 8);
  await clock.advance(35);
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
        const clock = new FakeClock((ms) => ms > 1 ? -ms * early : 0);
        const limiter = new RateLimiter({ rate, per, burst, clock });
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
          await clock.advance(event.at);
          event.run();
          await flush(); // a grant at once is recorded before time moves
        }
        await clock.advance(at + 100 + (arrivals.length + 1) * per / rate);
        await Promise.all(waits);
        assert.equal(limiter.waiting, 0);
        assert.equal(clock.timers.size, 0, "an idle limiter holds no timer");
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
        const clock = new FakeClock(() =>
          delays[k++ % delays.length] * interval
        );
        const limiter = new RateLimiter({ rate, per, burst, clock });
        const grants: number[] = [];
        const waits = Array.from(
          { length: n },
          () => timed(limiter, clock, grants),
        );
        await flush();
        await clock.advance((n + 4) * interval);
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
  const own = new FakeClock();
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1, clock: own });
  own.time = 1000;
  assert.isTrue(limiter.tryAcquire());
  const wait = limiter.acquire();
  assert.deepEqual(own.armed, [10]);
  await own.advance(1010);
  await wait;
  // Else the clock of the first signal's scope (as a scope created with a
  // clock registers it), kept for later calls without a signal.
  const scoped = new FakeClock();
  const scope = new AbortController();
  registerClock(scope.signal, scoped);
  const byScope = new RateLimiter({ rate: 1, per: 10, burst: 1 });
  await byScope.acquire({ signal: scope.signal });
  const next = byScope.acquire();
  assert.deepEqual(scoped.armed, [10]);
  assert.equal(byScope.available, 0);
  await scoped.advance(10);
  await next;
  scoped.time = 30;
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
