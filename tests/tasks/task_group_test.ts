import { assert } from "chai";
import { isAbortError, sleep } from "../../src/cancel/mod.ts";
import {
  type Task,
  TaskGroup,
  taskGroup,
  TaskGroupError,
} from "../../src/tasks/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

/** A child that runs until its signal aborts, then rejects with the reason. */
const untilAborted = (signal: AbortSignal) => sleep(Infinity, { signal });

Deno.test("spawn runs children and wait resolves when all are done", async () => {
  const group = new TaskGroup();
  const a = group.spawn(async () => 1);
  const b = group.spawn((signal) => sleep(1, { signal }).then(() => 2));
  const c = group.spawn(() => 3);
  assert.equal(b.state, "pending");
  await group.wait();
  assert.deepEqual([await a, await b, await c], [1, 2, 3]);
  assert.deepEqual([a.state, b.state, c.state], [
    "fulfilled",
    "fulfilled",
    "fulfilled",
  ]);
});

Deno.test("spawn calls fn at once, with the group's signal when it declares no parameter", () => {
  const group = new TaskGroup();
  let received: unknown;
  group.spawn(function () {
    received = arguments[0];
  });
  assert.strictEqual(received, group.signal);
  let own: AbortSignal | undefined;
  const task = group.spawn((signal) => {
    own = signal;
  });
  assert.notStrictEqual(own, group.signal);
  assert.strictEqual(task.signal, own);
  return group.wait();
});

Deno.test("a failing child aborts its siblings, the group waits for all, and the aggregate holds only real errors", async () => {
  const group = new TaskGroup();
  const stubbornExit = deferred<void>();
  let stubbornSawAbort = false;
  const sleeper = group.spawn(untilAborted);
  const stubborn = group.spawn(async (signal) => {
    await new Promise((resolve) =>
      signal.addEventListener("abort", resolve, { once: true })
    );
    stubbornSawAbort = true;
    await stubbornExit.promise; // ignores the abort for a while
    return "late";
  });
  const failure = new Error("boom");
  const failing = group.spawn(async () => {
    throw failure;
  });
  let settled = false;
  const waited = group.wait().catch((e) => e).finally(() => settled = true);
  await sleeper.then(undefined, () => {});
  assert.isTrue(stubbornSawAbort);
  assert.isFalse(settled);
  stubbornExit.resolve();
  const error = await waited;
  assert.instanceOf(error, TaskGroupError);
  assert.instanceOf(error, AggregateError);
  assert.deepEqual(error.errors, [failure]);
  assert.strictEqual(group.signal.reason, failure);
  assert.equal(sleeper.state, "cancelled");
  assert.equal(stubborn.state, "fulfilled");
  assert.equal(failing.state, "rejected");
  assert.strictEqual(await failing.then(undefined, (e) => e), failure);
});

Deno.test("a sibling that turns the abort into its own error joins the aggregate", async () => {
  const group = new TaskGroup();
  const cleanup = new Error("cleanup failed");
  group.spawn(async (signal) => {
    await untilAborted(signal).catch(() => {
      throw cleanup;
    });
  });
  const first = new Error("first");
  group.spawn(() => Promise.reject(first));
  const error = await group.wait().catch((e) => e);
  assert.deepEqual(error.errors, [first, cleanup]);
});

Deno.test("one error is still an aggregate", async () => {
  const group = new TaskGroup();
  group.spawn(() => {
    throw new TypeError("sync throw");
  });
  const error = await group.wait().catch((e) => e);
  assert.instanceOf(error, TaskGroupError);
  assert.lengthOf(error.errors, 1);
  assert.instanceOf(error.errors[0], TypeError);
  assert.match(error.message, /1 task failed; first: sync throw/);
});

Deno.test("spawn after a failure throws the failure; after finishing, an Error", async () => {
  const group = new TaskGroup();
  const failure = new Error("boom");
  group.spawn(() => Promise.reject(failure));
  await group.wait().catch(() => {});
  assert.throws(() => group.spawn(() => 1), failure.message);
  const done = new TaskGroup();
  await done.wait();
  assert.throws(() => done.spawn(() => 1), Error, /group has finished/);
});

