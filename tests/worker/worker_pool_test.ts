import { assert } from "chai";
import { WorkerPool, type WorkerPoolOptions } from "../../src/worker/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { asyncDispose } from "../_helpers/symbols.ts";
import {
  type Factory,
  factory,
  hasWorkers,
  manualClock,
} from "./_pool_helpers.ts";

const ignore = !hasWorkers;

/** Runs `body` with a pool over a recording factory; checks nothing leaked. */
async function withPool(
  options: Omit<WorkerPoolOptions, "create">,
  body: (pool: WorkerPool, f: Factory) => Promise<void>,
): Promise<void> {
  const f = factory();
  const pool = new WorkerPool({ create: f.create, ...options });
  try {
    await body(pool, f);
  } finally {
    await pool.close();
  }
  assert.equal(pool.size, 0, "workers left in the pool");
  assert.equal(f.live, 0, "workers not terminated");
  assert.equal(pool.running, 0);
  assert.equal(pool.queued, 0);
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    (value) => assert.fail(`expected a rejection, got ${value}`),
    (error) => error,
  );

// One pool for the checks that need only a healthy worker: each worker
// start costs Deno a type check of the worker's modules.
Deno.test({
  name: "WorkerPool: one healthy worker: values, errors, transfers, aborts",
  ignore,
  fn: (t) =>
    withPool({ limit: 1, graceMs: 60_000 }, async (pool, f) => {
      await t.step(
        "values cross both ways; workers start lazily and are reused",
        async () => {
          assert.equal(pool.size, 0);
          const value = {
            map: new Map([[1, "one"]]),
            bytes: new Uint8Array([1, 2]),
            nested: [{ date: new Date(5) }],
          };
          const echoed = await pool.run("echo", value);
          assert.deepEqual(echoed, value);
          assert.notStrictEqual(echoed, value);
          assert.equal(await pool.run("double", 21), 42);
          assert.equal(await pool.run("echo"), undefined);
          assert.equal(
            pool.size,
            1,
            "one worker served runs one after another",
          );
          assert.equal(f.started.length, 1);
        },
      );
      await t.step(
        "errors keep their class, name, message, stack and cause",
        async () => {
          const type = await rejection(pool.run("throwType", "wrong"));
          assert.instanceOf(type, TypeError);
          assert.equal(type.message, "wrong");
          assert.include(type.stack, "_worker");
          assert.instanceOf(type.cause, RangeError);
          assert.equal(type.cause.message, "inner");
          assert.isFalse(
            Object.keys(type).includes("cause"),
            "cause not enumerable",
          );

          const custom = await rejection(pool.run("throwCustom"));
          assert.instanceOf(custom, Error);
          assert.equal(custom.name, "ParseError");
          assert.equal(custom.message, "bad input");
          assert.deepEqual(custom.cause, { line: 3 });
          assert.match(String(custom), /^ParseError: bad input/);

          const dom = await rejection(pool.run("throwDOM"));
          assert.instanceOf(dom, DOMException);
          assert.equal(dom.name, "TimeoutError");
          assert.equal(dom.message, "too slow");

          const aggregate = await rejection(pool.run("throwAggregate"));
          assert.instanceOf(aggregate, AggregateError);
          assert.equal(aggregate.message, "both");
          assert.instanceOf(aggregate.errors[0], TypeError);
          assert.equal(aggregate.errors[1], "b");

          assert.equal(
            await rejection(pool.run("throwString")),
            "just a string",
          );

          const unknown = await rejection(pool.run("nope"));
          assert.instanceOf(unknown, TypeError);
          assert.include(unknown.message, '"nope"');
          assert.include(
            unknown.message,
            '"echo"',
            "lists what the worker serves",
          );
          const inherited = await rejection(pool.run("toString"));
          assert.instanceOf(
            inherited,
            TypeError,
            "only own handlers are served",
          );

          const clone = await rejection(pool.run("returnFunction"));
          assert.equal(clone.name, "DataCloneError");
          assert.equal(
            await pool.run("double", 2),
            4,
            "the worker still serves",
          );
          assert.equal(pool.size, 1);
        },
      );
      await t.step(
        "an argument that cannot be cloned rejects; the worker is reused",
        async () => {
          const error = await rejection(pool.run("echo", () => {}));
          assert.equal(error.name, "DataCloneError");
          assert.equal(pool.running, 0);
          assert.equal(await pool.run("echo", 1), 1);
          assert.equal(f.started.length, 1);
        },
      );
      await t.step("transfer moves buffers both ways", async () => {
        const bytes = new Uint8Array([7, 7, 7]);
        const result = await pool.run<
          { doubled: Uint8Array; received: number }
        >(
          "fill",
          bytes,
          { transfer: [bytes.buffer] },
        );
        assert.equal(bytes.byteLength, 0, "the argument's buffer was moved");
        assert.equal(result.received, 3);
        assert.deepEqual([...result.doubled], [7, 7, 7, 7, 7, 7]);
        const copied = new Uint8Array([1]);
        await pool.run("fill", copied);
        assert.equal(copied.byteLength, 1, "without transfer it is copied");
      });
      await t.step(
        "an aborted queued run is removed and never sent",
        async () => {
          using probe = probeAbortListeners();
          const held = pool.run("hold");
          await f.waitFor("started");
          const controller = new AbortController();
          const queued = pool.run("hold", null, { signal: controller.signal });
          const after = pool.run("whoami");
          assert.equal(pool.queued, 2);
          const reason = new Error("not needed");
          controller.abort(reason);
          assert.strictEqual(await rejection(queued), reason);
          assert.equal(pool.queued, 1);
          assert.equal(probe.count(controller.signal), 0);
          f.release(f.started[0]);
          await held;
          await after;
          assert.equal(
            f.notes.filter((n) => n.note === "started").length,
            1,
            "the aborted run never started",
          );
        },
      );
      await t.step(
        "a running run is cancelled in its worker, which is kept",
        async () => {
          using probe = probeAbortListeners();
          const id = await pool.run("whoami");
          const controller = new AbortController();
          const waiting = pool.run("wait", null, { signal: controller.signal });
          await f.waitFor("started");
          assert.equal(pool.running, 1);
          const next = pool.run("lastAbort");
          const reason = new DOMException("deadline", "TimeoutError");
          controller.abort(reason);
          assert.strictEqual(
            await rejection(waiting),
            reason,
            "rejects at once",
          );
          assert.equal(pool.running, 0);
          assert.equal(probe.count(controller.signal), 0);
          // The worker finishes the cancelled run before it takes the next.
          assert.deepEqual(await next, {
            name: "TimeoutError",
            message: "deadline",
          });
          assert.equal(await pool.run("whoami"), id, "the same worker");
          assert.equal(f.started.length, 1);
          controller.abort(new Error("again"));
          assert.equal(pool.size, 1, "an abort after settling changes nothing");
        },
      );
      assert.equal(f.started.length, 1, "one worker served every step");
    }),
});

