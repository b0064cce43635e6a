// The iterator protocol as TC39's iterator helpers define it (test262's
// built-ins/Iterator/prototype/* are the reference for the sync semantics):
// callback `this`, re-entrant next(), which failures close the source, one
// read of `next`, fresh result objects, and what flatMap flattens.
import { assert } from "chai";
import {
  buffer,
  concat,
  drop,
  dropWhile,
  every,
  filter,
  find,
  flatMap,
  forEach,
  map,
  merge,
  reduce,
  scan,
  some,
  take,
  takeWhile,
  tee,
  toArray,
  withSignal,
  zip,
} from "../../src/iter/mod.ts";
import { drainAll, within } from "./_battery.ts";

type Callback = (this: unknown, ...args: unknown[]) => unknown;

const withCallback: [string, (fn: Callback) => Promise<unknown>][] = [
  ["map", (fn) => toArray(map([1, 2], fn))],
  ["map (concurrency 2)", (fn) => toArray(map([1, 2], fn, { concurrency: 2 }))],
  ["filter", (fn) => toArray(filter([1, 2], fn))],
  [
    "filter (concurrency 2)",
    (fn) => toArray(filter([1, 2], fn, { concurrency: 2 })),
  ],
  ["flatMap", (fn) => toArray(flatMap([1, 2], fn as () => number[]))],
  ["forEach", (fn) => forEach([1, 2], fn, { concurrency: 2 })],
  ["takeWhile", (fn) => toArray(takeWhile([1, 2], fn))],
  ["dropWhile", (fn) => toArray(dropWhile([1, 2], fn))],
  ["scan", (fn) => toArray(scan([1, 2], fn, 0))],
  ["reduce", (fn) => reduce([1, 2], fn, 0)],
  ["some", (fn) => some([1, 2], fn)],
  ["every", (fn) => every([1, 2], fn)],
  ["find", (fn) => find([1, 2], fn)],
];

Deno.test("callbacks are called with this undefined", async (t) => {
  for (const [name, run] of withCallback) {
    await t.step(name, async () => {
      const seen: unknown[] = [];
      await run(function (this: unknown) {
        seen.push(this);
        return [true]; // truthy and iterable, for every operator
      });
      assert.isAtLeast(seen.length, 1);
      for (const value of seen) assert.strictEqual(value, undefined);
    });
  }
});

Deno.test("a next() from inside a callback waits its turn", async (t) => {
  for (const concurrency of [1, 2]) {
    await t.step(`concurrency ${concurrency}`, async () => {
      let depth = 0;
      let deepest = 0;
      let inner: Promise<IteratorResult<number>> | undefined;
      const it = map([1, 2, 3], (x) => {
        deepest = Math.max(deepest, ++depth);
        if (x === 1) inner = it.next();
        depth--;
        return x * 10;
      }, { concurrency });
      assert.deepEqual(await within(it.next()), { done: false, value: 10 });
      assert.deepEqual(await within(inner!), { done: false, value: 20 });
      assert.deepEqual(await within(drainAll(it)), [30]);
      assert.equal(deepest, 1, "the callback was never re-entered");
    });
  }
});

Deno.test("a next() from inside the source's own next() waits its turn", async (t) => {
  const wrap: [string, (s: Iterable<number>) => AsyncIterator<number>][] = [
    ["map", (s) => map(s, (x) => x)],
    ["filter", (s) => filter(s, () => true)],
    ["take", (s) => take(s, 10)],
    ["drop", (s) => drop(s, 0)],
  ];
  for (const [name, make] of wrap) {
    await t.step(name, async () => {
      let inside = false;
      let reentered = false;
      let inner: Promise<IteratorResult<number>> | undefined;
      let i = 0;
      const source: Iterable<number> = {
        [Symbol.iterator]: () => ({
          next() {
            if (inside) reentered = true;
            inside = true;
            if (i === 0) inner = it.next();
            inside = false;
            return i < 3
              ? { done: false, value: i++ }
              : { done: true, value: undefined };
          },
        }),
      };
      const it = make(source);
      assert.equal((await within(it.next())).value, 0);
      assert.equal((await within(inner!)).value, 1);
      assert.deepEqual(await within(drainAll(it)), [2]);
      assert.isFalse(reentered);
    });
  }
});

// Sources that break the protocol at the second pull, counting return().
interface Broken {
  returns: number;
  iterable: AsyncIterable<number> | Iterable<number>;
}

