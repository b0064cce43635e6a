import { assert } from "chai";
import {
  AsyncDisposableStack,
  type AsyncDisposableStackConstructor,
  SuppressedError,
} from "../../src/dispose/mod.ts";
import { AsyncDisposableStackPonyfill } from "../../src/dispose/_async_disposable_stack_ponyfill.ts";
import { deferred } from "../_helpers/deferred.ts";
import {
  assertDisposedErrors,
  assertStackShape,
  rejection,
} from "./_helpers.ts";
import { asyncDispose, dispose } from "../_helpers/symbols.ts";

// The ponyfill is tested everywhere; the native class, where present, runs
// the same checks so the two cannot drift apart. Where it is missing its
// tests are ignored, so every runtime lists the same tests.
const native =
  (globalThis as { AsyncDisposableStack?: AsyncDisposableStackConstructor })
    .AsyncDisposableStack;
const implementations: [
  string,
  AsyncDisposableStackConstructor,
  { ignore: boolean },
][] = [
  ["ponyfill", AsyncDisposableStackPonyfill, { ignore: false }],
  ["native", native ?? AsyncDisposableStackPonyfill, { ignore: !native }],
];

function reject(error: unknown): () => Promise<never> {
  return () => Promise.reject(error);
}

Deno.test("AsyncDisposableStack is the native class where there is one", () => {
  assert.strictEqual(
    AsyncDisposableStack,
    native ?? AsyncDisposableStackPonyfill,
  );
});

