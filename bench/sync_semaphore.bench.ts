// 100,000 async functions through a concurrency limit of 8: Semaphore.run
// against the peers and a hand-written floor (a counter plus a linked list).
import { Semaphore as AsyncMutexSemaphore } from "async-mutex";
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Semaphore } from "../src/sync/mod.ts";

const TASKS = 100_000;
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

const options = { group: "100k tasks, limit 8", n: 20, warmup: 5 };

Deno.bench(
  "floor (counter + linked list)",
  { ...options, baseline: true },
  async () => {
    const limit = floorLimiter(LIMIT);
    const all = [];
    for (let i = 0; i < TASKS; i++) all.push(limit(work));
    await Promise.all(all);
  },
);

Deno.bench("@seed/async Semaphore.run", options, async () => {
  const sem = new Semaphore(LIMIT);
  const all = [];
  for (let i = 0; i < TASKS; i++) all.push(sem.run(work));
  await Promise.all(all);
});

Deno.bench("p-limit", options, async () => {
  const limit = pLimit(LIMIT);
  const all = [];
  for (let i = 0; i < TASKS; i++) all.push(limit(work));
  await Promise.all(all);
});

Deno.bench("p-queue", options, async () => {
  const queue = new PQueue({ concurrency: LIMIT });
  const all = [];
  for (let i = 0; i < TASKS; i++) all.push(queue.add(work));
  await Promise.all(all);
});

// async-mutex queues with Array#shift: seconds per run, so fewer runs.
Deno.bench("async-mutex Semaphore.runExclusive", {
  ...options,
  n: 2,
  warmup: 1,
}, async () => {
  const sem = new AsyncMutexSemaphore(LIMIT);
  const all = [];
  for (let i = 0; i < TASKS; i++) all.push(sem.runExclusive(work));
  await Promise.all(all);
});
