// How exactly RateLimiter keeps its rate on real timers, and what a call
// costs. Not a `deno bench` file (it runs for seconds on the wall clock):
//
//   deno run bench/rate_limiter_rate.ts [seconds]
//
// For each rate and burst, consumers call `acquire()` back to back for the
// given time (default 3 s). Delivered = acquisitions beyond the initial burst
// per second, as a share of `rate`; ≥ 99 % is the goal with 64 consumers
// (someone is always waiting), and the bound `burst + rate · t` must never
// be exceeded. One consumer shows what no limiter can owe: with `burst: 1`
// nothing is saved up, so a token that accrues while the consumer is still
// on its way back (event-loop lag longer than `per / rate`) is gone.
import { RateLimiter } from "../src/sync/mod.ts";

const seconds = Number(Deno.args[0] ?? 3);

async function delivered(rate: number, burst: number, consumers: number) {
  const limiter = new RateLimiter({ rate, burst });
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: consumers }, async () => {
      while (performance.now() < end) {
        await limiter.acquire();
        if (performance.now() < end) count++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const share = (count - burst) / (rate * seconds);
  const bound = burst + rate * elapsed;
  return { share, count, bound, elapsed };
}

console.log(`rate   burst  consumers  delivered  (count / bound)`);
for (const rate of [100, 1000]) {
  for (const burst of [1, 10]) {
    for (const consumers of [1, 64]) {
      const r = await delivered(rate, burst, consumers);
      console.log(
        `${String(rate).padStart(4)}  ${String(burst).padStart(5)}  ${
          String(consumers).padStart(9)
        }  ${(r.share * 100).toFixed(2).padStart(8)} %  (${r.count} / ${
          r.bound.toFixed(0)
        })${r.count > r.bound ? "  OVER THE BOUND" : ""}`,
      );
    }
  }
}

// The cost of a call that does not wait: tryAcquire on a limiter that never
// runs dry, and acquire from a full bucket.
const CALLS = 1_000_000;
const fast = new RateLimiter({ rate: 1e12, burst: CALLS });
let t0 = performance.now();
for (let i = 0; i < CALLS; i++) fast.tryAcquire();
const tryNs = (performance.now() - t0) * 1e6 / CALLS;
const full = new RateLimiter({ rate: 1e12, burst: CALLS });
t0 = performance.now();
for (let i = 0; i < CALLS; i++) await full.acquire();
const acquireNs = (performance.now() - t0) * 1e6 / CALLS;
console.log(
  `tryAcquire ${tryNs.toFixed(0)} ns/call, acquire (no wait) ${
    acquireNs.toFixed(0)
  } ns/call`,
);
