// Bytes each pending operation keeps alive: for every row, two full
// collections, the heap in use, 100,000 operations started and left
// pending, two collections again, and the difference divided by 100,000.
// Then everything is settled and awaited, so each row starts from a clean
// heap. Ours against the peers installed from npm and hand-written floors.
//
//   deno run -A --v8-flags=--expose-gc bench/memory.ts [--json] [--only TEXT]
//   node --expose-gc out/bench/memory.mjs [--json]   (bundled by npm run bench)
// --only keeps the rows whose operation or implementation contains TEXT.
import { delay as acxDelay, spawn as acxSpawn } from "abort-controller-x";
import delay from "delay";
import { run, spawn, suspend } from "effection";
import pLimit from "p-limit";
import { sleep } from "../src/cancel/mod.ts";
import { type Permit, Semaphore } from "../src/sync/mod.ts";
import { TaskGroup } from "../src/tasks/mod.ts";
import { eagerPool, floorSemaphore } from "./_floors.ts";
import { runtime } from "./_harness.ts";

const N = 100_000;
// Peers that add one "abort" listener per operation pay EventTarget's
// duplicate scan on every add (quadratic: minutes at 100,000), and Effection
// takes a minute to spawn 100,000; their bytes per operation do not depend
// on the count, so they are measured at 10,000.
const SMALL = 10_000;

// deno-lint-ignore no-explicit-any
const host = globalThis as any;
const gc: () => void = host.gc;
const heapUsed = (): number =>
  host.Deno
    ? host.Deno.memoryUsage().heapUsed
    : host.process.memoryUsage().heapUsed;

interface Gate {
  promise: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * A row: `start(n, keep)` starts n pending operations, storing whatever a
 * caller would hold in `keep` (preallocated, so its slots are not counted),
 * and returns (or resolves to, once all are pending) a function that
 * settles them all.
 */
type Settle = () => Promise<unknown>;
interface Row {
  operation: string;
  name: string;
  count?: number;
  start(n: number, keep: unknown[]): Settle | Promise<Settle>;
}

const rows: Row[] = [];
const row = (
  operation: string,
  name: string,
  start: Row["start"],
  count?: number,
) => rows.push({ operation, name, start, count });

// A task whose function declares no parameter, each awaiting one gate.
const TASK = "task, fn without parameter";
row(TASK, "TaskGroup.spawn(() => p)", (n, keep) => {
  const g = gate();
  const fn = () => g.promise;
  const group = new TaskGroup();
  for (let i = 0; i < n; i++) keep[i] = group.spawn(fn);
  return () => (g.open(), group.wait());
});
row(TASK, "Promise.all (floor)", (n, keep) => {
  const g = gate();
  const fn = () => g.promise;
  for (let i = 0; i < n; i++) keep[i] = fn();
  const all = Promise.all(keep);
  return () => (g.open(), all);
});
row(TASK, "abort-controller-x fork", async (n, keep) => {
  const g = gate();
  const fn = () => g.promise;
  const forked = gate();
  const done = acxSpawn(new AbortController().signal, async (_, { fork }) => {
    for (let i = 0; i < n; i++) keep[i] = fork(fn);
    forked.open();
    await g.promise;
  });
  await forked.promise;
  return () => (g.open(), done);
});
row(TASK, "effection spawn", async (n) => {
  const spawned = gate();
  const task = run(function* () {
    for (let i = 0; i < n; i++) yield* spawn(() => suspend());
    spawned.open();
    yield* suspend();
  });
  await spawned.promise;
  return () => task.halt();
}, SMALL);

const SIGNAL = "task whose fn declares signal";
row(SIGNAL, "TaskGroup.spawn((signal) => p)", (n, keep) => {
  const g = gate();
  const fn = (_: AbortSignal) => g.promise;
  const group = new TaskGroup();
  for (let i = 0; i < n; i++) keep[i] = group.spawn(fn);
  return () => (g.open(), group.wait());
});
// What any task with a signal of its own costs, before it does anything:
// the signal is the bulk of the row above in Node 20, a fraction in Node 26.
row(SIGNAL, "AbortController + its signal (floor)", (n, keep) => {
  for (let i = 0; i < n; i++) {
    const controller = new AbortController();
    controller.signal.aborted;
    keep[i] = controller;
  }
  return () => Promise.resolve();
});

// Queued behind one running task; the continuation that starts each is
// registered when it is queued (DESIGN rule 11).
const QUEUED = "task queued in TaskGroup({ limit: 1 })";
row(QUEUED, "TaskGroup({ limit: 1 }).spawn", (n, keep) => {
  const g = gate();
  const fn = () => g.promise;
  const group = new TaskGroup({ limit: 1 });
  group.spawn(fn);
  for (let i = 0; i < n; i++) keep[i] = group.spawn(fn);
  return () => (g.open(), group.wait());
});
row(QUEUED, "eager context-correct pool (floor)", (n, keep) => {
  const g = gate();
  const fn = () => g.promise;
  const pool = eagerPool(1);
  const first = pool(fn);
  for (let i = 0; i < n; i++) keep[i] = pool(fn);
  return () => (g.open(), Promise.all([first, ...keep]));
});

const SLEEP = "sleep(ms, { signal }), all on one signal";
const abortAll = (controller: AbortController, keep: unknown[]) => () => {
  const settled = Promise.allSettled(keep);
  controller.abort();
  return settled;
};
row(SLEEP, "sleep(60_000, { signal })", (n, keep) => {
  const controller = new AbortController();
  const { signal } = controller;
  for (let i = 0; i < n; i++) keep[i] = sleep(60_000, { signal });
  return abortAll(controller, keep);
});
row(SLEEP, "setTimeout + Promise (floor, no signal)", (n, keep) => {
  const ids: ReturnType<typeof setTimeout>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    keep[i] = new Promise<void>((resolve) => {
      ids[i] = setTimeout(resolve, 60_000);
    });
  }
  return () => {
    for (const id of ids) clearTimeout(id);
    return Promise.resolve();
  };
});
row(SLEEP, "abort-controller-x delay", (n, keep) => {
  const controller = new AbortController();
  for (let i = 0; i < n; i++) keep[i] = acxDelay(controller.signal, 60_000);
  return abortAll(controller, keep);
}, SMALL);
row(SLEEP, "delay", (n, keep) => {
  const controller = new AbortController();
  const { signal } = controller;
  for (let i = 0; i < n; i++) keep[i] = delay(60_000, { signal });
  return abortAll(controller, keep);
}, SMALL);