for (const [kind, Stack, options] of implementations) {
  Deno.test(
    `AsyncDisposableStack (${kind}): registering`,
    options,
    async (t) => {
      await t.step(
        "awaits each cleanup before the one added before it",
        async () => {
          const log: string[] = [];
          const gate = deferred<void>();
          const stack = new Stack();
          stack.defer(() => void log.push("first added"));
          stack.defer(async () => {
            log.push("last added: start");
            await gate.promise;
            log.push("last added: end");
          });
          const disposing = stack.disposeAsync();
          assert.isTrue(stack.disposed);
          await Promise.resolve();
          assert.deepEqual(log, ["last added: start"]);
          gate.resolve();
          await disposing;
          assert.deepEqual(log, [
            "last added: start",
            "last added: end",
            "first added",
          ]);
        },
      );

      await t.step("use prefers [Symbol.asyncDispose]", async () => {
        const log: string[] = [];
        const stack = new Stack();
        const both = {
          [asyncDispose]: () => Promise.resolve(void log.push("async")),
          [dispose]: () => void log.push("sync"),
        };
        assert.strictEqual(stack.use(both), both);
        await stack.disposeAsync();
        assert.deepEqual(log, ["async"]);
      });

      await t.step(
        "use falls back to [Symbol.dispose], not awaiting it",
        async () => {
          const log: string[] = [];
          const never = deferred<void>();
          const stack = new Stack();
          let self: unknown;
          const sync = {
            [asyncDispose]: null,
            [dispose]() {
              self = this;
              log.push("sync");
              return never.promise; // ignored: a sync disposer's result is not awaited
            },
          };
          stack.use(sync as unknown as Disposable);
          await stack.disposeAsync();
          assert.deepEqual(log, ["sync"]);
          assert.strictEqual(self, sync);
        },
      );

      await t.step(
        "use accepts null and undefined; looks methods up at once",
        async () => {
          const log: string[] = [];
          const resource: AsyncDisposable = {
            [asyncDispose]: () => Promise.resolve(void log.push("original")),
          };
          const stack = new Stack();
          assert.isNull(stack.use(null));
          assert.isUndefined(stack.use(undefined));
          stack.use(resource);
          resource[asyncDispose] = () =>
            Promise.resolve(void log.push("replaced"));
          await stack.disposeAsync();
          assert.deepEqual(log, ["original"]);
        },
      );

      await t.step("adopt passes the value; defer passes nothing", async () => {
        const seen: unknown[][] = [];
        const stack = new Stack();
        const value = { id: 1 };
        stack.adopt(
          value,
          (...args: unknown[]) => Promise.resolve(void seen.push(args)),
        );
        stack.defer((...args: unknown[]) =>
          Promise.resolve(void seen.push(args))
        );
        await stack.disposeAsync();
        assert.deepEqual(seen, [[], [value]]);
      });

      await t.step("works with await using", async () => {
        const log: string[] = [];
        {
          await using stack = new Stack();
          stack.defer(() => Promise.resolve(void log.push("deferred")));
        }
        assert.deepEqual(log, ["deferred"]);
      });
    },
  );

  Deno.test(
    `AsyncDisposableStack (${kind}): bad arguments`,
    options,
    async (t) => {
      await t.step("use of a non-disposable value throws TypeError", () => {
        const stack = new Stack();
        const bad = [{}, 1, "text", { [asyncDispose]: 1 }];
        for (const value of bad) {
          assert.throws(
            () => stack.use(value as unknown as AsyncDisposable),
            TypeError,
          );
        }
      });

      await t.step("adopt and defer need a function", () => {
        const stack = new Stack();
        const notFn = null as unknown as () => void;
        assert.throws(() => stack.adopt(1, notFn), TypeError);
        assert.throws(() => stack.defer(notFn), TypeError);
      });

      await t.step("disposeAsync on a foreign receiver rejects", async () => {
        const { disposeAsync } = Stack.prototype;
        let result: Promise<void> | undefined;
        assert.doesNotThrow(() => {
          result = disposeAsync.call({});
        });
        assert.instanceOf(await rejection(result!), TypeError);
      });
    },
  );

  Deno.test(`AsyncDisposableStack (${kind}): disposal`, options, async (t) => {
    await t.step("runs once; a second call resolves at once", async () => {
      let runs = 0;
      const gate = deferred<void>();
      const stack = new Stack();
      stack.defer(async () => {
        runs++;
        await gate.promise;
      });
      const first = stack.disposeAsync();
      await stack.disposeAsync(); // already disposed: does not wait
      await stack[asyncDispose]();
      gate.resolve();
      await first;
      assert.equal(runs, 1);
    });

    await t.step(
      "a disposed stack rejects new work with ReferenceError",
      async () => {
        const stack = new Stack();
        await stack.disposeAsync();
        assert.throws(() => stack.use(null), ReferenceError);
        assert.throws(() => stack.adopt(1, () => {}), ReferenceError);
        assert.throws(() => stack.defer(() => {}), ReferenceError);
        assert.throws(() => stack.move(), ReferenceError);
      },
    );

    await t.step(
      "[Symbol.asyncDispose] is disposeAsync; the tag names the class",
      () => {
        assert.strictEqual(
          Stack.prototype[asyncDispose],
          Stack.prototype.disposeAsync,
        );
        assert.equal(
          Object.prototype.toString.call(new Stack()),
          "[object AsyncDisposableStack]",
        );
      },
    );

    await t.step("the class and prototype have the spec's shape", () => {
      assert.equal(Stack.name, "AsyncDisposableStack");
      assertStackShape(Stack, "disposeAsync", asyncDispose);
    });
  });

  Deno.test(`AsyncDisposableStack (${kind}): errors`, options, async (t) => {
    await t.step(
      "a synchronous throw is a rejection, after every cleanup",
      async () => {
        const log: string[] = [];
        const boom = new Error("boom");
        const stack = new Stack();
        stack.defer(() => void log.push("first"));
        stack.defer(() => {
          throw boom;
        });
        stack.use({
          [dispose]: () => void log.push("sync resource"),
        });
        assert.strictEqual(await rejection(stack.disposeAsync()), boom);
        assert.deepEqual(log, ["sync resource", "first"]);
      },
    );

    await t.step(
      "two errors of three: the later wraps the earlier",
      async () => {
        const log: string[] = [];
        const a = new Error("a"), c = new Error("c");
        const stack = new Stack();
        stack.defer(async () => {
          await Promise.resolve();
          log.push("a");
          throw a;
        });
        stack.defer(() => Promise.resolve(void log.push("b")));
        stack.use({
          [dispose]() {
            log.push("c");
            throw c; // a sync disposer's throw joins the chain too
          },
        });
        const error = await rejection(stack.disposeAsync()) as SuppressedError;
        assert.deepEqual(log, ["c", "b", "a"]);
        assert.instanceOf(error, SuppressedError);
        assert.strictEqual(error.error, a);
        assert.strictEqual(error.suppressed, c);
      },
    );

    await t.step("three errors nest, newest outermost", async () => {
      const [a, b, c] = ["a", "b", "c"].map((m) => new Error(m));
      const stack = new Stack();
      stack.defer(reject(a));
      stack.defer(reject(b));
      stack.defer(reject(c));
      const outer = await rejection(stack.disposeAsync()) as SuppressedError;
      assert.strictEqual(outer.error, a);
      const inner = outer.suppressed as SuppressedError;
      assert.instanceOf(inner, SuppressedError);
      assert.strictEqual(inner.error, b);
      assert.strictEqual(inner.suppressed, c);
    });

    await t.step(
      "with await using, a cleanup error suppresses the block's",
      async () => {
        const body = new Error("body"), cleanup = new Error("cleanup");
        const run = async () => {
          await using stack = new Stack();
          stack.defer(reject(cleanup));
          throw body;
        };
        const error = await rejection(run()) as SuppressedError;
        assert.strictEqual(error.error, cleanup);
        assert.strictEqual(error.suppressed, body);
      },
    );
  });

  Deno.test(`AsyncDisposableStack (${kind}): move`, options, async (t) => {
    await t.step("hands every cleanup to a new plain stack", async () => {
      const log: string[] = [];
      class Sub extends Stack {}
      const stack = new Sub();
      stack.defer(() => void log.push("one"));
      stack.defer(() => void log.push("two"));
      const moved = stack.move();
      assert.isTrue(stack.disposed);
      assert.instanceOf(moved, Stack);
      assert.notInstanceOf(moved, Sub);
      await stack.disposeAsync();
      assert.deepEqual(log, []);
      await moved.disposeAsync();
      assert.deepEqual(log, ["two", "one"]);
    });
  });
}

