import { assert } from "chai";
import { defer } from "../../src/dispose/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { rejection } from "./_helpers.ts";
import { asyncDispose } from "../_helpers/symbols.ts";

Deno.test("defer", async (t) => {
  await t.step(
    "runs nothing until disposed, then awaits the cleanup",
    async () => {
      const log: string[] = [];
      const gate = deferred<void>();
      const block = async () => {
        await using _ = defer(async () => {
          await gate.promise;
          log.push("cleanup");
        });
        log.push("body");
      };
      const running = block();
      await Promise.resolve();
      assert.deepEqual(log, ["body"]);
      gate.resolve();
      await running;
      assert.deepEqual(log, ["body", "cleanup"]);
    },
  );

  await t.step(
    "runs when the block throws; the block's error wins",
    async () => {
      const log: string[] = [];
      const block = async () => {
        await using _ = defer(() => void log.push("cleanup"));
        throw new Error("body");
      };
      const error = await rejection(block()) as Error;
      assert.equal(error.message, "body");
      assert.deepEqual(log, ["cleanup"]);
    },
  );

  await t.step("calls the cleanup with no arguments", async () => {
    let args: unknown[] | undefined;
    await defer((...received: unknown[]) => {
      args = received;
    })[asyncDispose]();
    assert.deepEqual(args, []);
  });

  await t.step("runs once; a second disposal waits for the first", async () => {
    let runs = 0;
    const gate = deferred<void>();
    const handle = defer(async () => {
      runs++;
      await gate.promise;
    });
    const first = handle[asyncDispose]();
    let secondDone = false;
    const second = handle[asyncDispose]().then(() => secondDone = true);
    await Promise.resolve();
    assert.isFalse(secondDone);
    gate.resolve();
    await Promise.all([first, second]);
    assert.equal(runs, 1);
  });

  await t.step(
    "a failing cleanup rejects the first disposal only",
    async () => {
      const handle = defer(() => Promise.reject(new Error("cleanup")));
      const error = await rejection(handle[asyncDispose]()) as Error;
      assert.equal(error.message, "cleanup");
      await handle[asyncDispose]();
    },
  );

  await t.step("fn must be a function", () => {
    assert.throws(
      () => defer(42 as unknown as () => void),
      TypeError,
      "defer: fn must be a function, got 42",
    );
  });
});
