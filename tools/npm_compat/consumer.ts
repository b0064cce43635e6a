// A Node user's program against the packed npm package: type-checked with
// tsc against the package's .d.ts, then compiled and run on Node 20. Each
// check prints one `##check {"name", "ok", "error"}` line for run.mjs.
import { isTimeoutError, sleep, TaskGroup as RootTaskGroup } from "@seed/async";
import { withTimeout } from "@seed/async/cancel";
import { type Task, TaskGroup, TaskGroupError } from "@seed/async/tasks";

// Compile-time checks: `Equal<A, B>` only accepts `true` when A is B.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  <T>() => T extends B ? 1 : 2 ? true
  : false;

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function check(name: string, fn: () => unknown): Promise<void> {
  let error: string | undefined;
  try {
    await fn();
  } catch (e) {
    error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  console.log(
    "##check " + JSON.stringify({ name, ok: error === undefined, error }),
  );
}

await check("sleep resolves, and rejects with the abort reason", async () => {
  assert((await sleep(1)) === undefined, "sleep should resolve to undefined");
  const reason = new Error("stop");
  const error = await sleep(10_000, { signal: AbortSignal.abort(reason) })
    .catch((e) => e);
  assert(error === reason, "sleep should reject with the signal's reason");
});

await check("withTimeout rejects with a TimeoutError", async () => {
  const error: unknown = await withTimeout(
    10,
    (signal) => sleep(10_000, { signal }),
  ).catch((e) => e);
  assert(
    isTimeoutError(error),
    `expected a TimeoutError, got ${String(error)}`,
  );
  assert(
    (error as Error).name === "TimeoutError",
    "name should be TimeoutError",
  );
  const value = await withTimeout(1_000, () => Promise.resolve(42));
  const typed: Equal<typeof value, number> = true;
  assert(typed && value === 42, "withTimeout should resolve with fn's value");
});

await check("TaskGroup spawns tasks and waits for all of them", async () => {
  const group = new TaskGroup();
  const a = group.spawn(async (signal) => {
    await sleep(5, { signal });
    return 1;
  });
  const b = group.spawn(() => Promise.resolve("two"));
  const typedA: Equal<typeof a, Task<number>> = true;
  const typedB: Equal<Awaited<typeof b>, string> = true;
  await group.wait();
  assert(typedA && typedB, "types");
  assert((await a) === 1 && (await b) === "two", "task results");
  assert(a.state === "fulfilled", `state should be fulfilled, is ${a.state}`);
});

await check(
  "a failing task cancels its siblings; the group rejects with TaskGroupError",
  async () => {
    let siblingAborted = false;
    const boom = new Error("boom");
    const error = await (async () => {
      await using group = new TaskGroup();
      group.spawn(async (signal) => {
        await sleep(10_000, { signal }).catch((e) => {
          siblingAborted = signal.aborted;
          throw e;
        });
      });
      group.spawn(() => Promise.reject(boom));
    })().catch((e) => e);
    assert(
      error instanceof TaskGroupError,
      `expected TaskGroupError, got ${String(error)}`,
    );
    assert(
      error instanceof AggregateError && error.errors.includes(boom),
      "aggregate holds the error",
    );
    assert(siblingAborted, "the sibling's signal should have been aborted");
  },
);

await check("the root export and the subpath export are the same class", () => {
  assert(
    RootTaskGroup === TaskGroup,
    "@seed/async and @seed/async/tasks differ",
  );
});
