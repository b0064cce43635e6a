import { assert } from "chai";
import { RateLimiter } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

// Short real timers: this is the one primitive whose job is time.

Deno.test("RateLimiter: a full bucket allows a burst, then waits for tokens", async () => {
  const limiter = new RateLimiter({ rate: 1, per: 10, burst: 3 });
  assert.equal(limiter.available, 3);
  assert.isTrue(limiter.tryAcquire());
  await limiter.acquire();
  await limiter.acquire();
  assert.isFalse(limiter.tryAcquire());
  const waiter = track(limiter.acquire());
  await flush();
  assert.equal(waiter.state, "pending");
  assert.equal(limiter.waiting, 1);
  await waiter.promise; // a token accrues after ~10 ms
  assert.equal(limiter.waiting, 0);
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
  const limiter = new RateLimiter({ rate: 1, per: 5, burst: 1 });
  await limiter.acquire();
  const controller = new AbortController();
  const why = reason();
  const first = track(limiter.acquire({ signal: controller.signal }));
  const second = track(limiter.acquire());
  controller.abort(why);
  await flush();
  assert.strictEqual(first.reason, why);
  assert.equal(limiter.waiting, 1);
  await second.promise;
  assert.equal(probe.count(), 0);
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
  assert.equal(new RateLimiter({ rate: 0.5 }).available, 1);
  assert.throws(
    () => new RateLimiter({ rate: 1 }).acquire({ signal: 1 as never }),
    TypeError,
    /signal/,
  );
});
