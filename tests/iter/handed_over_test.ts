// DESIGN rule 10 for the callbacks of map, filter, flatMap and forEach: a
// callback whose result was handed over keeps a live signal (a response
// body stays readable after the loop breaks); work in flight at an early
// exit and results dropped unhanded are aborted. Signals are made lazily,
// one per callback that reads its signal.
import { assert } from "chai";
import {
  type CallbackContext,
  filter,
  find,
  flatMap,
  forEach,
  map,
  reduce,
  toArray,
} from "../../src/iter/mod.ts";
// The bodies the tasks tests use: still streaming until release().
import { type Bodies, openBodies } from "../tasks/_bodies.ts";
import { settle, within } from "./_battery.ts";

const paths = Array.from({ length: 8 }, (_, i) => `item-${i}`);

async function withBodies(fn: (bodies: Bodies) => Promise<void>) {
  const bodies = await openBodies();
  try {
    await fn(bodies);
  } finally {
    await bodies.close();
  }
}

// Reads a body that must have been released: it rejects.
async function assertReleased(response: Response): Promise<void> {
  const error = await response.text().then(() => undefined, (e) => e);
  assert.isDefined(error, "the body of a dropped response was released");
}

// Every callback's signal, and the response it fetched, by path.
class Fetches {
  readonly signals = new Map<string, AbortSignal>();
  readonly responses = new Map<string, Promise<Response>>();
  constructor(readonly bodies: Bodies) {}

  readonly call = (path: string, { signal }: CallbackContext) => {
    this.signals.set(path, signal);
    const response = this.bodies.fetch(path, signal);
    this.responses.set(path, response);
    response.catch(() => {});
    return response;
  };

  /** Waits until every fetch started so far has settled. */
  settled(): Promise<unknown> {
    return Promise.all(
      [...this.responses.values()].map((r) => r.catch(() => {})),
    );
  }

  /** The paths the given responses were fetched from. */
  async pathsOf(responses: Response[]): Promise<string[]> {
    const paths: string[] = [];
    for (const [path, response] of this.responses) {
      const settled = await response.catch(() => undefined);
      if (settled && responses.includes(settled)) {
        paths.push(path);
      }
    }
    assert.equal(paths.length, responses.length);
    return paths;
  }

  /** Yielded paths read their bodies; every other started one is aborted. */
  async check(kept: string[]): Promise<void> {
    this.bodies.release(); // the kept bodies may finish now
    for (const path of kept) {
      assert.isFalse(this.signals.get(path)!.aborted, `${path} stays live`);
      const response = await this.responses.get(path)!;
      assert.equal(await response.text(), `head ${path};tail`);
    }
    for (const [path, signal] of this.signals) {
      if (kept.includes(path)) continue;
      assert.isTrue(signal.aborted, `${path} was dropped: aborted`);
      const response = await this.responses.get(path)!.catch(() => undefined);
      if (response) await assertReleased(response);
    }
  }
}

for (const concurrency of [1, 4]) {
  for (const ordered of [true, false]) {
    const label = `(concurrency ${concurrency}, ordered ${ordered})`;

    Deno.test(`map ${label}: yielded responses stay readable after break`, () =>
      withBodies(async (bodies) => {
        const fetches = new Fetches(bodies);
        const keptResponses: Response[] = [];
        for await (
          const response of map(paths, fetches.call, { concurrency, ordered })
        ) {
          keptResponses.push(response);
          // Let the ones in flight settle: they are then buffered, dropped.
          if (keptResponses.length === 2) {
            await fetches.settled();
            break;
          }
        }
        await fetches.check(await fetches.pathsOf(keptResponses));
      }));

    Deno.test(`filter ${label}: a kept item's callback stays live after break`, () =>
      withBodies(async (bodies) => {
        const fetches = new Fetches(bodies);
        const kept: string[] = [];
        const items = filter(paths, async (path, context) => {
          await fetches.call(path, context);
          return true;
        }, { concurrency, ordered });
        for await (const path of items) {
          kept.push(path);
          if (kept.length === 2) {
            await fetches.settled();
            break;
          }
        }
        await fetches.check(kept);
      }));

    Deno.test(`flatMap ${label}: yielded responses stay readable after break`, () =>
      withBodies(async (bodies) => {
        const fetches = new Fetches(bodies);
        const kept: string[] = [];
        const items = flatMap(paths, async (path, context) => {
          const response = await fetches.call(path, context);
          return [{ path, response }];
        }, { concurrency, ordered });
        for await (const { path } of items) {
          kept.push(path);
          if (kept.length === 2) {
            await fetches.settled();
            break;
          }
        }
        await fetches.check(kept);
      }));
  }
}

Deno.test("forEach: every finished callback keeps its signal", () =>
  withBodies(async (bodies) => {
    const fetches = new Fetches(bodies);
    await forEach(paths, fetches.call, { concurrency: 3 });
    await fetches.check(paths);
  }));

Deno.test("map: the operator's signal aborts the work in flight, not what was yielded", () =>
  withBodies(async (bodies) => {
    const fetches = new Fetches(bodies);
    const controller = new AbortController();
    const it = map(paths, fetches.call, {
      concurrency: 4,
      signal: controller.signal,
    });
    const first = await within(it.next());
    assert.isFalse(first.done);
    await fetches.settled();
    const reason = new Error("stop");
    controller.abort(reason);
    assert.strictEqual(await within(it.next().catch((e) => e)), reason);
    await fetches.check([paths[0]]);
  }));

