// Rule 10 for race, asCompleted and gather: what a combinator hands over
// stays usable (its function's signal is never aborted afterwards), what
// it drops is released (its signal aborts). Real response bodies, read after
// the combinator has returned, are the proof.
import { assert } from "chai";
import { asCompleted, gather, race } from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { openBodies } from "./_bodies.ts";
import { flush, stubborn, track } from "./_combinators.ts";

/** Whether `promise` rejects with an abort (an AbortError or the reason). */
async function rejectsAsAborted(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => assert.fail("expected a rejection"),
    (e) => e,
  );
  assert.instanceOf(error, Error);
}

Deno.test("race: the winning response stays readable; the running loser is aborted and awaited", async () => {
  const bodies = await openBodies();
  try {
    let loser: Promise<Response> | undefined;
    let loserSettled = false;
    const winner = await race([
      (signal) => bodies.fetch("winner", signal),
      (signal) => {
        loser = bodies.hang(signal);
        return loser.finally(() => loserSettled = true);
      },
    ]);
    assert.isTrue(loserSettled, "race awaited the loser");
    await rejectsAsAborted(loser!);
    bodies.release();
    assert.equal(await winner.text(), "head winner;tail", bodies.kind);
  } finally {
    await bodies.close();
  }
});

Deno.test("race: the winner's signal stays live; a loser that fulfils too late is released", async () => {
  const first = stubborn();
  const late = stubborn();
  const result = track(race([first.fn, late.fn]));
  await flush();
  first.gate.resolve("first");
  late.gate.resolve("late"); // fulfils before race has cancelled it
  await flush();
  assert.equal(result.value, "first");
  assert.isFalse(first.signal!.aborted, "the winner's signal");
  assert.isTrue(late.signal!.aborted, "a dropped value is released");
  assert.notStrictEqual(first.signal, late.signal);
});

Deno.test("race: an outer abort after the winner is known drops the winner too", async () => {
  const outer = new AbortController();
  const winner = stubborn();
  const slow = stubborn(); // ignores its signal: race must wait for it
  const result = track(race([winner.fn, slow.fn], { signal: outer.signal }));
  await flush();
  winner.gate.resolve("won");
  await flush();
  assert.isTrue(slow.signal!.aborted);
  assert.isFalse(winner.signal!.aborted);
  outer.abort(new Error("stop"));
  slow.gate.resolve("done");
  await flush();
  assert.equal((result.reason as Error).message, "stop");
  assert.isTrue(winner.signal!.aborted, "nothing was handed over");
});

Deno.test("race: functions without a parameter still win and lose as before", async () => {
  const gate = deferred<string>();
  const result = track(race([() => gate.promise, async () => "fast"]));
  await flush();
  assert.equal(result.state, "pending", "waits for the loser to settle");
  gate.resolve("slow");
  await flush();
  assert.equal(result.value, "fast");
});

Deno.test("asCompleted: yielded responses stay readable after break; what still runs is aborted and awaited", async () => {
  const bodies = await openBodies();
  try {
    let hung: Promise<Response> | undefined;
    const yielded: Response[] = [];
    for await (
      const response of asCompleted([
        (signal: AbortSignal) => bodies.fetch("a", signal),
        (signal: AbortSignal) => (hung = bodies.hang(signal)),
      ])
    ) {
      yielded.push(response);
      break;
    }
    await rejectsAsAborted(hung!);
    bodies.release();
    assert.equal(await yielded[0].text(), "head a;tail", bodies.kind);
  } finally {
    await bodies.close();
  }
});

Deno.test("asCompleted: at break, a value that completed but was never yielded is released", async () => {
  const a = stubborn();
  const b = stubborn();
  const c = stubborn();
  const it = asCompleted([a.fn, b.fn, c.fn]);
  const first = it.next();
  await flush();
  a.gate.resolve("a");
  assert.deepEqual(await first, { done: false, value: "a" });
  b.gate.resolve("b"); // completes, but is never asked for
  await flush();
  const closed = track(it.return!());
  await flush();
  assert.isFalse(a.signal!.aborted, "yielded: handed over");
  assert.isTrue(b.signal!.aborted, "buffered: dropped");
  assert.isTrue(c.signal!.aborted, "running: cancelled");
  assert.equal(closed.state, "pending", "waits for the stubborn one");
  c.gate.resolve("c");
  await flush();
  assert.deepEqual(closed.value, { done: true, value: undefined });
  assert.isFalse(a.signal!.aborted);
});

Deno.test("gather: on success every response stays readable", async () => {
  const bodies = await openBodies();
  try {
    const [x, y] = await gather([
      (signal) => bodies.fetch("x", signal),
      (signal) => bodies.fetch("y", signal),
    ]);
    bodies.release();
    assert.equal(await x.text(), "head x;tail", bodies.kind);
    assert.equal(await y.text(), "head y;tail");
  } finally {
    await bodies.close();
  }
});

Deno.test("gather: on failure, the responses it discards are released", async () => {
  const bodies = await openBodies();
  try {
    const fetched = deferred<Response>();
    const fetchedOne = (signal: AbortSignal) =>
      bodies.fetch("kept?", signal).then((response) => {
        fetched.resolve(response);
        return response;
      });
    let hung: Promise<Response> | undefined;
    const error = await gather([
      fetchedOne,
      (signal) => (hung = bodies.hang(signal)),
      async () => {
        await fetched.promise;
        throw new Error("boom");
      },
    ]).catch((e) => e);
    assert.equal(error.message, "boom");
    await rejectsAsAborted(hung!);
    await rejectsAsAborted((await fetched.promise).text());
  } finally {
    await bodies.close();
  }
});

Deno.test("gather: each function that declares a parameter has its own signal", async () => {
  const a = stubborn();
  const b = stubborn();
  const result = track(gather([a.fn, b.fn]));
  await flush();
  assert.notStrictEqual(a.signal, b.signal);
  a.gate.resolve("a");
  b.gate.resolve("b");
  await flush();
  assert.deepEqual(result.value, ["a", "b"]);
  assert.isFalse(a.signal!.aborted);
  assert.isFalse(b.signal!.aborted);
});

Deno.test("asCompleted: once every value was yielded, the signal shared by functions without a declared parameter stays live", async () => {
  let shared: AbortSignal | undefined;
  const seen: number[] = [];
  const values = asCompleted([
    (...args: AbortSignal[]) => {
      shared = args[0]; // a rest parameter gets the call's signal
      return 1;
    },
    async () => 2,
  ]);
  for await (const value of values) seen.push(value);
  assert.sameMembers(seen, [1, 2]);
  assert.isFalse(shared!.aborted);
});