function broken(
  kind: "sync" | "async",
  fault: "throws" | "rejects" | "non-object" | "done getter" | "value getter",
  failure: Error,
): Broken {
  const state: Broken = { returns: 0, iterable: [] };
  let i = 0;
  const result = (): unknown => {
    if (i++ === 0) return { done: false, value: 0 };
    switch (fault) {
      case "throws":
        throw failure;
      case "non-object":
        return 1;
      case "done getter":
        return {
          get done(): boolean {
            throw failure;
          },
          value: 1,
        };
      case "value getter":
        return {
          done: false,
          get value(): number {
            throw failure;
          },
        };
      default:
        return Promise.reject(failure);
    }
  };
  const iterator = {
    next: kind === "sync" ? result : () => {
      if (fault === "throws" && i > 0) return result();
      try {
        return Promise.resolve(result());
      } catch (error) {
        return Promise.reject(error);
      }
    },
    return() {
      state.returns++;
      return kind === "sync"
        ? { done: true, value: undefined }
        : Promise.resolve({ done: true, value: undefined });
    },
  };
  state.iterable = kind === "sync"
    ? { [Symbol.iterator]: () => iterator as Iterator<number> }
    : { [Symbol.asyncIterator]: () => iterator as AsyncIterator<number> };
  return state;
}

const readers: [
  string,
  (s: AsyncIterable<number> | Iterable<number>) => Promise<unknown>,
][] = [
  ["toArray", (s) => toArray(s)],
  ["map", (s) => toArray(map(s, (x) => x))],
  ["map (concurrency 3)", (s) => toArray(map(s, (x) => x, { concurrency: 3 }))],
  ["filter", (s) => toArray(filter(s, () => true))],
  ["flatMap", (s) => toArray(flatMap(s, (x) => [x]))],
  ["take", (s) => toArray(take(s, 5))],
  ["takeWhile", (s) => toArray(takeWhile(s, () => true))],
  ["drop", (s) => toArray(drop(s, 0))],
  ["buffer", (s) => toArray(buffer(s, 2))],
  ["tee", (s) => toArray(tee(s, 1)[0])],
  ["zip", (s) => toArray(zip(s, [1, 2, 3]))],
  ["merge", (s) => toArray(merge(s))],
  ["concat", (s) => toArray(concat(s))],
  ["withSignal", (s) => toArray(withSignal(s, new AbortController().signal))],
  ["reduce", (s) => reduce(s, (a, x) => a + x, 0)],
];

Deno.test("a source that breaks the protocol is not closed", async (t) => {
  const faults = [
    "throws",
    "rejects",
    "non-object",
    "done getter",
    "value getter",
  ] as const;
  for (const kind of ["sync", "async"] as const) {
    for (const fault of faults) {
      if (kind === "sync" && fault === "rejects") continue;
      for (const [name, read] of readers) {
        await t.step(`${kind} next() ${fault}: ${name}`, async () => {
          const failure = new Error(fault);
          const source = broken(kind, fault, failure);
          const error = await within(read(source.iterable).catch((e) => e));
          if (fault === "non-object") assert.instanceOf(error, TypeError);
          else assert.strictEqual(error, failure);
          assert.equal(source.returns, 0, "not closed");
        });
      }
    }
  }
});

Deno.test("a throwing callback or an early exit closes the source", async (t) => {
  for (const kind of ["sync", "async"] as const) {
    await t.step(`${kind}: throwing callback`, async () => {
      const source = broken(kind, "throws", new Error("unused"));
      const failure = new Error("callback");
      const error = await within(
        toArray(map(source.iterable, () => {
          throw failure;
        })).catch((e) => e),
      );
      assert.strictEqual(error, failure);
      assert.equal(source.returns, 1);
    });
    await t.step(`${kind}: early exit`, async () => {
      const source = broken(kind, "throws", new Error("unused"));
      assert.deepEqual(await within(toArray(take(source.iterable, 1))), [0]);
      assert.equal(source.returns, 1);
    });
  }
});

Deno.test("the source's next method is read once, when it is opened", async (t) => {
  for (const kind of ["sync", "async"] as const) {
    await t.step(kind, async () => {
      let reads = 0;
      let i = 0;
      const next = () => {
        const result = i < 3
          ? { done: false, value: i++ }
          : { done: true, value: undefined };
        return kind === "sync" ? result : Promise.resolve(result);
      };
      const iterator = {
        get next() {
          reads++;
          return next;
        },
      };
      const iterable = kind === "sync"
        ? { [Symbol.iterator]: () => iterator as unknown as Iterator<number> }
        : {
          [Symbol.asyncIterator]: () =>
            iterator as unknown as AsyncIterator<number>,
        };
      const it = map(iterable, (x) => x);
      assert.equal(reads, 0, "not opened before the first pull");
      assert.deepEqual(await within(drainAll(it)), [0, 1, 2]);
      assert.equal(reads, 1);
    });
  }
});