Deno.test("AsyncDisposableStack ponyfill: errors name the method and parameter", async () => {
  const stack = new AsyncDisposableStackPonyfill();
  const notFn = 5 as unknown as () => void;
  assert.throws(
    () => stack.adopt(1, notFn),
    TypeError,
    /^AsyncDisposableStack\.adopt: onDisposeAsync must be a function, got 5$/,
  );
  assert.throws(
    () => stack.defer(notFn),
    TypeError,
    /^AsyncDisposableStack\.defer: onDisposeAsync must be a function, got 5$/,
  );
  assert.throws(
    () => stack.use({} as AsyncDisposable),
    TypeError,
    /^AsyncDisposableStack\.use: value must be null, undefined or an object with a \[Symbol\.asyncDispose\]\(\) or \[Symbol\.dispose\]\(\) method, got a value of type object$/,
  );
  assert.throws(
    () =>
      stack.use(
        {
          [asyncDispose]: 1,
          [dispose]: () => {},
        } as unknown as AsyncDisposable,
      ),
    TypeError,
    /^AsyncDisposableStack\.use: value's \[Symbol\.asyncDispose\] must be a function, got 1$/,
  );
  assert.throws(
    () => stack.use({ [dispose]: "x" } as unknown as AsyncDisposable),
    TypeError,
    /^AsyncDisposableStack\.use: value's \[Symbol\.dispose\] must be a function, got "x"$/,
  );
  await stack.disposeAsync();
  assertDisposedErrors(stack, "AsyncDisposableStack");
});
