import { assert } from "chai";
import fc from "fast-check";
import { Barrier, BrokenBarrierError } from "../../src/sync/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { flush, reason, track } from "./_util.ts";

Deno.test("Barrier: releases a round with arrival indices, then is reusable", async () => {
  const barrier = new Barrier(3);
  assert.equal(barrier.parties, 3);
  const first = [track(barrier.wait()), track(barrier.wait())];
  await flush();
  assert.deepEqual(first.map((w) => w.state), ["pending", "pending"]);
  assert.equal(barrier.waiting, 2);
  assert.equal(await barrier.wait(), 2);
  await flush();
  assert.deepEqual(first.map((w) => w.value), [0, 1]);
  assert.equal(barrier.waiting, 0);
  assert.deepEqual(
    await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]),
    [0, 1, 2],
  );
  assert.equal(await new Barrier(1).wait(), 0);
});

Deno.test("Barrier: an aborted waiter leaves without breaking the barrier", async () => {
  using probe = probeAbortListeners();
  const barrier = new Barrier(2);
  const controller = new AbortController();
  const why = reason();
  const aborted = track(barrier.wait({ signal: controller.signal }));
  controller.abort(why);
  await flush();
  assert.strictEqual(aborted.reason, why);
  assert.equal(barrier.waiting, 0);
  assert.isFalse(barrier.broken);
  assert.deepEqual(await Promise.all([barrier.wait(), barrier.wait()]), [0, 1]);
  assert.strictEqual(
    await barrier.wait({ signal: controller.signal }).catch((e) => e),
    why,
  );
  assert.equal(barrier.waiting, 0);
  const late = new AbortController();
  await Promise.all([barrier.wait({ signal: late.signal }), barrier.wait()]);
  late.abort(); // after settle: harmless
  assert.equal(probe.count(), 0);
});

Deno.test("Barrier: abort breaks current and later waits until reset", async () => {
  const barrier = new Barrier(3);
  const waiting = track(barrier.wait());
  barrier.abort();
  await flush();
  assert.instanceOf(waiting.reason, BrokenBarrierError);
  assert.isTrue(barrier.broken);
  assert.instanceOf(await barrier.wait().catch((e) => e), BrokenBarrierError);
  barrier.reset();
  assert.isFalse(barrier.broken);
  assert.deepEqual(
    await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]),
    [0, 1, 2],
  );
});

Deno.test("Barrier: reset rejects the current round's waiters", async () => {
  const barrier = new Barrier(2);
  const waiting = track(barrier.wait());
  barrier.reset();
  await flush();
  assert.instanceOf(waiting.reason, BrokenBarrierError);
  assert.equal((waiting.reason as Error).name, "BrokenBarrierError");
  assert.isFalse(barrier.broken);
});

Deno.test("Barrier: bad arguments throw at the call site", () => {
  for (const bad of [0, -2, 1.5, NaN, Infinity]) {
    assert.throws(() => new Barrier(bad), RangeError, /parties/);
  }
  assert.throws(() => new Barrier("2" as never), TypeError, /parties/);
  assert.throws(
    () => new Barrier(2).wait({ signal: {} as never }),
    TypeError,
    /signal/,
  );
});

// The draining phase, ported from CPython's test_asyncio/test_locks.py
// (Python 3.11+), with N = 5 parties as there.
const N = 5;

function gather(n: number, task: () => Promise<void>): Promise<void[]> {
  return Promise.all(Array.from({ length: n }, task));
}

Deno.test("Barrier: a released task that waits again while the round drains waits for the next round", async () => {
  const barrier = new Barrier(2);
  const order: string[] = [];
  const fast = async () => {
    await barrier.wait(); // the last arrival: resumes first
    order.push("fast released");
    const next = barrier.wait(); // the other has not left yet
    assert.equal(barrier.waiting, 0); // not counted in a draining round
    order.push(`fast again: ${await next}`);
  };
  const slow = async () => {
    order.push(`slow released: ${await barrier.wait()}`);
    order.push(`slow again: ${await barrier.wait()}`);
  };
  const first = slow();
  await Promise.all([first, fast()]);
  assert.deepEqual(order, [
    "fast released",
    "slow released: 0",
    // slow, out last, enters the new round first; fast completes it.
    "slow again: 0",
    "fast again: 1",
  ]);
  assert.isFalse(barrier.broken);
});

