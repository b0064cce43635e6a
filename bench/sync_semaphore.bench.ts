// Async functions through a concurrency limit of 8: at 100,000, Semaphore.run
// against p-limit (the baseline), a hand-written floor (a counter plus a
// linked list) and the slower peers; at 1,000,000 against the floor alone.
import { Semaphore as AsyncMutexSemaphore } from "async-mutex";
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Semaphore } from "../src/sync/mod.ts";
import { bench } from "./_harness.ts";

const LIMIT = 8;
const work = async (): Promise<number> => {
  await null;
  return 1;
};

interface Job {
  fn: () => Promise<number>;
  resolve: (value: Promise<number>) => void;
  next: Job | null;
}

// The floor: the least a correct FIFO limiter can do.
function floorLimiter(limit: number) {
  let active = 0;
  let head: Job | null = null;
  let tail: Job | null = null;
  const start = (job: Job) => {
    active++;
    const promise = job.fn();
    job.resolve(promise);
    promise.then(done, done);
  };
  const done = () => {
    active--;
    const job = head;
    if (job) {
      head = job.next;
      if (!head) tail = null;
      start(job);
    }
  };
  return (fn: () => Promise<number>) =>
    new Promise<number>((resolve) => {
      const job: Job = { fn, resolve, next: null };
      if (active < limit) start(job);
      else if (tail) tail = tail.next = job;
      else head = tail = job;
    });
}

/** Runs `items` calls of `work` through `limited` and waits for them all. */
function through(
  items: number,
  limited: (fn: () => Promise<number>) => Promise<number>,
): Promise<number[]> {
  const all = [];
  for (let i = 0; i < items; i++) all.push(limited(work));
  return Promise.all(all);
}

for (const items of [100_000, 1_000_000]) {
  const group = `${items.toLocaleString("en")} tasks, limit ${LIMIT}`;
  // p-limit is the baseline to beat at 100,000; at 1,000,000 the floor is,
  // and only Semaphore.run is compared with it (per-item cost must be flat).
  bench({
    group,
    items,
    name: "floor (counter + linked list)",
    baseline: items > 100_000,
    fn: () => through(items, floorLimiter(LIMIT)),
  });
  if (items === 100_000) {
    bench({
      group,
      items,
      name: "p-limit",
      baseline: true,
      fn: () => through(items, pLimit(LIMIT)),
    });
  }
  bench({
    group,
    items,
    name: "@seed/async Semaphore.run",
    fn() {
      const sem = new Semaphore(LIMIT);
      return through(items, (fn) => sem.run(fn));
    },
  });
  if (items > 100_000) continue;
  bench({
    group,
    items,
    name: "p-queue",
    rounds: 2,
    fn() {
      const queue = new PQueue({ concurrency: LIMIT });
      return through(items, (fn) => queue.add(fn) as Promise<number>);
    },
  });
  // async-mutex queues with Array#shift: seconds per run, so one round.
  bench({
    group,
    items,
    name: "async-mutex Semaphore.runExclusive",
    rounds: 1,
    fn() {
      const sem = new AsyncMutexSemaphore(LIMIT);
      return through(items, (fn) => sem.runExclusive(fn));
    },
  });
}
