// 100,000 functions through a concurrency limit of 8: TaskGroup against
// p-limit, p-queue and two hand-written floors: a plain worker pool, and the
// fair floor for an API like spawn, which returns a handle per task and runs
// each queued task in its caller's async context (rule 11).
// Run: node_modules/.bin/deno bench bench/tasks_limit.bench.ts
import pLimit from "p-limit";
import PQueue from "p-queue";
import { gather, TaskGroup } from "../src/tasks/mod.ts";

const N = 100_000;
const LIMIT = 8;
const group = `${N.toLocaleString("en")} functions, concurrency ${LIMIT}`;

const trivial = Array.from({ length: N }, () => async () => {});

Deno.bench({
  name: "hand-written eager, context-correct pool (floor)",
  group,
  baseline: true,
  async fn() {
    // A handle per task up front; a queued task starts from a continuation
    // registered when it was queued, so it runs in its caller's context.
    let running = 0;
    const queue: (() => void)[] = [];
    let head = 0;
    const done = () => {
      running--;
      if (head < queue.length) {
        running++;
        queue[head++]();
      }
    };
    const run = (fn: () => Promise<void>) => fn().then(done, done);
    const handles = trivial.map((fn) => {
      if (running < LIMIT) {
        running++;
        return run(fn);
      }
      return new Promise<void>((resolve) => queue.push(resolve)).then(() =>
        run(fn)
      );
    });
    await Promise.all(handles);
  },
});

Deno.bench({
  name: "hand-written worker pool, no handles (floor)",
  group,
  async fn() {
    let next = 0;
    const worker = async () => {
      while (next < N) await trivial[next++]();
    };
    await Promise.all(Array.from({ length: LIMIT }, worker));
  },
});

Deno.bench({
  name: "TaskGroup({ limit: 8 })",
  group,
  async fn() {
    const tasks = new TaskGroup({ limit: LIMIT });
    for (const fn of trivial) tasks.spawn(fn);
    await tasks.wait();
  },
});

Deno.bench({
  name: "gather({ limit: 8 })",
  group,
  async fn() {
    await gather(trivial, { limit: LIMIT });
  },
});

Deno.bench({
  name: "p-limit(8)",
  group,
  async fn() {
    const limit = pLimit(LIMIT);
    await Promise.all(trivial.map((fn) => limit(fn)));
  },
});

Deno.bench({
  name: "p-queue({ concurrency: 8 })",
  group,
  async fn() {
    const queue = new PQueue({ concurrency: LIMIT });
    for (const fn of trivial) queue.add(fn);
    await queue.onIdle();
  },
});