Deno.test({
  name: "WorkerPool: at most `limit` runs at once, the rest FIFO",
  ignore,
  fn: () =>
    withPool({ limit: 2 }, async (pool, f) => {
      let active = 0;
      let peak = 0;
      const order: number[] = [];
      f.onNote = (note) => {
        if (note.note === "started") peak = Math.max(peak, ++active);
        if (note.note === "finished") active--;
      };
      const runs = [0, 1, 2, 3, 4, 5].map((n) =>
        pool.run("hold").then(() => order.push(n))
      );
      await f.waitFor("started", 2);
      assert.equal(pool.running, 2);
      assert.equal(pool.queued, 4);
      assert.equal(pool.size, 2);
      // Release each held run as it starts, until all six have run.
      f.onNote = (note) => {
        if (note.note === "started") {
          peak = Math.max(peak, ++active);
          f.release(note.worker);
        }
        if (note.note === "finished") active--;
      };
      for (const worker of f.started) f.release(worker);
      await Promise.all(runs);
      assert.equal(peak, 2);
      assert.equal(f.notes.filter((n) => n.note === "started").length, 6);
      assert.equal(f.started.length, 2, "no worker beyond the limit");
      assert.equal(pool.running, 0);
      // Each worker serves one run at a time, and the queue is FIFO within a
      // worker; across the two workers completion order may interleave.
      assert.sameMembers(order, [0, 1, 2, 3, 4, 5]);
    }),
});

Deno.test({
  name:
    "WorkerPool: an already-aborted signal rejects at once and starts nothing",
  ignore,
  fn: () =>
    withPool({}, async (pool, f) => {
      const reason = new Error("early");
      const error = await rejection(
        pool.run("echo", 1, { signal: AbortSignal.abort(reason) }),
      );
      assert.strictEqual(error, reason);
      assert.equal(f.started.length, 0);
    }),
});

