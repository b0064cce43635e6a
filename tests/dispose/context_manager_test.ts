import { assert } from "chai";
import { AsyncDisposableStack, contextManager } from "../../src/dispose/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { rejection } from "./_helpers.ts";
import { asyncDispose } from "../_helpers/symbols.ts";

// A context that records what its generator sees: setup, the error thrown in
// at the yield (if any), code after the yield, and teardown.
function recorder(onError: (error: unknown) => unknown = (e) => {
  throw e;
}) {
  const log: string[] = [];
  const open = contextManager(async function* (name: string) {
    log.push(`setup ${name}`);
    try {
      yield name.toUpperCase();
      log.push("after yield");
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
      onError(error);
    } finally {
      log.push("teardown");
    }
  });
  return { log, open };
}

// A context whose teardown always fails.
const failingTeardown = contextManager(async function* () {
  try {
    yield 1;
  } finally {
    // deno-lint-ignore no-unsafe-finally
    throw new Error("teardown");
  }
});

Deno.test("contextManager: await using", async (t) => {
  await t.step("runs setup on the call and teardown on disposal", async () => {
    const { log, open } = recorder();
    {
      await using conn = await open("db");
      assert.equal(conn.value, "DB");
      assert.deepEqual(log, ["setup db"]);
    }
    // Disposal resumes with return(): finally runs, code after yield does not.
    assert.deepEqual(log, ["setup db", "teardown"]);
  });

  await t.step("a throwing block is not seen by the generator", async () => {
    const { log, open } = recorder();
    const block = async () => {
      await using _ = await open("db");
      throw new Error("block");
    };
    const error = await rejection(block()) as Error;
    assert.equal(error.message, "block");
    assert.deepEqual(log, ["setup db", "teardown"]);
  });

  await t.step(
    "disposing twice tears down once; the second waits",
    async () => {
      const gate = deferred<void>();
      let teardowns = 0;
      const open = contextManager(async function* () {
        try {
          yield 1;
        } finally {
          await gate.promise;
          teardowns++;
        }
      });
      const handle = await open();
      const first = handle[asyncDispose]();
      let secondDone = false;
      const second = handle[asyncDispose]().then(() => secondDone = true);
      await Promise.resolve();
      assert.isFalse(secondDone);
      gate.resolve();
      await Promise.all([first, second]);
      assert.equal(teardowns, 1);
    },
  );

  await t.step("a throwing teardown rejects the disposal, once", async () => {
    const handle = await failingTeardown();
    const error = await rejection(handle[asyncDispose]()) as Error;
    assert.equal(error.message, "teardown");
    await handle[asyncDispose]();
  });

  await t.step("handles go in an AsyncDisposableStack", async () => {
    const { log, open } = recorder();
    const stack = new AsyncDisposableStack();
    const a = stack.use(await open("a"));
    assert.equal(a.value, "A");
    await stack.disposeAsync();
    assert.deepEqual(log, ["setup a", "teardown"]);
  });

  await t.step("passes the call's arguments to the generator", async () => {
    const open = contextManager(async function* (a: number, b: string) {
      yield `${a}${b}`;
    });
    await using handle = await open(1, "x");
    assert.equal(handle.value, "1x");
  });
});

Deno.test("contextManager: use(fn)", async (t) => {
  await t.step(
    "resolves with fn's result and resumes after the yield",
    async () => {
      const { log, open } = recorder();
      const handle = await open("db");
      const result = await handle.use((value) => {
        log.push(`use ${value}`);
        return 42;
      });
      assert.equal(result, 42);
      assert.deepEqual(log, ["setup db", "use DB", "after yield", "teardown"]);
    },
  );

  await t.step("an error is thrown in at the yield and rethrown", async () => {
    const { log, open } = recorder();
    const boom = new Error("boom");
    const handle = await open("db");
    const error = await rejection(handle.use(async () => {
      await Promise.resolve();
      throw boom;
    }));
    assert.strictEqual(error, boom);
    assert.deepEqual(log, ["setup db", "caught boom", "teardown"]);
  });

  await t.step("a synchronous throw is thrown in the same way", async () => {
    const { log, open } = recorder();
    const handle = await open("db");
    const error = await rejection(handle.use(() => {
      throw new Error("sync");
    })) as Error;
    assert.equal(error.message, "sync");
    assert.deepEqual(log, ["setup db", "caught sync", "teardown"]);
  });

  await t.step(
    "a swallowed error is suppressed: use resolves undefined",
    async () => {
      const { log, open } = recorder(() => {});
      const handle = await open("db");
      const result = await handle.use((): number => {
        throw new Error("boom");
      });
      assert.isUndefined(result);
      assert.deepEqual(log, ["setup db", "caught boom", "teardown"]);
    },
  );

  await t.step("an error replaced by the generator propagates", async () => {
    const { log, open } = recorder((e) => {
      throw new Error("replaced", { cause: e });
    });
    const handle = await open("db");
    const error = await rejection(handle.use(() => {
      throw new Error("boom");
    })) as Error;
    assert.equal(error.message, "replaced");
    assert.equal((error.cause as Error).message, "boom");
    assert.deepEqual(log, ["setup db", "caught boom", "teardown"]);
  });

  await t.step(
    "a throwing teardown rejects use, even after success",
    async () => {
      const handle = await failingTeardown();
      const error = await rejection(handle.use(() => "ok")) as Error;
      assert.equal(error.message, "teardown");
    },
  );

  await t.step("disposal after use does nothing more", async () => {
    const { log, open } = recorder();
    const handle = await open("db");
    await handle.use(() => {});
    await handle[asyncDispose]();
    assert.deepEqual(log, ["setup db", "after yield", "teardown"]);
  });

  await t.step("disposal during use waits for use's exit", async () => {
    const { log, open } = recorder();
    const gate = deferred<void>();
    const handle = await open("db");
    const using = handle.use(() => gate.promise);
    const disposing = handle[asyncDispose]().then(() => log.push("disposed"));
    gate.resolve();
    await Promise.all([using, disposing]);
    assert.deepEqual(log, [
      "setup db",
      "after yield",
      "teardown",
      "disposed",
    ]);
  });

  await t.step("use after an exit rejects with ReferenceError", async () => {
    const { log, open } = recorder();
    const used = await open("a");
    await used.use(() => {});
    let called = false;
    const again = await rejection(used.use(() => called = true));
    assert.instanceOf(again, ReferenceError);
    const disposed = await open("b");
    await disposed[asyncDispose]();
    assert.instanceOf(
      await rejection(disposed.use(() => called = true)),
      ReferenceError,
    );
    assert.isFalse(called);
    assert.deepEqual(log, [
      "setup a",
      "after yield",
      "teardown",
      "setup b",
      "teardown",
    ]);
  });
});

