// Property tests: random inputs, concurrency and break points. Callbacks
// settle through microtasks only, so runs stay cheap.
import { assert } from "chai";
import fc from "fast-check";
import { filter, map, take, toArray } from "../../src/iter/mod.ts";

// Settles after `turns` microtask turns: a cheap, varied completion order.
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

const items = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 });
const concurrency = fc.integer({ min: 1, max: 8 });

Deno.test("ordered map equals Array#map, within the concurrency bound", async () => {
  await fc.assert(
    fc.asyncProperty(items, concurrency, async (xs, limit) => {
      let running = 0;
      let peak = 0;
      const out = await toArray(map(xs, async (x) => {
        peak = Math.max(peak, ++running);
        await turns(x);
        running--;
        return x * 2;
      }, { concurrency: limit }));
      assert.deepEqual(out, xs.map((x) => x * 2));
      assert.isAtMost(peak, limit);
    }),
    { numRuns: 150 },
  );
});

Deno.test("unordered map is a permutation; unordered filter keeps the right items", async () => {
  await fc.assert(
    fc.asyncProperty(items, concurrency, async (xs, limit) => {
      const out = await toArray(map(xs, async (x) => {
        await turns(x);
        return x;
      }, { concurrency: limit, ordered: false }));
      assert.sameMembers(out, xs);
      assert.equal(out.length, xs.length);
      const kept = await toArray(filter(xs, async (x) => {
        await turns(x);
        return x % 2 === 0;
      }, { concurrency: limit, ordered: false }));
      assert.sameMembers(kept, xs.filter((x) => x % 2 === 0));
    }),
    { numRuns: 150 },
  );
});

Deno.test("random break points: prefix results, source returned, nothing left running", async () => {
  await fc.assert(
    fc.asyncProperty(
      items,
      concurrency,
      fc.nat(45),
      async (xs, limit, stopAt) => {
        let running = 0;
        let started = 0;
        let returned = 0;
        let held = 0;
        const source = {
          *[Symbol.iterator]() {
            try {
              yield* xs;
            } finally {
              returned++;
            }
          },
        };
        const seen: number[] = [];
        const mapped = map(source, async (x) => {
          started++;
          running++;
          held++;
          await turns(x);
          running--;
          return x;
        }, { concurrency: limit });
        for await (const x of mapped) {
          held--;
          assert.isAtMost(held, limit, "running + finished ≤ concurrency");
          assert.isAtMost(running, limit);
          if (seen.length === stopAt) break;
          seen.push(x);
        }
        const startedAtExit = started;
        assert.deepEqual(seen, xs.slice(0, Math.min(stopAt, xs.length)));
        assert.equal(running, 0);
        assert.equal(returned, 1);
        await turns(50);
        assert.equal(started, startedAtExit);
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("take composes with map like slice", async () => {
  await fc.assert(
    fc.asyncProperty(items, fc.nat(45), concurrency, async (xs, n, limit) => {
      const out = await toArray(
        take(map(xs, (x) => Promise.resolve(x + 1), { concurrency: limit }), n),
      );
      assert.deepEqual(out, xs.slice(0, n).map((x) => x + 1));
    }),
    { numRuns: 100 },
  );
});