Deno.test({
  name: "WorkerPool: a stuck worker is terminated after graceMs and replaced",
  ignore,
  fn: async () => {
    const time = manualClock();
    const options = { limit: 1, graceMs: 1000, idleTimeout: 5000 };
    await withPool({ ...options, clock: time.clock }, async (pool, f) => {
      const first = await pool.run("whoami");
      assert.deepEqual(time.pending(), [5000], "the idle timer");
      const controller = new AbortController();
      const stuck = pool.run("spin", null, { signal: controller.signal });
      assert.deepEqual(time.pending(), [], "a busy worker has no idle timer");
      await f.waitFor("started");
      const next = pool.run("whoami");
      const reason = new Error("stop spinning");
      controller.abort(reason);
      assert.strictEqual(await rejection(stuck), reason);
      assert.deepEqual(time.pending(), [1000], "the grace timer");
      assert.equal(pool.queued, 1, "a worker being cancelled takes no new run");
      const terminated = f.nextTermination();
      time.fire();
      await terminated;
      const second = await next;
      assert.notEqual(second, first, "a fresh worker");
      assert.equal(f.started.length, 2);
      assert.equal(f.live, 1);

      // A run's own clock times its grace period.
      const runTime = manualClock();
      const again = new AbortController();
      const spinning = pool.run("spin", null, {
        signal: again.signal,
        clock: runTime.clock,
      });
      await f.waitFor("started");
      again.abort(reason);
      assert.strictEqual(await rejection(spinning), reason);
      assert.deepEqual(runTime.pending(), [1000]);
      assert.deepEqual(time.pending(), []);
      const gone = f.nextTermination();
      runTime.fire();
      await gone;
      assert.equal(pool.size, 0);
    });
    assert.deepEqual(time.pending(), [], "no timer left");
  },
});

Deno.test({
  name: "WorkerPool: graceMs 0 terminates a cancelled worker at once",
  ignore,
  fn: () =>
    withPool({ limit: 1, graceMs: 0 }, async (pool, f) => {
      const controller = new AbortController();
      const run = pool.run("spin", null, { signal: controller.signal });
      await f.waitFor("started");
      const terminated = f.nextTermination();
      controller.abort();
      assert.equal((await rejection(run)).name, "AbortError");
      await terminated;
      assert.equal(pool.size, 0);
    }),
});

Deno.test({
  name: "WorkerPool: a worker that crashes fails its run and is replaced",
  ignore,
  fn: () =>
    withPool({ limit: 1 }, async (pool, f) => {
      const first = await pool.run("whoami");
      const crashed = await rejection(pool.run("crash"));
      assert.instanceOf(crashed, Error);
      assert.match(crashed.message, /worker running "crash" crashed/);
      assert.include(crashed.message, "kaboom");
      assert.equal(pool.size, 0);
      assert.equal(f.live, 0, "the broken worker was terminated");
      const second = await pool.run("whoami");
      assert.notEqual(second, first);

      const exited = await rejection(pool.run("exit"));
      assert.match(
        exited.message,
        /worker running "exit" crashed \((close\(\)|exit with code 3)\)/,
      );
      assert.equal(await pool.run("double", 5), 10);
      assert.equal(f.started.length, 3);
    }),
});

Deno.test({
  name: "WorkerPool: idleTimeout terminates idle workers",
  ignore,
  fn: () =>
    withPool({ limit: 2, idleTimeout: 10 }, async (pool, f) => {
      const terminated = f.nextTermination();
      assert.equal(await pool.run("double", 3), 6);
      assert.equal(pool.size, 1);
      await terminated;
      assert.equal(pool.size, 0);
      assert.equal(f.started.length, 1);
    }),
});

Deno.test({
  name:
    "WorkerPool: close() rejects queued and running runs and terminates every worker",
  ignore,
  fn: async () => {
    const f = factory();
    const pool = new WorkerPool({ create: f.create, limit: 2 });
    const idle = await pool.run("whoami");
    assert.isString(idle);
    const held = [pool.run("hold"), pool.run("hold")];
    const queued = pool.run("echo", 1);
    await f.waitFor("started", 2);
    assert.equal(pool.queued, 1);
    const closing = pool.close();
    assert.strictEqual(pool.close(), closing, "idempotent");
    for (const run of [...held, queued]) {
      const error = await rejection(run);
      assert.equal(error.name, "AbortError");
    }
    await closing;
    assert.equal(pool.size, 0);
    assert.equal(f.live, 0);
    assert.equal(
      (await rejection(pool.run("echo"))).name,
      "InvalidStateError",
    );
    await pool[asyncDispose]();
  },
});

