import { assert } from "chai";
import { sleep } from "../../src/cancel/mod.ts";
import { type Stall, watchEventLoop } from "../../src/inspect/mod.ts";
import { deferred } from "../_helpers/deferred.ts";
import { dispose } from "../_helpers/symbols.ts";

// workerd does not advance time while code runs (a busy loop would spin
// forever), so a block cannot be made, nor seen, there.
const frozenClock = (globalThis as { navigator?: { userAgent?: string } })
  .navigator?.userAgent === "Cloudflare-Workers";

/**
 * The watch's timer does not hold the process open (Node, Deno and Bun
 * unref it), so a test waiting for a report keeps the loop alive itself.
 */
function keepAlive(): Disposable {
  const timer = setTimeout(() => {}, 60_000);
  return { [dispose]: () => clearTimeout(timer) };
}

/** Keeps the loop busy for `ms` real milliseconds. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

Deno.test({
  name: "a block of the loop longer than the threshold is reported",
  ignore: frozenClock,
  async fn() {
    using _alive = keepAlive();
    const seen = deferred<Stall>();
    const watch = watchEventLoop({ threshold: 40, onStall: seen.resolve });
    try {
      block(200);
      const stall = await seen.promise;
      assert.isAtLeast(stall.ms, 40);
      assert.isAtMost(stall.at, Date.now());
    } finally {
      watch[dispose]();
    }
  },
});

Deno.test({
  name: "the watch goes on after a stall: a second block is reported too",
  ignore: frozenClock,
  async fn() {
    using _alive = keepAlive();
    const stalls: Stall[] = [];
    let next = deferred<void>();
    const watch = watchEventLoop({
      threshold: 40,
      onStall(stall) {
        stalls.push(stall);
        next.resolve();
      },
    });
    try {
      block(200);
      await next.promise;
      next = deferred<void>();
      block(200);
      await next.promise;
      assert.lengthOf(stalls, 2);
    } finally {
      watch[dispose]();
    }
  },
});

Deno.test("an idle loop is not reported", async () => {
  const stalls: Stall[] = [];
  const watch = watchEventLoop({
    threshold: 1000,
    onStall: (stall) => stalls.push(stall),
  });
  try {
    await sleep(1200); // two checks, 500 ms apart, on time
    assert.deepEqual(stalls, []);
  } finally {
    watch[dispose]();
  }
});

Deno.test({
  name: "nothing is reported once disposed",
  ignore: frozenClock,
  async fn() {
    const stalls: Stall[] = [];
    const watch = watchEventLoop({
      threshold: 20,
      onStall: (stall) => stalls.push(stall),
    });
    watch[dispose]();
    watch[dispose]();
    block(100);
    await sleep(30);
    assert.deepEqual(stalls, []);
  },
});

Deno.test("watchEventLoop checks its options", () => {
  const onStall = () => {};
  assert.throws(
    () => watchEventLoop(undefined as never),
    TypeError,
    "watchEventLoop: onStall must be a function, got undefined",
  );
  assert.throws(
    () => watchEventLoop({ onStall: "no" as never }),
    TypeError,
    'watchEventLoop: onStall must be a function, got "no"',
  );
  assert.throws(
    () => watchEventLoop({ threshold: "100" as never, onStall }),
    TypeError,
    'watchEventLoop: threshold must be a number of milliseconds, got "100"',
  );
  for (const threshold of [0, -1, NaN, Infinity]) {
    assert.throws(
      () => watchEventLoop({ threshold, onStall }),
      RangeError,
      `watchEventLoop: threshold must be a finite number > 0, got ${threshold}`,
    );
  }
});

// Deno reports a throwing timer callback as a cancellable "error" event on
// globalThis; Node and Bun end the process, and the browser harness fails
// the test on any uncaught error, so only Deno can watch it happen.
const errorEvents =
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent
    ?.startsWith("Deno/") ?? false;

Deno.test({
  name: "a throwing onStall is reported by the host and the watch goes on",
  ignore: frozenClock || !errorEvents,
  async fn() {
    using _alive = keepAlive();
    const reported = deferred<unknown>();
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      reported.resolve(event.error);
    };
    globalThis.addEventListener("error", onError);
    let calls = 0;
    const second = deferred<void>();
    const watch = watchEventLoop({
      threshold: 40,
      onStall() {
        if (++calls === 2) return second.resolve();
        throw new Error("onStall failed");
      },
    });
    try {
      block(200);
      assert.equal(
        ((await reported.promise) as Error).message,
        "onStall failed",
      );
      block(200);
      await second.promise;
      assert.equal(calls, 2);
    } finally {
      watch[dispose]();
      globalThis.removeEventListener("error", onError);
    }
  },
});
