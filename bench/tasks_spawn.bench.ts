// Spawn-and-join of 100,000 trivial tasks: TaskGroup against the floor
// (Promise.all over the same functions) and peer libraries.
// Run: node_modules/.bin/deno bench bench/tasks_spawn.bench.ts
import { all as acxAll, spawn as acxSpawn } from "abort-controller-x";
import { run, spawn, type Task as EffectionTask } from "effection";
import { gather, TaskGroup } from "../src/tasks/mod.ts";

const N = 100_000;
const group = `spawn and join ${N.toLocaleString("en")} trivial tasks`;

const trivial = Array.from({ length: N }, () => async () => {});
const withSignal = Array.from(
  { length: N },
  () => async (_: AbortSignal) => {},
);

Deno.bench({
  name: "Promise.all (floor)",
  group,
  baseline: true,
  async fn() {
    await Promise.all(trivial.map((fn) => fn()));
  },
});

Deno.bench({
  name: "TaskGroup",
  group,
  async fn() {
    const tasks = new TaskGroup();
    for (const fn of trivial) tasks.spawn(fn);
    await tasks.wait();
  },
});

Deno.bench({
  name: "TaskGroup, fn declares a signal parameter",
  group,
  async fn() {
    const tasks = new TaskGroup();
    for (const fn of withSignal) tasks.spawn(fn);
    await tasks.wait();
  },
});

Deno.bench({
  name: "gather",
  group,
  async fn() {
    await gather(trivial);
  },
});

Deno.bench({
  name: "effection run + spawn + join",
  group,
  // Seconds per iteration at this size: a few runs are enough.
  n: 2,
  warmup: 1,
  async fn() {
    await run(function* () {
      const tasks: EffectionTask<void>[] = [];
      for (let i = 0; i < N; i++) tasks.push(yield* spawn(function* () {}));
      for (const task of tasks) yield* task;
    });
  },
});

Deno.bench({
  name: "abort-controller-x all",
  group,
  async fn() {
    await acxAll(
      new AbortController().signal,
      (signal) => withSignal.map((fn) => fn(signal)),
    );
  },
});

Deno.bench({
  name: "abort-controller-x spawn + fork + join",
  group,
  async fn() {
    await acxSpawn(new AbortController().signal, async (_, { fork }) => {
      const forks = withSignal.map((fn) => fork(fn));
      for (const task of forks) await task.join();
    });
  },
});