Deno.test("every operator hands out fresh result objects", async (t) => {
  // A source that reuses one result object, as the protocol allows.
  const reusing = (): Iterable<number> => ({
    [Symbol.iterator]() {
      const result = { done: false, value: 0 };
      let i = 0;
      return {
        next() {
          result.done = i === 3;
          result.value = i++;
          return result as IteratorResult<number>;
        },
      };
    },
  });
  const ops: [string, (s: Iterable<number>) => AsyncIterator<number>][] = [
    ["map", (s) => map(s, (x) => x)],
    ["filter", (s) => filter(s, () => true)],
    ["take", (s) => take(s, 5)],
    ["drop", (s) => drop(s, 0)],
    ["takeWhile", (s) => takeWhile(s, () => true)],
    ["dropWhile", (s) => dropWhile(s, () => false)],
    ["buffer", (s) => buffer(s, 2)],
    ["tee", (s) => tee(s, 1)[0]],
    ["concat", (s) => concat(s)],
    ["merge", (s) => merge(s)],
    ["withSignal", (s) => withSignal(s, new AbortController().signal)],
  ];
  for (const [name, make] of ops) {
    await t.step(name, async () => {
      const it = make(reusing());
      const results: IteratorResult<number>[] = [];
      for (let i = 0; i < 5; i++) results.push(await within(it.next()));
      assert.deepEqual(results.map((r) => r.value), [
        0,
        1,
        2,
        undefined,
        undefined,
      ]);
      assert.equal(new Set(results).size, results.length, "all distinct");
      assert.isFalse(Object.isFrozen(results[4]));
    });
  }
});

Deno.test("flatMap refuses strings and other primitives", async () => {
  for (const value of ["ab", 5, true, null, undefined, Symbol("s")]) {
    const error = await within(
      toArray(flatMap([1], () => value as unknown as number[])).catch((e) => e),
    );
    assert.instanceOf(error, TypeError);
    assert.include(error.message, "flatMap");
  }
});

Deno.test("flatMap: a bad inner source reached after an async one fails the operator and returns the source", async () => {
  // The sync outer source is pulled again from the async inner source's
  // continuation, where the second callback result is refused.
  let returned = 0;
  let pulled = 0;
  const source = {
    [Symbol.iterator]: () => ({
      next: () => ({ done: pulled >= 3, value: pulled++ }),
      return() {
        returned++;
        return { done: true, value: undefined };
      },
    }),
  };
  async function* inner() {
    yield "a";
  }
  const it = flatMap(source, (n) => n === 0 ? inner() : "x" as never);
  assert.deepEqual(await it.next(), { done: false, value: "a" });
  const error = await within(it.next().catch((e) => e));
  assert.instanceOf(error, TypeError);
  assert.include(error.message, "flatMap: inner source");
  assert.equal(returned, 1, "the source is returned with the failure");
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  assert.equal(pulled, 2, "nothing is pulled after the failure");
});

Deno.test("flatMap accepts a bare iterator and returns it on an early exit", async () => {
  let returned = 0;
  const bare = () => {
    let i = 0;
    return {
      next: () => ({ done: i >= 3, value: i++ }),
      return() {
        returned++;
        return { done: true, value: undefined };
      },
    };
  };
  assert.deepEqual(
    await within(toArray(flatMap([0, 1], () => bare()))),
    [0, 1, 2, 0, 1, 2],
  );
  assert.equal(returned, 0);
  assert.deepEqual(await within(toArray(take(flatMap([0], bare), 2))), [0, 1]);
  assert.equal(returned, 1);
  // Async bare iterators too.
  const asyncBare = {
    i: 0,
    next() {
      return Promise.resolve({ done: this.i >= 2, value: this.i++ });
    },
  };
  assert.deepEqual(await within(toArray(flatMap([0], () => asyncBare))), [
    0,
    1,
  ]);
});

Deno.test("deliberate difference: limits must be numbers, not coerced", () => {
  assert.throws(() => take([1], "3" as unknown as number), TypeError, "take");
  assert.throws(() => drop([1], "1" as unknown as number), TypeError, "drop");
  assert.throws(() => take([1], 1.5), RangeError, "take");
});

Deno.test("deliberate difference: a source is opened at the first pull", async () => {
  let opened = 0;
  const source = {
    [Symbol.iterator]() {
      opened++;
      return [1, 2][Symbol.iterator]();
    },
  };
  const it = map(source, (x) => x);
  assert.equal(opened, 0);
  await within(it.return());
  assert.equal(opened, 0, "closed before a pull: never opened");
  assert.deepEqual(await within(toArray(map(source, (x) => x))), [1, 2]);
  assert.equal(opened, 1);
});
