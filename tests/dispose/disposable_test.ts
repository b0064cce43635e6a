import { assert } from "chai";
import {
  asyncDisposable,
  AsyncDisposableStack,
  disposable,
} from "../../src/dispose/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { rejection } from "./_helpers.ts";
import { asyncDispose, dispose } from "../_helpers/symbols.ts";

Deno.test("asyncDisposable", async (t) => {
  await t.step("pairs the value with a disposer called with it", async () => {
    const seen: unknown[] = [];
    const value = { id: 1 };
    {
      await using handle = asyncDisposable(value, (v) => void seen.push(v));
      assert.strictEqual(handle.value, value);
      assert.deepEqual(seen, []);
    }
    assert.deepEqual(seen, [value]);
  });

  await t.step("awaits the disposer", async () => {
    const gate = deferred<void>();
    let done = false;
    const handle = asyncDisposable(1, async () => {
      await gate.promise;
      done = true;
    });
    const disposing = handle[asyncDispose]();
    assert.isFalse(done);
    gate.resolve();
    await disposing;
    assert.isTrue(done);
  });

  await t.step("disposing twice runs the disposer once", async () => {
    let runs = 0;
    const handle = asyncDisposable("x", () => runs++);
    await handle[asyncDispose]();
    await handle[asyncDispose]();
    assert.equal(runs, 1);
  });

  await t.step("a second disposal waits for the first", async () => {
    const gate = deferred<void>();
    const log: string[] = [];
    const handle = asyncDisposable("x", async () => {
      await gate.promise;
      log.push("disposed");
    });
    const first = handle[asyncDispose]();
    const second = handle[asyncDispose]().then(() => log.push("second"));
    gate.resolve();
    await Promise.all([first, second]);
    assert.deepEqual(log, ["disposed", "second"]);
  });

  await t.step("an error is reported once, to the first disposal", async () => {
    const boom = new Error("boom");
    const handle = asyncDisposable("x", () => {
      throw boom; // synchronous: still a rejection
    });
    const first = handle[asyncDispose]();
    assert.instanceOf(first, Promise);
    assert.strictEqual(await rejection(first), boom);
    await handle[asyncDispose]();
  });

  await t.step("works in an AsyncDisposableStack", async () => {
    const log: string[] = [];
    const stack = new AsyncDisposableStack();
    stack.use(asyncDisposable("a", (v) => void log.push(v)));
    stack.use(asyncDisposable("b", (v) => void log.push(v)));
    await stack.disposeAsync();
    assert.deepEqual(log, ["b", "a"]);
  });

  await t.step("dispose must be a function", () => {
    assert.throws(
      () => asyncDisposable(1, "close" as unknown as () => void),
      TypeError,
      'asyncDisposable: dispose must be a function, got "close"',
    );
    assert.throws(
      () => asyncDisposable(1, undefined as unknown as () => void),
      TypeError,
      "got undefined",
    );
  });
});

Deno.test("disposable", async (t) => {
  await t.step("pairs the value with a disposer called with it", () => {
    const seen: unknown[] = [];
    {
      using handle = disposable(42, (v) => void seen.push(v));
      assert.equal(handle.value, 42);
      assert.deepEqual(seen, []);
    }
    assert.deepEqual(seen, [42]);
  });

  await t.step("disposing twice runs the disposer once", () => {
    let runs = 0;
    const handle = disposable(null, () => void runs++);
    handle[dispose]();
    handle[dispose]();
    assert.equal(runs, 1);
  });

  await t.step("a throwing disposer throws once and is not retried", () => {
    let runs = 0;
    const handle = disposable(null, () => {
      runs++;
      throw new Error("boom");
    });
    assert.throws(() => handle[dispose](), "boom");
    handle[dispose]();
    assert.equal(runs, 1);
  });

  await t.step("dispose must be a function", () => {
    assert.throws(
      () => disposable(1, {} as unknown as () => void),
      TypeError,
      "disposable: dispose must be a function, got a value of type object",
    );
  });
});
