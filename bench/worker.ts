// WorkerPool overhead and throughput, in Deno and Node:
//
//   node_modules/.bin/deno run --allow-read bench/worker.ts
//   node bench/worker_node.mjs            (bundles this file for Node first)
//
// 1. Per-run overhead: sequential round trips of a trivial message through
//    pool.run("echo", i) vs a hand-written postMessage/onmessage round trip
//    (the floor). Target: at most 1.3x the floor.
// 2. Throughput of a CPU-bound handler at limit 1 and 2 (2 cores here).
// Prints the median of several rounds and the spread (min..max).
import { type WorkerLike, WorkerPool } from "../src/worker/mod.ts";

// Deno runs the .ts files; for Node, worker_node.mjs bundles them into .js
// files side by side in out/bench/.
const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const NodeWorker = typeof g.Worker === "function"
  ? undefined
  : g.process.getBuiltinModule("node:worker_threads").Worker;

function start(name: string): WorkerLike {
  const url = new URL(`./${name}${ext}`, import.meta.url);
  return NodeWorker
    ? new NodeWorker(url)
    : new Worker(url, { type: "module" }) as unknown as WorkerLike;
}

/** A raw worker's request/response, by hand: one listener, one resolver. */
function rawClient(worker: WorkerLike) {
  let resolve: (value: unknown) => void = () => {};
  const hear = (data: unknown) => resolve(data);
  if (worker.addEventListener) {
    worker.addEventListener("message", (e: MessageEvent) => hear(e.data));
  } else worker.on!("message", hear);
  return (message: unknown) =>
    new Promise((r) => {
      resolve = r;
      worker.postMessage(message);
    });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const spread = (xs: number[], digits = 1) =>
  `${Math.min(...xs).toFixed(digits)}..${Math.max(...xs).toFixed(digits)}`;

async function rounds(n: number, fn: () => Promise<number>) {
  const results: number[] = [];
  for (let i = 0; i < n; i++) results.push(await fn());
  return results;
}

const N = 5_000;
const runtime = g.Deno
  ? `Deno ${g.Deno.version.deno}`
  : `Node ${g.process.version}`;
console.log(
  `${runtime}: ${N} sequential round trips per round, 9 interleaved rounds`,
);

// --- 1. per-run overhead
const raw = start("_worker_raw");
const ask = rawClient(raw);
await ask(["echo", 0]); // started
const pool = new WorkerPool({
  create: () => start("_worker_pool_worker"),
  limit: 1,
});
await pool.run("echo", 0); // started
const controller = new AbortController();
const perRun = async (fn: (i: number) => Promise<unknown>) => {
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  return ((performance.now() - t) / N) * 1000;
};
// Interleaved rounds, so a busy machine's drift hits all three alike; the
// ratio is taken round by round.
const floor: number[] = [], pooled: number[] = [], withSignal: number[] = [];
for (let round = 0; round < 9; round++) {
  floor.push(await perRun((i) => ask(["echo", i])));
  pooled.push(await perRun((i) => pool.run("echo", i)));
  withSignal.push(
    await perRun((i) => pool.run("echo", i, { signal: controller.signal })),
  );
}
const ratios = (xs: number[]) => xs.map((x, i) => x / floor[i]);
const row = (label: string, xs: number[]) =>
  console.log(
    `  ${label.padEnd(32)} ${median(xs).toFixed(1)} µs/run  (${spread(xs)})${
      xs === floor
        ? ""
        : `  ${median(ratios(xs)).toFixed(2)}x the floor (${
          spread(ratios(xs), 2)
        })`
    }`,
  );
row("postMessage round trip (floor)", floor);
row('pool.run("echo", i)', pooled);
row("pool.run(..., { signal })", withSignal);
await pool.close();
await raw.terminate();

// --- 2. throughput of CPU-bound work
const JOBS = 8;
const WORK = 20_000_000;
for (const limit of [1, 2]) {
  const cpu = new WorkerPool({
    create: () => start("_worker_pool_worker"),
    limit,
  });
  await Promise.all(Array.from({ length: limit }, () => cpu.run("echo", 0)));
  const rates = await rounds(3, async () => {
    const t = performance.now();
    await Promise.all(
      Array.from({ length: JOBS }, () => cpu.run("spin", WORK)),
    );
    return JOBS / ((performance.now() - t) / 1000);
  });
  console.log(
    `  CPU-bound (${JOBS} x ${WORK / 1e6}M rounds), limit ${limit}: ${
      median(rates).toFixed(2)
    } jobs/s  (${spread(rates)})`,
  );
  await cpu.close();
}
