// 100,000 functions through a concurrency limit of 8: TaskGroup against an
// eager, context-correct hand-written pool (the floor: a handle per task up
// front, a queued task started from a continuation registered when it was
// queued), a bare worker pool (keeps neither promise: not a fair floor, shown
// for scale), p-limit and p-queue.
import pLimit from "p-limit";
import PQueue from "p-queue";
import { gather, TaskGroup } from "../src/tasks/mod.ts";
import { bench } from "./_harness.ts";
import { eagerPool } from "./_floors.ts";

const items = 100_000;
const LIMIT = 8;
const group = `${items.toLocaleString("en")} functions, concurrency ${LIMIT}`;

const trivial = Array.from({ length: items }, () => async () => {});

bench({
  group,
  items,
  name: "eager context-correct pool (floor)",
  baseline: true,
  async fn() {
    const spawn = eagerPool(LIMIT);
    const handles = [];
    for (const fn of trivial) handles.push(spawn(fn));
    await Promise.all(handles);
  },
});

bench({
  group,
  items,
  name: "TaskGroup({ limit: 8 })",
  async fn() {
    const tasks = new TaskGroup({ limit: LIMIT });
    for (const fn of trivial) tasks.spawn(fn);
    await tasks.wait();
  },
});

bench({
  group,
  items,
  name: "gather({ limit: 8 })",
  fn: () => gather(trivial, { limit: LIMIT }),
});

bench({
  group,
  items,
  name: "p-limit(8)",
  fn() {
    const limit = pLimit(LIMIT);
    return Promise.all(trivial.map((fn) => limit(fn)));
  },
});

bench({
  group,
  items,
  name: "p-queue({ concurrency: 8 })",
  rounds: 2,
  async fn() {
    const queue = new PQueue({ concurrency: LIMIT });
    for (const fn of trivial) queue.add(fn);
    await queue.onIdle();
  },
});

bench({
  group,
  items,
  name: "worker pool, no handles (not a floor: for scale)",
  async fn() {
    let next = 0;
    const worker = async () => {
      while (next < items) await trivial[next++]();
    };
    await Promise.all(Array.from({ length: LIMIT }, worker));
  },
});
