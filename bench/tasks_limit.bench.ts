// 100,000 functions through a concurrency limit of 8: TaskGroup against
// p-limit, p-queue and a hand-written floor limiter.
// Run: node_modules/.bin/deno bench bench/tasks_limit.bench.ts
import pLimit from "p-limit";
import PQueue from "p-queue";
import { gather, TaskGroup } from "../src/tasks/mod.ts";

const N = 100_000;
const LIMIT = 8;
const group = `${N.toLocaleString("en")} functions, concurrency ${LIMIT}`;

const trivial = Array.from({ length: N }, () => async () => {});

Deno.bench({
  name: "hand-written limiter (floor)",
  group,
  baseline: true,
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