Deno.test("Barrier: reset while tasks drain (test_reset_barrier_while_tasks_draining)", async () => {
  const barrier = new Barrier(N);
  const results1: boolean[] = [];
  const results2: boolean[] = [];
  const results3: boolean[] = [];
  let count = 0;
  await gather(N, async () => {
    await barrier.wait();
    count += 1;
    if (count === N) {
      // The last task out of the barrier resets it, then waits again.
      barrier.reset();
      await barrier.wait();
    } else {
      try {
        await barrier.wait(); // the second round: the others
        results1.push(true);
      } catch {
        results2.push(true); // never: the reset came after they left
      }
    }
    await barrier.wait(); // a third round, which must complete
    results3.push(true);
  });
  assert.isFalse(barrier.broken);
  assert.equal(results1.length, N - 1);
  assert.equal(results2.length, 0);
  assert.equal(results3.length, N);
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier: abort while half the tasks drain and half are blocked (test_abort_barrier_when_tasks_half_draining_half_blocking)", async () => {
  const barrier = new Barrier(N);
  const results1: boolean[] = [];
  const results2: boolean[] = [];
  const blockingTasks = Math.floor(N / 2);
  let count = 0;
  await gather(N, async () => {
    try {
      await barrier.wait();
    } catch (e) {
      // Released but not yet resumed when the barrier was aborted.
      assert.instanceOf(e, BrokenBarrierError);
      results1.push(true);
      return;
    }
    count += 1;
    if (count > blockingTasks) {
      barrier.abort();
    } else {
      try {
        await barrier.wait();
      } catch (e) {
        // Drained already and blocked, waiting for the next round.
        assert.instanceOf(e, BrokenBarrierError);
        results2.push(true);
      }
    }
  });
  assert.isTrue(barrier.broken);
  assert.deepEqual(results1, Array(blockingTasks).fill(true));
  assert.deepEqual(results2, Array(N - blockingTasks - 1).fill(true));
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier: reset while half the tasks drain and half are blocked (test_reset_barrier_when_tasks_half_draining_half_blocking)", async () => {
  const barrier = new Barrier(N);
  const results1: boolean[] = [];
  const results2: boolean[] = [];
  const blockingTasks = Math.floor(N / 2);
  let count = 0;
  await gather(N, async () => {
    try {
      await barrier.wait();
    } catch (e) {
      // Still draining at the reset: join the next round.
      assert.instanceOf(e, BrokenBarrierError);
      results1.push(true);
      await barrier.wait();
      return;
    }
    count += 1;
    if (count > blockingTasks) {
      barrier.reset();
      await barrier.wait();
    } else {
      try {
        await barrier.wait();
      } catch {
        results2.push(true); // never: blocked tasks wait through the reset
      }
    }
  });
  assert.deepEqual(results1, Array(blockingTasks).fill(true));
  assert.deepEqual(results2, []);
  assert.equal(barrier.waiting, 0);
  assert.isFalse(barrier.broken);
});

Deno.test("Barrier: breaking a draining round rejects the callers not yet handed their index, in arrival order", async () => {
  for (const handBefore of [0, 1]) {
    const barrier = new Barrier(4);
    const rejected: number[] = [];
    const waits = [0, 1, 2].map((id) =>
      track(
        barrier.wait().catch((error) => {
          assert.instanceOf(error, BrokenBarrierError);
          rejected.push(id);
          return -1;
        }),
      )
    );
    const last = barrier.wait(); // the last arrival: released at once
    // Let the round drain until `handBefore` callers have their index.
    for (
      let turn = 0;
      turn < 100 &&
      waits.filter((w) => w.value === undefined).length > 3 - handBefore;
      turn++
    ) await null;
    barrier.abort();
    assert.equal(await last, 3);
    await flush();
    const handed = waits.filter((w) => w.value !== -1).length;
    assert.isAtLeast(handed, handBefore);
    assert.isBelow(handed, 3);
    assert.deepEqual(
      waits.map((w) => w.value),
      [0, 1, 2].map((i) => i < handed ? i : -1),
    );
    assert.deepEqual(rejected, [0, 1, 2].slice(handed)); // first come, first rejected
  }
});

Deno.test("Barrier: a blocked caller whose signal aborts leaves; the others still get their round", async () => {
  using probe = probeAbortListeners();
  const barrier = new Barrier(2);
  const controller = new AbortController();
  const why = reason();
  const outcomes: unknown[] = [];
  const looping = async (signal?: AbortSignal) => {
    await barrier.wait();
    outcomes.push(await barrier.wait({ signal }).catch((e) => e));
  };
  const both = Promise.all([looping(), looping(controller.signal)]);
  // The second to arrive resumes first and comes back while the round drains.
  await flush(1);
  controller.abort(why);
  await flush();
  assert.deepEqual(outcomes, [why]);
  const partner = barrier.wait();
  await both;
  assert.deepEqual(outcomes, [why, 0]);
  assert.equal(await partner, 1);
  assert.equal(probe.count(), 0);
});

Deno.test("Barrier: a signal aborting after a caller was released keeps its index", async () => {
  const barrier = new Barrier(2);
  const controller = new AbortController();
  const first = barrier.wait({ signal: controller.signal });
  assert.equal(await barrier.wait(), 1);
  controller.abort(reason()); // released already, not yet handed its index
  assert.equal(await first, 0);
});

Deno.test("Barrier: property — every round completes with indices 0…n−1 however tasks loop", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.nat(3), { minLength: 1, maxLength: 20 }),
      async (parties, rounds, pauses) => {
        const barrier = new Barrier(parties);
        const indices: number[][] = Array.from({ length: rounds }, () => []);
        let step = 0;
        await Promise.all(Array.from({ length: parties }, async () => {
          for (let round = 0; round < rounds; round++) {
            const pause = pauses[step++ % pauses.length];
            for (let i = 0; i < pause; i++) await null;
            indices[round].push(await barrier.wait());
          }
        }));
        const all = Array.from({ length: parties }, (_, i) => i);
        for (const round of indices) {
          assert.deepEqual([...round].sort((a, b) => a - b), all);
        }
        assert.equal(barrier.waiting, 0);
      },
    ),
    { numRuns: 200 },
  );
});