Deno.test("contextManager: misbehaving generators", async (t) => {
  await t.step(
    "setup that throws rejects the call; nothing to dispose",
    async () => {
      let teardown = false;
      const open = contextManager(async function* () {
        try {
          throw new Error("setup");
        } finally {
          teardown = true;
        }
        // deno-lint-ignore no-unreachable
        yield 1;
      });
      const error = await rejection(open()) as Error;
      assert.equal(error.message, "setup");
      assert.isTrue(teardown); // the generator's own finally, during setup
    },
  );

  await t.step("a generator that does not yield is a TypeError", async () => {
    // deno-lint-ignore require-yield
    const open = contextManager(async function* () {
      return;
    });
    const error = await rejection(open()) as Error;
    assert.instanceOf(error, TypeError);
    assert.include(error.message, "did not yield");
  });

  await t.step(
    "yielding again on disposal is a TypeError; it is closed",
    async () => {
      const log: string[] = [];
      const open = contextManager(async function* () {
        try {
          yield 1;
        } finally {
          try {
            yield 2;
          } finally {
            log.push("closed");
          }
        }
      });
      const handle = await open();
      const error = await rejection(handle[asyncDispose]()) as Error;
      assert.instanceOf(error, TypeError);
      assert.equal(
        error.message,
        "contextManager: the generator did not stop after return(); it must yield exactly once",
      );
      assert.deepEqual(log, ["closed"]);
    },
  );

  await t.step(
    "yielding twice with use is a TypeError; it is closed",
    async () => {
      const log: string[] = [];
      const open = contextManager(async function* () {
        try {
          yield 1;
          yield 2;
        } finally {
          log.push("closed");
        }
      });
      const handle = await open();
      const error = await rejection(handle.use(() => "ok")) as Error;
      assert.instanceOf(error, TypeError);
      assert.equal(
        error.message,
        "contextManager: the generator did not stop after next(); it must yield exactly once",
      );
      assert.deepEqual(log, ["closed"]);
    },
  );

  await t.step("yielding after a thrown-in error is a TypeError", async () => {
    const log: string[] = [];
    const yieldsAgain = contextManager(async function* () {
      try {
        yield 1;
      } catch {
        yield 2;
      } finally {
        log.push("closed");
      }
    });
    const handle = await yieldsAgain();
    const error = await rejection(handle.use(() => {
      throw new Error("boom");
    })) as Error;
    assert.instanceOf(error, TypeError);
    assert.equal(
      error.message,
      "contextManager: the generator did not stop after throw(); it must yield exactly once",
    );
    assert.deepEqual(log, ["closed"]);
  });
});

Deno.test("contextManager: bad arguments", async (t) => {
  await t.step("fn must be a function", () => {
    assert.throws(
      () => contextManager(null as never),
      TypeError,
      "contextManager: fn must be a function, got null",
    );
  });

  await t.step("fn must return an async generator", async () => {
    const open = contextManager((() => 42) as never);
    const error = await rejection(open()) as Error;
    assert.instanceOf(error, TypeError);
    assert.include(error.message, "must return an async generator, got 42");
  });

  await t.step(
    "use needs a function, and the handle stays usable",
    async () => {
      const { log, open } = recorder();
      const handle = await open("db");
      assert.throws(
        () => handle.use("nope" as never),
        TypeError,
        'ContextManagerHandle.use: fn must be a function, got "nope"',
      );
      assert.equal(await handle.use(() => 1), 1);
      assert.deepEqual(log, ["setup db", "after yield", "teardown"]);
    },
  );
});
