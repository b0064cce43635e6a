// The benchmark harness shared by every bench/*.bench.ts: the same file runs
// in Deno (from source) and in Node (bundled by esbuild, as an npm user's
// bundler would build the library), so it uses no Deno.bench and no node:
// module. A file registers benchmarks with bench(); main() runs them.
//
// Timing: each round runs every benchmark of a group once, each right after
// a run of the group's baseline, in one process; the ratio of that pair is
// one sample. Pairing adjacent runs cancels most of the drift of a shared,
// noisy machine (other processes, heap growth, CPU frequency), so the
// report gives the median ratio and its spread (min–max) over the rounds,
// with the median time per run and per item.
//
// Run one file: deno run -A --v8-flags=--expose-gc bench/run.ts bench/x.bench.ts

/** One benchmark: a function run once per round. */
export interface Bench {
  /** The table it belongs to; one baseline per group. */
  group: string;
  name: string;
  /** The group's reference (a hand-written floor or the peer to beat). */
  baseline?: boolean;
  /** Work items per run, for the ns/item column. */
  items: number;
  /** Most rounds for this row (a slow peer runs fewer). */
  rounds?: number;
  fn: () => unknown;
}

/** What main() prints as JSON: the samples of every row, per group. */
export interface Report {
  runtime: string;
  groups: {
    group: string;
    items: number;
    rows: {
      name: string;
      baseline: boolean;
      /** ms per run, one per round. */
      times: number[];
      /** This row's time over its paired baseline run's, one per round. */
      ratios: number[];
    }[];
  }[];
}

const registered: Bench[] = [];

/** Registers a benchmark for main(). */
export function bench(options: Bench): void {
  registered.push(options);
}

// At most ROUNDS samples per row; after MIN_ROUNDS a row stops once its
// runs (and its baseline's) have taken BUDGET_MS, so the whole of
// `npm run bench` stays within minutes on a loaded 2-core machine.
const ROUNDS = 7;
const MIN_ROUNDS = 3;
const BUDGET_MS = 1000;
// deno-lint-ignore no-explicit-any
const host = globalThis as any;
const gc: () => void = host.gc ?? (() => {});

/** The runtime's name and version, as the report's heading shows it. */
export function runtime(): string {
  return host.Deno
    ? `Deno ${host.Deno.version.deno} (V8 ${host.Deno.version.v8})`
    : `Node ${host.process.version} (V8 ${host.process.versions.v8}, esbuild bundle)`;
}

async function time(fn: () => unknown): Promise<number> {
  // A collection before each run, so no run pays for garbage left by the
  // one before it (without --expose-gc this does nothing).
  gc();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs every registered benchmark; prints the Report as one JSON line. */
export async function main(): Promise<void> {
  const groups = new Map<string, Bench[]>();
  for (const b of registered) {
    if (!groups.has(b.group)) groups.set(b.group, []);
    groups.get(b.group)!.push(b);
  }
  const report: Report = { runtime: runtime(), groups: [] };
  for (const [group, benches] of groups) {
    const base = benches.find((b) => b.baseline) ?? benches[0];
    const rows = benches.map((b) => ({
      bench: b,
      times: [] as number[],
      ratios: [] as number[],
    }));
    // One warm-up run each, not counted: the first run of a function
    // includes its compilation. A row limited to one round (a peer that
    // takes many seconds per run) skips it.
    for (const { bench } of rows) if (bench.rounds !== 1) await time(bench.fn);
    const baseRow = rows.find((r) => r.bench === base)!;
    for (const row of rows) {
      if (row === baseRow) continue;
      const rounds = row.bench.rounds ?? ROUNDS;
      let spent = 0;
      for (let round = 0; round < rounds; round++) {
        if (round >= MIN_ROUNDS && spent > BUDGET_MS) break;
        const baseTime = await time(base.fn);
        const ownTime = await time(row.bench.fn);
        spent += baseTime + ownTime;
        baseRow.times.push(baseTime);
        row.times.push(ownTime);
        row.ratios.push(ownTime / baseTime);
      }
      log(
        `  ${group} / ${row.bench.name}: ${row.times.length} rounds, ${
          Math.round(spent)
        } ms`,
      );
    }
    report.groups.push({
      group,
      items: base.items,
      rows: rows.map(({ bench, times, ratios }) => ({
        name: bench.name,
        baseline: bench === base,
        times,
        ratios: bench === base ? [1] : ratios,
      })),
    });
  }
  console.log(JSON.stringify(report));
}

function log(message: string): void {
  // stderr in both runtimes, so stdout stays one JSON line.
  console.error(message);
}
