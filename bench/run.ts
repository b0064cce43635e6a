// Runs the benchmark files named on the command line in Deno and prints
// their report as one JSON line (tools/bench_report.mjs formats it):
//   deno run -A --v8-flags=--expose-gc bench/run.ts bench/tasks_spawn.bench.ts
// Node runs the same files bundled by esbuild (see tools/bench_report.mjs).
import { main } from "./_harness.ts";

for (const file of Deno.args) {
  await import(new URL(file, `file://${Deno.cwd()}/`).href);
}
await main();
