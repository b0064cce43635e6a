// The early-exit battery every operator runs (DESIGN §3 iter: one rule for
// every operator). A probe source records pulls and return() calls and can
// stall forever; a callback hook records starts and aborts.

import { assert } from "chai";
import { deferred } from "../_helpers/deferred.ts";
import {
  type CallbackContext,
  take,
  tee,
  toArray,
} from "../../src/iter/mod.ts";

/** An async iterator over `0..length-1` that records what was asked of it. */
export interface Probe extends AsyncIterableIterator<number> {
  pulls: number;
  returns: number;
  finished: boolean;
}

/**
 * A hand-written source (not a generator, so its return() does not queue
 * behind a stuck next()). `stallAt`: that pull never settles. `failAt`:
 * that pull rejects with `failure`.
 */
export function probe(
  length = 10,
  { stallAt = -1, failAt = -1, failure = new Error("source failed") } = {},
): Probe {
  let index = 0;
  const source: Probe = {
    pulls: 0,
    returns: 0,
    finished: false,
    next() {
      source.pulls++;
      if (source.finished) {
        return Promise.resolve({ done: true, value: undefined });
      }
      const i = index++;
      if (i === stallAt) return new Promise(() => {});
      if (i === failAt) {
        source.finished = true;
        return Promise.reject(failure);
      }
      if (i >= length) {
        source.finished = true;
        return Promise.resolve({ done: true, value: undefined });
      }
      return Promise.resolve({ done: false, value: i });
    },
    return() {
      source.returns++;
      source.finished = true;
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return source;
    },
  };
  return source;
}

/** Records a callback's starts, aborts and running calls. */
export class Hooks {
  started = 0;
  running = 0;
  aborted = 0;
  /** When set, calls wait until aborted, then reject with the reason. */
  hang = false;
  /** When set, the call on this item throws. */
  failOn = -1;
  readonly failure = new Error("callback failed");

  /** The hook an operator's callback awaits. */
  readonly call = async (item: number, context: CallbackContext) => {
    this.started++;
    this.running++;
    const { signal } = context;
    signal.addEventListener("abort", () => this.aborted++, { once: true });
    try {
      await Promise.resolve();
      if (item === this.failOn) throw this.failure;
      if (this.hang) {
        await new Promise((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener("abort", () => reject(signal.reason), {
            once: true,
          });
        });
      }
    } finally {
      this.running--;
    }
  };
}

/** Settles like `promise`, or fails the test if it takes over `ms` (timer cleared). */
export async function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  const timeout = deferred<never>();
  const id = setTimeout(
    () => timeout.reject(new Error(`hung for ${ms} ms`)),
    ms,
  );
  try {
    return await Promise.race([promise, timeout.promise]);
  } finally {
    clearTimeout(id);
  }
}

/** Lets pending microtasks and one macrotask run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** An operator under test, built over a source and the callback hook. */
export interface Case {
  name: string;
  make: (
    source: AsyncIterable<number>,
    hook: Hooks["call"],
    signal?: AbortSignal,
  ) => AsyncIterator<unknown>;
  /** It calls the hook for every item. */
  callback?: boolean;
  /** The most items it may pull before yielding its first (read-ahead). */
  ahead?: number;
  /** The pull that stalls in the abort test: one the second next() waits on. */
  stall?: number;
}