Deno.test("an outer abort cancels all children and the group rejects with the outer reason", async () => {
  using probe = probeAbortListeners();
  const outer = new AbortController();
  const group = new TaskGroup({ signal: outer.signal });
  const a = group.spawn(untilAborted);
  const b = group.spawn(untilAborted);
  const reason = new Error("shutdown");
  outer.abort(reason);
  assert.strictEqual(await group.wait().catch((e) => e), reason);
  assert.deepEqual([a.state, b.state], ["cancelled", "cancelled"]);
  assert.strictEqual(await a.then(undefined, (e) => e), reason);
  assert.equal(probe.count(outer.signal), 0);
});

Deno.test("real child errors win over the outer reason", async () => {
  const outer = new AbortController();
  const group = new TaskGroup({ signal: outer.signal });
  const cleanup = new Error("cleanup failed");
  group.spawn((signal) =>
    untilAborted(signal).catch(() => {
      throw cleanup;
    })
  );
  outer.abort(new Error("shutdown"));
  const error = await group.wait().catch((e) => e);
  assert.instanceOf(error, TaskGroupError);
  assert.deepEqual(error.errors, [cleanup]);
});

Deno.test("an already-aborted outer signal: spawn throws the reason, wait rejects with it", async () => {
  const reason = new Error("early");
  const group = new TaskGroup({ signal: AbortSignal.abort(reason) });
  assert.throws(() => group.spawn(() => 1), "early");
  assert.strictEqual(await group.wait().catch((e) => e), reason);
});

Deno.test("aborting the outer signal after the group settled changes nothing", async () => {
  const outer = new AbortController();
  const group = new TaskGroup({ signal: outer.signal });
  group.spawn(async () => 1);
  await group.wait();
  outer.abort();
  assert.isFalse(group.signal.aborted);
  await group.wait();
});

Deno.test("cancel() is a non-error early exit", async () => {
  const group = new TaskGroup();
  const tasks = [group.spawn(untilAborted), group.spawn(untilAborted)];
  group.cancel();
  await group.wait();
  assert.deepEqual(tasks.map((t) => t.state), ["cancelled", "cancelled"]);
  assert.isTrue(isAbortError(group.signal.reason));
  assert.throws(() => group.spawn(() => 1));
});

Deno.test("task.cancel() cancels one child; the group goes on", async () => {
  const group = new TaskGroup();
  const victim = group.spawn(untilAborted);
  const other = group.spawn(async () => "ok");
  const reason = new Error("not needed");
  victim.cancel(reason);
  await group.wait();
  assert.equal(victim.state, "cancelled");
  assert.strictEqual(await victim.then(undefined, (e) => e), reason);
  assert.equal(await other, "ok");
  assert.isFalse(group.signal.aborted);
  victim.cancel(); // after settling: nothing happens
});

