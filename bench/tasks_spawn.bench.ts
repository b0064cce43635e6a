// Spawn-and-join of trivial tasks: TaskGroup against the floor (Promise.all
// over the same functions) and peer libraries at 100,000 tasks, against the
// floor alone at 1,000,000 (per-task cost must stay flat), and against
// Effection at 10,000 (seconds per run even there: one run, no warm-up).
import { all as acxAll, spawn as acxSpawn } from "abort-controller-x";
import { run, spawn, type Task as EffectionTask } from "effection";
import { gather, TaskGroup } from "../src/tasks/mod.ts";
import { bench } from "./_harness.ts";

for (const items of [10_000, 100_000, 1_000_000]) {
  const group = `spawn and join ${items.toLocaleString("en")} trivial tasks`;
  const trivial = Array.from({ length: items }, () => async () => {});
  const withSignal = Array.from(
    { length: items },
    () => async (_: AbortSignal) => {},
  );

  bench({
    group,
    items,
    name: "Promise.all (floor)",
    baseline: true,
    fn: () => Promise.all(trivial.map((fn) => fn())),
  });

  bench({
    group,
    items,
    name: "TaskGroup",
    async fn() {
      const tasks = new TaskGroup();
      for (const fn of trivial) tasks.spawn(fn);
      await tasks.wait();
    },
  });

  if (items > 100_000) continue;
  bench({
    group,
    items,
    name: "TaskGroup, fn declares a signal parameter",
    async fn() {
      const tasks = new TaskGroup();
      for (const fn of withSignal) tasks.spawn(fn);
      await tasks.wait();
    },
  });

  if (items === 10_000) {
    bench({
      group,
      items,
      name: "effection run + spawn + join",
      rounds: 1,
      fn: () =>
        run(function* () {
          const tasks: EffectionTask<void>[] = [];
          for (let i = 0; i < items; i++) {
            tasks.push(yield* spawn(function* () {}));
          }
          for (const task of tasks) yield* task;
        }),
    });
  }
  if (items !== 100_000) continue;

  bench({ group, items, name: "gather", fn: () => gather(trivial) });

  bench({
    group,
    items,
    name: "abort-controller-x all",
    fn: () =>
      acxAll(
        new AbortController().signal,
        (signal) => withSignal.map((fn) => fn(signal)),
      ),
  });

  bench({
    group,
    items,
    name: "abort-controller-x spawn + fork + join",
    fn: () =>
      acxSpawn(new AbortController().signal, async (_, { fork }) => {
        const forks = withSignal.map((fn) => fork(fn));
        for (const task of forks) await task.join();
      }),
  });
}
