// Runs bench/worker.ts in Node: bundles it and its two workers into
// out/bench/ (Node cannot load the TypeScript sources), then imports it.
//   node bench/worker_node.mjs
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
const outdir = join(here, "..", "out", "bench");
await build({
  entryPoints: ["worker.ts", "_worker_raw.ts", "_worker_pool_worker.ts"].map(
    (name) => join(here, name),
  ),
  outdir,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  logLevel: "warning",
});
await import(pathToFileURL(join(outdir, "worker.js")).href);