Deno.test("WorkerPool: without workers, run rejects with NotSupportedError", async () => {
  // No create function; in workerd the test factory has no Worker either.
  const pools = [new WorkerPool()];
  if (!hasWorkers) pools.push(new WorkerPool({ create: undefined }));
  for (const pool of pools) {
    const error = await rejection(pool.run("echo", 1));
    assert.instanceOf(error, DOMException);
    assert.equal(error.name, "NotSupportedError");
    await pool.close();
  }
});

Deno.test("WorkerPool: a create function that throws or returns a non-worker", async () => {
  const boom = new Error("no worker today");
  const pool = new WorkerPool({
    create: () => {
      throw boom;
    },
  });
  assert.strictEqual(await rejection(pool.run("echo")), boom);
  assert.equal(pool.size, 0);
  await pool.close();
  // deno-lint-ignore no-explicit-any
  const bad = new WorkerPool({ create: () => ({ postMessage() {} }) as any });
  const error = await rejection(bad.run("echo"));
  assert.instanceOf(error, TypeError);
  assert.include(error.message, "WorkerPool: create must return a Worker");
  await bad.close();
});

Deno.test("WorkerPool: bad arguments throw synchronously", () => {
  // deno-lint-ignore no-explicit-any
  const make = (options: any) => () => new WorkerPool(options);
  assert.throws(make(5), TypeError, "WorkerPool: options must be an object");
  assert.throws(
    make({ create: 1 }),
    TypeError,
    "WorkerPool: create must be a function",
  );
  assert.throws(
    make({ limit: 0 }),
    RangeError,
    "WorkerPool: limit must be an integer >= 1",
  );
  assert.throws(make({ limit: 1.5 }), RangeError, "limit");
  assert.throws(make({ limit: "2" }), TypeError, "limit");
  assert.throws(make({ graceMs: -1 }), RangeError, "WorkerPool: graceMs");
  assert.throws(
    make({ clock: {} }),
    TypeError,
    "WorkerPool: clock must be a Clock",
  );
  assert.throws(
    make({ idleTimeout: NaN }),
    RangeError,
    "WorkerPool: idleTimeout",
  );
  assert.throws(make({ idleTimeout: "1" }), TypeError, "idleTimeout");
  const pool = new WorkerPool();
  // deno-lint-ignore no-explicit-any
  const run = (...args: any[]) => () => (pool.run as any)(...args);
  assert.throws(
    run(42),
    TypeError,
    "WorkerPool.run: name must be a string, got 42",
  );
  assert.throws(
    run("x", 1, 5),
    TypeError,
    "WorkerPool.run: options must be an object",
  );
  assert.throws(
    run("x", 1, { signal: { aborted: false } }),
    TypeError,
    "WorkerPool.run: signal must be an AbortSignal",
  );
  assert.throws(
    run("x", 1, { transfer: "buf" }),
    TypeError,
    "WorkerPool.run: transfer must be an array",
  );
  assert.throws(
    run("x", 1, { clock: { now() {} } }),
    TypeError,
    "WorkerPool.run: clock must be a Clock",
  );
  assert.equal(pool.running + pool.queued + pool.size, 0, "nothing started");
});

Deno.test("WorkerPool: limit defaults to the hardware concurrency (or 4); either listener style", async () => {
  for (const style of ["web", "node"]) {
    let made = 0;
    let listening = 0;
    // Look-alike workers that never answer: enough to count starts.
    const fake = () => {
      made++;
      const add = () => void listening++;
      const remove = () => void listening--;
      return {
        postMessage() {},
        terminate() {},
        ...(style === "web"
          ? { addEventListener: add, removeEventListener: remove }
          : { on: add, off: remove }),
      };
    };
    const pool = new WorkerPool({ create: fake });
    const runs = Array.from({ length: 20 }, () => rejection(pool.run("x")));
    const expected = Math.min(
      20,
      globalThis.navigator?.hardwareConcurrency || 4,
    );
    assert.equal(made, expected, style);
    assert.equal(pool.running, expected);
    assert.equal(pool.queued, 20 - expected);
    assert.isAbove(listening, 0);
    await pool.close();
    for (const error of await Promise.all(runs)) {
      assert.equal(error.name, "AbortError");
    }
    assert.equal(listening, 0, `${style}: every listener removed`);
  }
});
