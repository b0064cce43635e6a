// 100,000 abortable sleeps created on one signal, then all aborted: the
// cost of arming and disarming a timer plus an abort listener each.
// Run: node_modules/.bin/deno bench bench/tasks_sleep.bench.ts
import { delay as acxDelay } from "abort-controller-x";
import { sleep } from "../src/cancel/mod.ts";

const N = 100_000;
const group = `${N.toLocaleString("en")} sleeps on one signal, then abort`;
const noop = () => {};
// Deno's EventTarget scans existing listeners on every addEventListener, so
// a peer adding 100,000 listeners to one signal takes tens of seconds: run it
// few times. (sleep shares one listener per signal and needs no such limit.)
const slow = { n: 2, warmup: 0 };

Deno.bench({
  name: "setTimeout + Promise + clearTimeout (floor)",
  group,
  baseline: true,
  async fn() {
    const timers: [ReturnType<typeof setTimeout>, (reason: unknown) => void][] =
      [];
    const naps: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      naps.push(
        new Promise<void>((resolve, reject) => {
          timers.push([setTimeout(resolve, 60_000), reject]);
        }).catch(noop),
      );
    }
    const reason = new DOMException("aborted", "AbortError");
    for (const [id, reject] of timers) {
      clearTimeout(id);
      reject(reason);
    }
    await Promise.all(naps);
  },
});

/** Starts N naps on one signal, aborts it, and waits for every rejection. */
async function napAll(nap: (signal: AbortSignal) => Promise<void>) {
  const controller = new AbortController();
  const naps: Promise<void>[] = [];
  for (let i = 0; i < N; i++) naps.push(nap(controller.signal).catch(noop));
  controller.abort();
  await Promise.all(naps);
}

Deno.bench({
  name: "sleep({ signal })",
  group,
  fn: () => napAll((signal) => sleep(60_000, { signal })),
});

Deno.bench({
  name: "abort-controller-x delay",
  group,
  ...slow,
  fn: () => napAll((signal) => acxDelay(signal, 60_000)),
});