const ACQUIRE = "waiting Semaphore.acquire()";
row(ACQUIRE, "Semaphore(1).acquire()", (n, keep) => {
  const sem = new Semaphore(1);
  const held = sem.tryAcquire()!;
  for (let i = 0; i < n; i++) keep[i] = sem.acquire();
  return async () => {
    held.release();
    for (const permit of keep as Promise<Permit>[]) (await permit).release();
  };
});
row(ACQUIRE, "p-limit(1) queued job", (n, keep) => {
  const g = gate();
  const fn = () => g.promise;
  const limit = pLimit(1);
  const first = limit(fn);
  for (let i = 0; i < n; i++) keep[i] = limit(fn);
  return () => (g.open(), Promise.all([first, ...keep]));
});
row(ACQUIRE, "hand-written semaphore (floor)", (n, keep) => {
  const sem = floorSemaphore(1);
  sem.acquire();
  for (let i = 0; i < n; i++) keep[i] = sem.acquire();
  return async () => {
    for (let i = 0; i <= n; i++) sem.release();
    await Promise.all(keep);
  };
});

function collect(): number {
  gc();
  gc();
  return heapUsed();
}

/** Bytes per pending operation of one row. */
async function measure({ start, count = N }: Row): Promise<number> {
  const keep: unknown[] = new Array(count).fill(undefined);
  const before = collect();
  const settle = await start(count, keep);
  // Let whatever starts asynchronously (a-c-x's spawn, Effection) start.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const after = collect();
  await settle();
  keep.fill(undefined);
  return (after - before) / count;
}

export interface MemoryReport {
  runtime: string;
  rows: { operation: string; name: string; count: number; bytes: number }[];
}

if (typeof gc !== "function") {
  throw new Error(
    "bench/memory.ts needs gc(): node --expose-gc, or deno --v8-flags=--expose-gc",
  );
}
const args: string[] = host.Deno ? host.Deno.args : host.process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : "";
const report: MemoryReport = { runtime: runtime(), rows: [] };
for (const r of rows.filter((r) => `${r.operation} ${r.name}`.includes(only))) {
  const bytes = await measure(r);
  report.rows.push({
    operation: r.operation,
    name: r.name,
    count: r.count ?? N,
    bytes,
  });
}
if (args.includes("--json")) {
  console.log(JSON.stringify(report));
} else {
  console.log(`Bytes per pending operation, ${report.runtime}\n`);
  console.log("| pending operation | implementation | B per op |");
  console.log("| --- | --- | ---: |");
  for (const { operation, name, count, bytes } of report.rows) {
    const note = count === N ? "" : ` (at ${count.toLocaleString("en")})`;
    console.log(`| ${operation} | ${name}${note} | ${Math.round(bytes)} |`);
  }
}
