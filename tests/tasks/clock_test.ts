// TaskGroup and wait on virtual time: a group created with a clock hands it
// to every signal it derives.
import { assert } from "chai";
import {
  CancelScope,
  isTimeoutError,
  sleep,
  withTimeout,
} from "../../src/cancel/mod.ts";
import { TaskGroup, wait } from "../../src/tasks/mod.ts";
import { TestClock } from "../../src/testing/mod.ts";

Deno.test("TaskGroup({ clock }): sleeps on the group's and the tasks' signals run on it", async () => {
  using clock = new TestClock({ autojump: true });
  const group = new TaskGroup({ clock });
  const woke: string[] = [];
  group.spawn(async (signal) => {
    await sleep(300, { signal });
    woke.push(`task@${clock.now()}`);
  });
  group.spawn(async () => {
    await sleep(100, { signal: group.signal });
    woke.push(`group@${clock.now()}`);
  });
  await group.wait();
  assert.deepEqual(woke, ["group@100", "task@300"]);
});

Deno.test("TaskGroup({ clock }): timeouts inside tasks inherit it", async () => {
  using clock = new TestClock({ autojump: true });
  const group = new TaskGroup({ clock });
  const task = group.spawn((signal) =>
    withTimeout(500, (inner) => sleep(60_000, { signal: inner }), { signal })
      .catch((e) => e)
  );
  await group.wait();
  assert.isTrue(isTimeoutError(await task));
  assert.equal(clock.now(), 500);
  assert.equal(clock.pending, 0);
});

Deno.test("a TaskGroup inherits the clock of its parent signal's scope", async () => {
  using clock = new TestClock();
  using scope = new CancelScope({ clock, timeout: 1000 });
  const group = new TaskGroup({ signal: scope.signal });
  const woke: number[] = [];
  group.spawn(async (signal) => {
    await sleep(400, { signal });
    woke.push(clock.now());
    await sleep(Infinity, { signal });
  });
  const done = group.wait().catch((e) => e);
  await clock.advance(400);
  assert.deepEqual(woke, [400]);
  await clock.advance(600);
  assert.isTrue(isTimeoutError(await done));
});

Deno.test("TaskGroup rejects a clock that is not a Clock", () => {
  assert.throws(
    () => new TaskGroup({ clock: { now() {}, setTimer: 1 } as never }),
    TypeError,
    "TaskGroup: clock must be a Clock",
  );
});

Deno.test("wait: the timeout fires at exactly its time on the clock", async () => {
  using clock = new TestClock();
  const group = new TaskGroup({ clock });
  const quick = group.spawn((signal) => sleep(40, { signal }));
  const slow = group.spawn((signal) => sleep(Infinity, { signal }));
  let result: { done: unknown[]; pending: unknown[] } | undefined;
  const waiting = wait([quick, slow], { timeout: 100, clock }).then((r) =>
    result = r
  );
  await clock.advance(99);
  assert.isUndefined(result);
  await clock.advance(1);
  await waiting;
  assert.deepEqual(result!.done, [quick]);
  assert.deepEqual(result!.pending, [slow]);
  group.cancel();
  await group.wait();
});

Deno.test("wait: the timeout follows the clock of its signal", async () => {
  using clock = new TestClock({ autojump: true });
  using scope = new CancelScope({ clock });
  const never = new Promise<void>(() => {});
  const { pending } = await wait([never], {
    timeout: 2500,
    signal: scope.signal,
  });
  assert.deepEqual(pending, [never]);
  assert.equal(clock.now(), 2500);
});

Deno.test("wait rejects a clock that is not a Clock", () => {
  assert.throws(
    () => wait([Promise.resolve()], { clock: "now" as never }),
    TypeError,
    "wait: clock must be a Clock",
  );
});