Deno.test("limit: never more than `limit` running, FIFO start order", async () => {
  const group = new TaskGroup({ limit: 3 });
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const gates = Array.from({ length: 10 }, () => deferred<void>());
  for (let i = 0; i < 10; i++) {
    group.spawn(async () => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await gates[i].promise;
      running--;
    });
  }
  assert.deepEqual(started, [0, 1, 2]);
  for (const gate of [gates[1], gates[0], ...gates.slice(2)]) {
    gate.resolve();
    await sleep(0);
  }
  await group.wait();
  assert.equal(peak, 3);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("limit: a queued task cancelled never runs; a group abort cancels the queue", async () => {
  const group = new TaskGroup({ limit: 1 });
  const gate = deferred<void>();
  const ran: string[] = [];
  group.spawn(() => gate.promise);
  const queued = group.spawn(() => ran.push("queued"));
  const later = group.spawn(() => ran.push("later"));
  queued.cancel();
  assert.equal(queued.state, "cancelled");
  gate.resolve();
  await group.wait();
  assert.deepEqual(ran, ["later"]);
  assert.equal(later.state, "fulfilled");

  const aborted = new TaskGroup({ limit: 1 });
  aborted.spawn(untilAborted);
  const waiting = aborted.spawn(() => ran.push("never"));
  aborted.cancel();
  await aborted.wait();
  assert.equal(waiting.state, "cancelled");
  assert.notInclude(ran, "never");
});

Deno.test("limit: 100,000 synchronous children do not overflow the stack", async () => {
  const group = new TaskGroup({ limit: 1 });
  let count = 0;
  for (let i = 0; i < 100_000; i++) group.spawn(() => count++);
  await group.wait();
  assert.equal(count, 100_000);
});

Deno.test("start resolves with the value passed to ready; the child keeps running", async () => {
  const group = new TaskGroup();
  const stop = deferred<void>();
  let finished = false;
  const port = await group.start<number>(async (_signal, ready) => {
    ready(1234);
    ready(9999); // later calls are ignored
    await stop.promise;
    finished = true;
  });
  assert.equal(port, 1234);
  assert.isFalse(finished);
  stop.resolve();
  await group.wait();
  assert.isTrue(finished);
});

Deno.test("start: an error before ready rejects start, not the group", async () => {
  const group = new TaskGroup();
  const sibling = group.spawn(async () => "fine");
  const failure = new Error("could not bind");
  const error = await group.start(() => Promise.reject(failure)).catch((e) =>
    e
  );
  assert.strictEqual(error, failure);
  assert.isFalse(group.signal.aborted);
  await group.wait();
  assert.equal(await sibling, "fine");
});

Deno.test("start: returning without ready rejects start", async () => {
  const group = new TaskGroup();
  const error = await group.start(async () => {}).catch((e: Error) => e);
  assert.match((error as Error).message, /without calling ready/);
  await group.wait();
});

Deno.test("start: an error after ready fails the group", async () => {
  const group = new TaskGroup();
  const failure = new Error("crashed later");
  const fail = deferred<void>();
  await group.start(async (_signal, ready) => {
    ready(undefined);
    await fail.promise;
    throw failure;
  });
  fail.resolve();
  const error = await group.wait().catch((e) => e);
  assert.deepEqual(error.errors, [failure]);
});

Deno.test("start: cancelled before ready rejects with the reason; on a cancelled group, at once", async () => {
  const group = new TaskGroup();
  const starting = group.start((signal) => untilAborted(signal));
  const reason = new Error("stop");
  group.cancel(reason);
  assert.strictEqual(await starting.catch((e) => e), reason);
  await group.wait();
  assert.strictEqual(await group.start(() => {}).catch((e) => e), reason);
});

Deno.test("nested groups: an outer failure cancels the inner group's children", async () => {
  const innerChild = deferred<string>();
  const failure = new Error("outer failure");
  const outer = new TaskGroup();
  outer.spawn(async (signal) => {
    const inner = new TaskGroup({ signal });
    inner.spawn((s) =>
      untilAborted(s).catch((e) => {
        innerChild.resolve(isAbortError(e) ? "abort" : (e as Error).message);
        throw e;
      })
    );
    await inner.wait();
  });
  outer.spawn(() => Promise.reject(failure));
  const error = await outer.wait().catch((e) => e);
  assert.equal(await innerChild.promise, "outer failure");
  assert.deepEqual(error.errors, [failure]);
});

Deno.test("nested groups: an inner failure reaches the outer group as an aggregate", async () => {
  const failure = new Error("inner failure");
  const error = await taskGroup(async (outer) => {
    outer.spawn(untilAborted);
    outer.spawn((signal) =>
      taskGroup((inner) => {
        inner.spawn(() => Promise.reject(failure));
      }, { signal })
    );
  }).catch((e) => e);
  assert.instanceOf(error, TaskGroupError);
  assert.lengthOf(error.errors, 1);
  assert.instanceOf(error.errors[0], TaskGroupError);
  assert.deepEqual(error.errors[0].errors, [failure]);
});

Deno.test("await using waits for every child", async () => {
  const order: string[] = [];
  {
    await using group = new TaskGroup();
    group.spawn(async (signal) => {
      await sleep(1, { signal });
      order.push("child");
    });
    order.push("body");
  }
  order.push("after");
  assert.deepEqual(order, ["body", "child", "after"]);
});

Deno.test("taskGroup resolves with the body's value after the children", async () => {
  let childDone = false;
  const value = await taskGroup((group) => {
    group.spawn(async (signal) => {
      await sleep(1, { signal });
      childDone = true;
    });
    return "body";
  });
  assert.equal(value, "body");
  assert.isTrue(childDone);
});

Deno.test("taskGroup: a throwing body cancels the children and joins the aggregate", async () => {
  const failure = new Error("body failed");
  let child: Task<unknown> | undefined;
  const error = await taskGroup(async (group) => {
    child = group.spawn(untilAborted);
    throw failure;
  }).catch((e) => e);
  assert.instanceOf(error, TaskGroupError);
  assert.deepEqual(error.errors, [failure]);
  assert.equal(child?.state, "cancelled");
});

Deno.test("taskGroup: a body cut short by the group's cancellation resolves undefined", async () => {
  const value = await taskGroup(async (group) => {
    group.spawn(async () => group.cancel());
    await sleep(Infinity, { signal: group.signal });
    return "unreachable";
  });
  assert.isUndefined(value);
});

Deno.test("taskGroup: a child failure while the body waits is reported once", async () => {
  const failure = new Error("child");
  const error = await taskGroup(async (group) => {
    group.spawn(() => Promise.reject(failure));
    await sleep(Infinity, { signal: group.signal });
  }).catch((e) => e);
  assert.deepEqual(error.errors, [failure]);
});

Deno.test("taskGroup with an aborted signal rejects before the body runs", async () => {
  const reason = new Error("early");
  let ran = false;
  const error = await taskGroup(() => {
    ran = true;
  }, { signal: AbortSignal.abort(reason) }).catch((e) => e);
  assert.strictEqual(error, reason);
  assert.isFalse(ran);
});

Deno.test("a finished group leaves no listener on a long-lived signal", async () => {
  using probe = probeAbortListeners();
  const app = new AbortController();
  for (let i = 0; i < 200; i++) {
    await taskGroup((group) => {
      group.spawn((signal) => sleep(0, { signal }));
      group.spawn(() => i);
    }, { signal: app.signal });
  }
  assert.equal(probe.count(app.signal), 0);
});

Deno.test("an unawaited failed task raises no unhandled rejection", async () => {
  const group = new TaskGroup();
  group.spawn(() => Promise.reject(new Error("ignored task")));
  await group.wait().catch(() => {});
});

Deno.test("bad arguments throw before anything starts", () => {
  assert.throws(
    () => new TaskGroup({ limit: 0 }),
    RangeError,
    /TaskGroup: limit.*got 0/,
  );
  assert.throws(() => new TaskGroup({ limit: 1.5 }), RangeError, /limit.*1\.5/);
  assert.throws(
    () => new TaskGroup({ limit: "2" as never }),
    TypeError,
    /limit/,
  );
  assert.throws(
    () => new TaskGroup({ signal: {} as never }),
    TypeError,
    /signal/,
  );
  const group = new TaskGroup();
  assert.throws(
    () => group.spawn("nope" as never),
    TypeError,
    /TaskGroup.spawn: fn must be a function, got "nope"/,
  );
  assert.throws(() => group.start(null as never), TypeError, /start: fn/);
  assert.throws(() => taskGroup(1 as never), TypeError, /taskGroup: body/);
  return group.wait();
});

Deno.test("a cancelled or failed group leaves no listener on its outer signal, even before wait()", async () => {
  using probe = probeAbortListeners();
  const app = new AbortController();
  const cancelled = new TaskGroup({ signal: app.signal });
  const failed = new TaskGroup({ signal: app.signal });
  assert.equal(probe.count(app.signal), 1); // one, shared
  cancelled.cancel();
  failed.spawn(() => {
    throw new Error("failed");
  });
  assert.equal(probe.count(app.signal), 0);
  await cancelled.wait();
  const error = await failed.wait().catch((e) => e);
  assert.instanceOf(error, TaskGroupError);
});
