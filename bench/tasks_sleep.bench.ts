// Abortable sleeps created on one signal, then all aborted: the cost of
// arming and disarming a timer plus an abort subscription each.
import { delay as acxDelay } from "abort-controller-x";
import { sleep } from "../src/cancel/mod.ts";
import { bench } from "./_harness.ts";

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

// A peer that adds one listener per delay: EventTarget scans its listener
// list on every add and remove, so at 100,000 one run takes minutes. It is
// compared at 10,000, where the quadratic cost already shows.
for (const items of [10_000, 100_000]) {
  const group = `${
    items.toLocaleString("en")
  } sleeps on one signal, then abort`;
  bench({
    group,
    items,
    name: "setTimeout + Promise + clearTimeout (floor)",
    baseline: true,
    fn: () => floor(items),
  });
  bench({
    group,
    items,
    name: "sleep({ signal })",
    fn: () => napAll(items, (signal) => sleep(60_000, { signal })),
  });
  if (items > 10_000) continue;
  bench({
    group,
    items,
    name: "abort-controller-x delay",
    rounds: 2,
    fn: () => napAll(items, (signal) => acxDelay(signal, 60_000)),
  });
}