// Counts the AbortControllers made while `fn` runs: those constructed
// through the (replaced) global, and those whose `signal` is read. The second
// hook is for WebKit, whose optimizing JIT can keep constructing the original
// class from code compiled before the global was replaced; every controller
// the library makes has its signal read, so one of the two sees it.
async function countControllers(fn: () => Promise<unknown>): Promise<number> {
  const Original = globalThis.AbortController;
  const proto = Original.prototype;
  const signal = Object.getOwnPropertyDescriptor(proto, "signal");
  const made = new Set<AbortController>();
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made.add(this);
    }
  };
  if (signal?.get) {
    const get = signal.get;
    Object.defineProperty(proto, "signal", {
      ...signal,
      get(this: AbortController) {
        made.add(this);
        return get.call(this);
      },
    });
  }
  try {
    await fn();
  } finally {
    globalThis.AbortController = Original;
    if (signal) Object.defineProperty(proto, "signal", signal);
  }
  return made.size;
}

Deno.test("a callback that never reads signal costs no controller", async () => {
  const xs = Array.from({ length: 50 }, (_, i) => i);
  const plain = async (x: number) => x;
  for (const concurrency of [1, 4]) {
    assert.equal(
      await countControllers(() => toArray(map(xs, plain, { concurrency }))),
      0,
    );
    assert.equal(
      await countControllers(() =>
        toArray(filter(xs, (x) => x > 2, { concurrency }))
      ),
      0,
    );
    assert.equal(
      await countControllers(() => forEach(xs, plain, { concurrency })),
      0,
    );
  }
  assert.equal(await countControllers(() => find(xs, (x) => x > 40)), 0);
  assert.equal(await countControllers(() => reduce(xs, (a, x) => a + x, 0)), 0);
});

Deno.test("a callback that reads signal gets its own", async () => {
  const xs = Array.from({ length: 20 }, (_, i) => i);
  for (const concurrency of [1, 4]) {
    const signals = new Set<AbortSignal>();
    const made = await countControllers(() =>
      toArray(map(xs, (x, { signal }) => (signals.add(signal), x), {
        concurrency,
      }))
    );
    assert.equal(signals.size, xs.length);
    assert.equal(made, xs.length);
  }
});

// A callback done is no longer tracked: the operator's signal aborting
// later reaches only what is still running (so nothing grows with input).
Deno.test("finished callbacks leave the scope on every path", async (t) => {
  const xs = Array.from({ length: 200 }, (_, i) => i);
  const cases: [
    string,
    (signal: AbortSignal, seen: AbortSignal[]) => unknown,
  ][] = [
    [
      "filter (kept and dropped)",
      (signal, seen) =>
        toArray(filter(xs, (x, c) => (seen.push(c.signal), x % 2), { signal })),
    ],
    [
      "filter, concurrency 4",
      (signal, seen) =>
        toArray(filter(xs, async (x, c) => (seen.push(c.signal), x % 2), {
          concurrency: 4,
          signal,
        })),
    ],
    [
      "map, sync callback",
      (signal, seen) =>
        toArray(map(xs, (x, c) => (seen.push(c.signal), x), { signal })),
    ],
    [
      "forEach",
      (signal, seen) =>
        forEach(xs, async (_, c) => void seen.push(c.signal), {
          concurrency: 4,
          signal,
        }),
    ],
    [
      "find",
      (signal, seen) =>
        find(xs, (x, c) => (seen.push(c.signal), x === 150), { signal }),
    ],
    [
      "find, async",
      (signal, seen) =>
        find(xs, async (x, c) => (seen.push(c.signal), x === 150), { signal }),
    ],
    [
      "reduce",
      (signal, seen) =>
        reduce(xs, (a, x, c) => (seen.push(c.signal), a + x), 0, { signal }),
    ],
    [
      "reduce, async",
      (signal, seen) =>
        reduce(xs, async (a, x, c) => (seen.push(c.signal), a + x), 0, {
          signal,
        }),
    ],
  ];
  for (const [name, run] of cases) {
    await t.step(name, async () => {
      const controller = new AbortController();
      const seen: AbortSignal[] = [];
      await run(controller.signal, seen);
      assert.isAtLeast(seen.length, 100);
      controller.abort(new Error("late"));
      assert.isTrue(seen.every((signal) => !signal.aborted));
    });
  }
});

Deno.test("a synchronous throw aborts only the callbacks not handed over", async () => {
  const seen: AbortSignal[] = [];
  const failure = new Error("sync");
  const out: number[] = [];
  const it = map([0, 1, 2, 3], (x, c) => {
    seen.push(c.signal);
    if (x === 2) throw failure;
    return x;
  });
  const error = await (async () => {
    for await (const x of it) out.push(x);
  })().catch((e) => e);
  assert.strictEqual(error, failure);
  assert.deepEqual(out, [0, 1]);
  assert.isFalse(seen[0].aborted);
  assert.isFalse(seen[1].aborted);
});

Deno.test("signal read later: live once handed over, aborted if dropped", async () => {
  const contexts: CallbackContext[] = [];
  const release: (() => void)[] = [];
  // Reads no signal while it runs; the test reads each one afterwards.
  const it = map([0, 1, 2], (x, context) => {
    contexts.push(context);
    if (x === 0) return x;
    return new Promise<number>((resolve) => release.push(() => resolve(x)));
  }, { concurrency: 3 });
  assert.equal((await within(it.next())).value, 0);
  await settle();
  release[0](); // item 1 finishes and waits in the buffer
  await settle();
  const exit = it.return();
  await settle();
  release[1](); // item 2 was still running at the exit
  await within(exit);
  assert.isFalse(contexts[0].signal.aborted, "handed over, read after");
  assert.isTrue(contexts[1].signal.aborted, "buffered, dropped");
  assert.isTrue(contexts[2].signal.aborted, "still running at the exit");
});
