// Abortable sleeps created on one signal, then all aborted: the cost of
// arming and disarming a timer plus an abort subscription each.
// Run: node_modules/.bin/deno bench bench/tasks_sleep.bench.ts
import { delay as acxDelay } from "abort-controller-x";
import { sleep } from "../src/cancel/mod.ts";

const noop = () => {};

/** N bare timers, each with a promise, cleared and rejected by hand. */
async function floor(n: number) {
  const timers: [ReturnType<typeof setTimeout>, (reason: unknown) => void][] =
    [];
  const naps: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
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
}

/** Starts n naps on one signal, aborts it, and waits for every rejection. */
async function napAll(n: number, nap: (signal: AbortSignal) => Promise<void>) {
  const controller = new AbortController();
  const naps: Promise<void>[] = [];
  for (let i = 0; i < n; i++) naps.push(nap(controller.signal).catch(noop));
  controller.abort();
  await Promise.all(naps);
}

const large = "100,000 sleeps on one signal, then abort";
Deno.bench({
  name: "setTimeout + Promise + clearTimeout (floor)",
  group: large,
  baseline: true,
  fn: () => floor(100_000),
});
Deno.bench({
  name: "sleep({ signal })",
  group: large,
  fn: () => napAll(100_000, (signal) => sleep(60_000, { signal })),
});

// A peer that adds one listener per delay: EventTarget scans its listener
// list on every add and remove, so at 100,000 one run takes minutes. It is
// compared at 10,000, where the quadratic cost already shows.
const small = "10,000 sleeps on one signal, then abort";
Deno.bench({
  name: "setTimeout + Promise + clearTimeout (floor)",
  group: small,
  baseline: true,
  fn: () => floor(10_000),
});
Deno.bench({
  name: "sleep({ signal })",
  group: small,
  fn: () => napAll(10_000, (signal) => sleep(60_000, { signal })),
});
Deno.bench({
  name: "abort-controller-x delay",
  group: small,
  n: 5,
  warmup: 1,
  fn: () => napAll(10_000, (signal) => acxDelay(signal, 60_000)),
});