/** Runs the early-exit battery against `c` as steps of `t`. */
export async function battery(t: Deno.TestContext, c: Case): Promise<void> {
  await t.step("lazy: nothing before the first next()", async () => {
    const source = probe();
    const hooks = new Hooks();
    c.make(source, hooks.call);
    await settle();
    assert.equal(source.pulls, 0);
    assert.equal(hooks.started, 0);
  });

  await t.step("break: source returned once, nothing runs after", async () => {
    const source = probe(100);
    const hooks = new Hooks();
    const it = c.make(source, hooks.call);
    const first = await within(it.next());
    assert.isFalse(first.done);
    assert.isAtMost(source.pulls, (c.ahead ?? 1) + 1);
    await within(it.return!());
    const started = hooks.started;
    const pulls = source.pulls;
    assert.equal(source.returns, 1);
    await settle();
    assert.equal(hooks.started, started, "no callback after the exit");
    assert.equal(source.pulls, pulls, "no pull after the exit");
    assert.equal(hooks.running, 0, "no callback still running");
    assert.isTrue((await it.next()).done);
    await within(it.return!());
    assert.equal(source.returns, 1, "return() once");
  });

  await t.step("return() while next() is stuck settles both", async () => {
    const source = probe(10, { stallAt: 0 });
    const hooks = new Hooks();
    const it = c.make(source, hooks.call);
    const pending = it.next();
    await settle();
    await within(it.return!());
    assert.isTrue((await within(pending)).done);
    assert.equal(source.returns, 1);
  });

  await t.step(
    "throw() rejects with its error, returns the source",
    async () => {
      const source = probe();
      const hooks = new Hooks();
      const it = c.make(source, hooks.call);
      await within(it.next());
      const error = new Error("thrown in");
      const thrown = await within(it.throw!(error).catch((e) => e));
      assert.strictEqual(thrown, error);
      assert.equal(source.returns, 1);
      await settle();
      assert.equal(hooks.running, 0);
    },
  );

  await t.step(
    "signal abort with a stuck source rejects with the reason",
    async () => {
      const source = probe(10, { stallAt: c.stall ?? 1 });
      const hooks = new Hooks();
      const controller = new AbortController();
      const it = c.make(source, hooks.call, controller.signal);
      await within(it.next());
      const pending = it.next();
      await settle();
      const reason = new Error("stop");
      controller.abort(reason);
      assert.strictEqual(await within(pending.catch((e) => e)), reason);
      assert.equal(source.returns, 1);
      assert.strictEqual(
        await within(it.next().catch((e) => e)),
        reason,
        "level-triggered",
      );
    },
  );

  await t.step("an aborted signal rejects before any pull", async () => {
    const source = probe();
    const hooks = new Hooks();
    const reason = new Error("already");
    const it = c.make(source, hooks.call, AbortSignal.abort(reason));
    assert.strictEqual(await within(it.next().catch((e) => e)), reason);
    assert.equal(source.pulls, 0);
    assert.equal(hooks.started, 0);
  });

  await t.step("source error propagates; no return() on it", async () => {
    const failure = new Error("boom");
    const source = probe(10, { failAt: 1, failure });
    const hooks = new Hooks();
    const it = c.make(source, hooks.call);
    const error = await within(drainAll(it).catch((e) => e));
    assert.strictEqual(error, failure);
    assert.equal(source.returns, 0);
    await settle();
    assert.equal(hooks.running, 0);
  });

  await t.step("a finished source is not returned", async () => {
    const source = probe(3);
    const hooks = new Hooks();
    await within(drainAll(c.make(source, hooks.call)).catch(() => {}));
    assert.isTrue(source.finished);
    assert.isAtMost(source.returns, 1);
    if (source.pulls === 4) assert.equal(source.returns, 0);
  });

  await teeBattery(t, c);

  if (!c.callback) return;

  await t.step("callback error: rejects, source returned", async () => {
    const source = probe(100);
    const hooks = new Hooks();
    hooks.failOn = 1;
    const error = await within(
      drainAll(c.make(source, hooks.call)).catch((e) => e),
    );
    assert.strictEqual(error, hooks.failure);
    assert.equal(source.returns, 1);
    const started = hooks.started;
    await settle();
    assert.equal(hooks.started, started);
    assert.equal(hooks.running, 0);
  });

  await t.step(
    "return() aborts the running callback and waits for it",
    async () => {
      const source = probe(100);
      const hooks = new Hooks();
      hooks.hang = true;
      const it = c.make(source, hooks.call);
      const pending = it.next();
      await settle();
      assert.isAtLeast(hooks.running, 1);
      await within(it.return!());
      assert.equal(hooks.running, 0);
      assert.equal(hooks.aborted, hooks.started);
      assert.isTrue((await within(pending)).done);
      assert.equal(source.returns, 1);
    },
  );
}

// The operator reads one branch of a tee; the other branch must not stall
// whenever the operator leaves (before, during or after reading), and the
// source is returned once the last branch has left.
async function teeBattery(t: Deno.TestContext, c: Case): Promise<void> {
  // Room for what the operator reads ahead, so reading it alone never stalls.
  const bufferSize = (c.ahead ?? 1) + 2;

  await t.step("tee: leaving before reading releases the branch", async () => {
    const source = probe(10);
    const [a, b] = tee(source, 2, { bufferSize: 2 });
    await within(c.make(b, new Hooks().call).return!());
    assert.deepEqual(await within(toArray(a)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(source.returns, 0, "finished: not returned");
  });

  await t.step("tee: leaving after one item releases the branch", async () => {
    const source = probe(10);
    const [a, b] = tee(source, 2, { bufferSize });
    const it = c.make(b, new Hooks().call);
    assert.isFalse((await within(it.next())).done);
    await within(it.return!());
    assert.equal((await within(toArray(a))).length, 10);
    assert.equal(source.returns, 0);
  });

  await t.step("tee: reading to the end releases the branch", async () => {
    const source = probe(10);
    const [a, b] = tee(source, 2, { bufferSize });
    const [, all] = await within(
      Promise.all([drainAll(c.make(b, new Hooks().call)), toArray(a)]),
    );
    assert.equal(all.length, 10);
    assert.equal(source.returns, 0);
  });

  await t.step("tee: the last branch to leave returns the source", async () => {
    const source = probe(100);
    const [a, b] = tee(source, 2, { bufferSize: 2 });
    await within(c.make(b, new Hooks().call).return!());
    assert.deepEqual(await within(toArray(take(a, 3))), [0, 1, 2]);
    assert.equal(source.returns, 1);
  });
}

/** Reads `it` to its end. */
export async function drainAll<T>(it: AsyncIterator<T>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const result = await it.next();
    if (result.done) return out;
    out.push(result.value);
  }
}
