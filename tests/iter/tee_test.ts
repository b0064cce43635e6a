// tee branches that leave, read or not, release their share (DESIGN §3
// iter, early-exit rule): the other branches run to the end, and the source
// is returned once the last branch has left.
import { assert } from "chai";
import fc from "fast-check";
import {
  type AsyncOperator,
  buffer,
  map,
  scan,
  take,
  tee,
  toArray,
} from "../../src/iter/mod.ts";
import { drainAll, probe, settle, within } from "./_battery.ts";

const ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

// What the second branch does before the first is read.
const leaves: [string, (branch: AsyncOperator<number>) => Promise<unknown>][] =
  [
    ["return() without reading", (b) => b.return()],
    ["take(branch, 0)", (b) => toArray(take(b, 0))],
    [
      "take(scan(branch), 0)",
      (b) => toArray(take(scan(b, (a: number, x) => a + x, 0), 0)),
    ],
    [
      "a map with an already-aborted signal",
      (b) =>
        toArray(
          map(b, (x) => x, {
            signal: AbortSignal.abort(new Error("early")),
          }),
        ).catch(() => {}),
    ],
    ["await using", async (b) => {
      await using _ = b;
    }],
  ];

for (const [name, leave] of leaves) {
  Deno.test(`tee: a branch that leaves by ${name} does not stall the other`, async () => {
    const source = probe(10);
    const [a, b] = tee(source, 2, { bufferSize: 2 });
    await within(leave(b));
    assert.deepEqual(await within(toArray(a)), ten);
    assert.equal(source.returns, 0, "read to its end: not returned");
  });

  Deno.test(`tee: leaving by ${name}, then the last branch, returns the source once`, async () => {
    const source = probe(100);
    const [a, b] = tee(source, 2, { bufferSize: 2 });
    await within(leave(b));
    assert.equal(source.returns, 0, "a branch is still live");
    assert.deepEqual(await within(toArray(take(a, 3))), [0, 1, 2]);
    assert.equal(source.returns, 1);
  });
}

Deno.test("tee: every branch leaving unread returns an opened source once", async () => {
  const source = probe(100);
  const [a, b, c] = tee(source, 3, { bufferSize: 2 });
  assert.equal((await within(a.next())).value, 0);
  await within(a.return());
  await within(b.return());
  assert.equal(source.returns, 0);
  await within(c.return());
  assert.equal(source.returns, 1);
  await within(c.return());
  assert.equal(source.returns, 1);
});

Deno.test("tee: a buffer over a branch stops pulling when its consumer leaves", async () => {
  const source = probe(100);
  const [a, b] = tee(source, 2, { bufferSize: 2 });
  const ahead = buffer(b, 4);
  assert.equal((await within(ahead.next())).value, 0);
  await settle(); // the buffer now waits on the branch (a has read nothing)
  await within(ahead.return());
  const pulls = source.pulls;
  assert.deepEqual(await within(toArray(take(a, 5))), [0, 1, 2, 3, 4]);
  assert.equal(source.returns, 1);
  assert.isAtMost(source.pulls, Math.max(pulls, 5) + 1);
});

Deno.test("tee: a branch that leaves while another waits on it wakes the waiter", async () => {
  const source = probe(10);
  const [a, b] = tee(source, 2, { bufferSize: 1 });
  assert.equal((await within(a.next())).value, 0);
  const waiting = a.next(); // b holds item 0: a waits for it
  await settle();
  await within(b.return());
  assert.equal((await within(waiting)).value, 1);
  assert.deepEqual(await within(drainAll(a)), ten.slice(2));
});

// Random branch counts, buffer sizes and leaving points, read concurrently:
// each branch reads the prefix it asked for, none stalls, and the source is
// returned once exactly when it was opened and not read to its end.
Deno.test("tee: branches leaving at random points (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 14 })), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.array(fc.nat({ max: 3 }), { minLength: 4, maxLength: 4 }),
      async (length, bufferSize, stops, delays) => {
        const source = probe(length);
        const branches = tee(source, stops.length, { bufferSize });
        const read = async (i: number) => {
          const stop = stops[i]; // null: read to the end
          const out: number[] = [];
          for (;;) {
            if (stop !== null && out.length === stop) {
              await branches[i].return();
              return out;
            }
            for (let d = 0; d < delays[i]; d++) await Promise.resolve();
            const result = await branches[i].next();
            if (result.done) return out;
            out.push(result.value);
          }
        };
        const outs = await within(
          Promise.all(stops.map((_, i) => read(i))),
        );
        const all = Array.from({ length }, (_, i) => i);
        outs.forEach((out, i) => {
          const stop = stops[i];
          assert.deepEqual(out, stop === null ? all : all.slice(0, stop));
        });
        // Read to its end (the done result was pulled), or never opened:
        // nothing to return. Otherwise returned once, by the last to leave.
        const exhausted = source.pulls > length;
        assert.equal(source.returns, exhausted || !source.pulls ? 0 : 1);
      },
    ),
    { numRuns: 200 },
  );
});
