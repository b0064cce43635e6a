import { assert } from "chai";
import {
  DisposableStack,
  type DisposableStackConstructor,
  SuppressedError,
} from "../../src/dispose/mod.ts";
import { DisposableStackPonyfill } from "../../src/dispose/_disposable_stack_ponyfill.ts";
import { assertDisposedErrors, assertStackShape, thrown } from "./_helpers.ts";
import { dispose } from "../_helpers/symbols.ts";

// The ponyfill is tested everywhere; the native class, where present, runs
// the same checks so the two cannot drift apart. Where it is missing its
// tests are ignored, so every runtime lists the same tests.
const native = (globalThis as { DisposableStack?: DisposableStackConstructor })
  .DisposableStack;
const implementations: [
  string,
  DisposableStackConstructor,
  { ignore: boolean },
][] = [
  ["ponyfill", DisposableStackPonyfill, { ignore: false }],
  ["native", native ?? DisposableStackPonyfill, { ignore: !native }],
];

function fail(error: unknown): () => never {
  return () => {
    throw error;
  };
}

Deno.test("DisposableStack is the native class where there is one", () => {
  assert.strictEqual(DisposableStack, native ?? DisposableStackPonyfill);
});

for (const [kind, Stack, options] of implementations) {
  Deno.test(`DisposableStack (${kind}): registering`, options, async (t) => {
    await t.step("runs use, adopt and defer cleanups last-first", () => {
      const log: string[] = [];
      const stack = new Stack();
      stack.use({ [dispose]: () => log.push("use") });
      stack.adopt("value", (v) => log.push(`adopt ${v}`));
      stack.defer(() => log.push("defer"));
      assert.deepEqual(log, []);
      stack.dispose();
      assert.deepEqual(log, ["defer", "adopt value", "use"]);
    });

    await t.step("use returns the value and calls its method on it", () => {
      const stack = new Stack();
      let self: unknown;
      const resource = {
        [dispose]() {
          self = this;
        },
      };
      assert.strictEqual(stack.use(resource), resource);
      stack.dispose();
      assert.strictEqual(self, resource);
    });

    await t.step("use looks the method up at once, not at disposal", () => {
      const log: string[] = [];
      const resource: Disposable = {
        [dispose]: () => log.push("original"),
      };
      const stack = new Stack();
      stack.use(resource);
      resource[dispose] = () => log.push("replaced");
      stack.dispose();
      assert.deepEqual(log, ["original"]);
    });

    await t.step("use accepts null and undefined and ignores them", () => {
      const stack = new Stack();
      assert.isNull(stack.use(null));
      assert.isUndefined(stack.use(undefined));
      stack.dispose();
    });

    await t.step("adopt passes the value; defer passes nothing", () => {
      const seen: unknown[][] = [];
      const stack = new Stack();
      const value = { id: 1 };
      assert.strictEqual(
        stack.adopt(value, (...args: unknown[]) => void seen.push(args)),
        value,
      );
      assert.isUndefined(
        stack.defer((...args: unknown[]) => void seen.push(args)),
      );
      stack.dispose();
      assert.deepEqual(seen, [[], [value]]);
    });

    await t.step("works with using", () => {
      const log: string[] = [];
      {
        using stack = new Stack();
        stack.defer(() => log.push("deferred"));
      }
      assert.deepEqual(log, ["deferred"]);
    });
  });

  Deno.test(`DisposableStack (${kind}): bad arguments`, options, async (t) => {
    await t.step("use of a non-disposable value throws TypeError", () => {
      const stack = new Stack();
      const bad = [{}, 1, "text", true, Symbol("s"), { [dispose]: 1 }];
      for (const value of bad) {
        assert.throws(
          () => stack.use(value as unknown as Disposable),
          TypeError,
        );
      }
      assert.isFalse(stack.disposed);
    });

    await t.step("adopt and defer need a function", () => {
      const stack = new Stack();
      const notFn = "nope" as unknown as () => void;
      assert.throws(() => stack.adopt(1, notFn), TypeError);
      assert.throws(() => stack.defer(notFn), TypeError);
      stack.dispose(); // nothing was registered: must not throw
    });

    await t.step("the receiver must be a stack", () => {
      const { dispose, use } = Stack.prototype;
      assert.throws(() => dispose.call({}), TypeError);
      assert.throws(() => use.call({}, null), TypeError);
    });
  });

  Deno.test(`DisposableStack (${kind}): disposal`, options, async (t) => {
    await t.step("runs once; disposed tells", () => {
      let runs = 0;
      const stack = new Stack();
      stack.defer(() => runs++);
      assert.isFalse(stack.disposed);
      stack.dispose();
      stack.dispose();
      stack[dispose]();
      assert.isTrue(stack.disposed);
      assert.equal(runs, 1);
    });

    await t.step(
      "a disposed stack rejects new work with ReferenceError",
      () => {
        const stack = new Stack();
        stack.dispose();
        assert.throws(() => stack.use(null), ReferenceError);
        assert.throws(() => stack.adopt(1, () => {}), ReferenceError);
        assert.throws(() => stack.defer(() => {}), ReferenceError);
        assert.throws(() => stack.move(), ReferenceError);
        // Disposed wins over a bad argument, as in the spec.
        assert.throws(
          () => stack.defer(1 as unknown as () => void),
          ReferenceError,
        );
      },
    );

    await t.step("a cleanup cannot add to the stack being disposed", () => {
      const stack = new Stack();
      stack.defer(() => stack.defer(() => {}));
      assert.instanceOf(thrown(() => stack.dispose()), ReferenceError);
    });

    await t.step("[Symbol.dispose] is dispose; the tag names the class", () => {
      assert.strictEqual(
        Stack.prototype[dispose],
        Stack.prototype.dispose,
      );
      assert.equal(
        Object.prototype.toString.call(new Stack()),
        "[object DisposableStack]",
      );
      assert.equal(new Stack()[Symbol.toStringTag], "DisposableStack");
    });

    await t.step("the class and prototype have the spec's shape", () => {
      assert.equal(Stack.name, "DisposableStack");
      assertStackShape(Stack, "dispose", dispose);
    });
  });

  Deno.test(`DisposableStack (${kind}): errors`, options, async (t) => {
    await t.step("one error is thrown as it is, after every cleanup", () => {
      const log: string[] = [];
      const boom = new Error("boom");
      const stack = new Stack();
      stack.defer(() => log.push("first"));
      stack.defer(fail(boom));
      stack.defer(() => log.push("last"));
      assert.strictEqual(thrown(() => stack.dispose()), boom);
      assert.deepEqual(log, ["last", "first"]);
      assert.isTrue(stack.disposed);
    });

    await t.step("two errors of three: the later wraps the earlier", () => {
      const log: string[] = [];
      const a = new Error("a"), c = new Error("c");
      const stack = new Stack();
      stack.defer(() => {
        log.push("a");
        throw a;
      });
      stack.defer(() => log.push("b"));
      stack.defer(() => {
        log.push("c");
        throw c;
      });
      const error = thrown(() => stack.dispose()) as SuppressedError;
      assert.deepEqual(log, ["c", "b", "a"]);
      assert.instanceOf(error, SuppressedError);
      assert.strictEqual(error.error, a); // thrown last
      assert.strictEqual(error.suppressed, c); // thrown first
    });

    await t.step("three errors nest, newest outermost", () => {
      const [a, b, c] = ["a", "b", "c"].map((m) => new Error(m));
      const stack = new Stack();
      stack.defer(fail(a));
      stack.defer(fail(b));
      stack.defer(fail(c));
      const outer = thrown(() => stack.dispose()) as SuppressedError;
      assert.instanceOf(outer, SuppressedError);
      assert.strictEqual(outer.error, a);
      const inner = outer.suppressed as SuppressedError;
      assert.instanceOf(inner, SuppressedError);
      assert.strictEqual(inner.error, b);
      assert.strictEqual(inner.suppressed, c);
    });

    await t.step("throwing undefined still counts as an error", () => {
      const a = new Error("a");
      const stack = new Stack();
      stack.defer(fail(a));
      stack.defer(fail(undefined));
      const error = thrown(() => stack.dispose()) as SuppressedError;
      assert.instanceOf(error, SuppressedError);
      assert.strictEqual(error.error, a);
      assert.isUndefined(error.suppressed);
    });

    await t.step("with using, a cleanup error suppresses the block's", () => {
      const body = new Error("body"), cleanup = new Error("cleanup");
      const error = thrown(() => {
        using stack = new Stack();
        stack.defer(fail(cleanup));
        throw body;
      }) as SuppressedError;
      assert.strictEqual(error.error, cleanup);
      assert.strictEqual(error.suppressed, body);
    });
  });

  Deno.test(`DisposableStack (${kind}): move`, options, async (t) => {
    await t.step("hands every cleanup to a new stack", () => {
      const log: string[] = [];
      const stack = new Stack();
      stack.defer(() => log.push("one"));
      stack.defer(() => log.push("two"));
      const moved = stack.move();
      assert.isTrue(stack.disposed);
      assert.isFalse(moved.disposed);
      stack.dispose();
      assert.deepEqual(log, []);
      moved.dispose();
      assert.deepEqual(log, ["two", "one"]);
    });

    await t.step("makes a plain stack even from a subclass", () => {
      class Sub extends Stack {}
      const moved = new Sub().move();
      assert.instanceOf(moved, Stack);
      assert.notInstanceOf(moved, Sub);
    });

    await t.step("the moved-from stack takes no new work", () => {
      const stack = new Stack();
      stack.move();
      assert.throws(() => stack.defer(() => {}), ReferenceError);
    });
  });
}

Deno.test("DisposableStack ponyfill: errors name the method and parameter", () => {
  const stack = new DisposableStackPonyfill();
  const notFn = 5 as unknown as () => void;
  assert.throws(
    () => stack.adopt(1, notFn),
    TypeError,
    /^DisposableStack\.adopt: onDispose must be a function, got 5$/,
  );
  assert.throws(
    () => stack.defer(notFn),
    TypeError,
    /^DisposableStack\.defer: onDispose must be a function, got 5$/,
  );
  assert.throws(
    () => stack.use({} as Disposable),
    TypeError,
    /^DisposableStack\.use: value must be null, undefined or an object with a \[Symbol\.dispose\]\(\) method, got a value of type object$/,
  );
  assert.throws(
    () => stack.use(7 as unknown as Disposable),
    TypeError,
    /^DisposableStack\.use: value must be null, undefined or an object with a \[Symbol\.dispose\]\(\) method, got 7$/,
  );
  assert.throws(
    () => stack.use({ [dispose]: "x" } as unknown as Disposable),
    TypeError,
    /^DisposableStack\.use: value's \[Symbol\.dispose\] must be a function, got "x"$/,
  );
  stack.dispose();
  assertDisposedErrors(stack, "DisposableStack");
});
