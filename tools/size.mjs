// Bundle-size report (`deno task size` or `npm run size`): what each import
// costs a user's bundle, minified (esbuild) and gzipped, next to the npm
// peers, measured in the same run. Exits 1 when an entry is over its budget.
// Single imports come from the package root ("@seed/async"), so the numbers
// also show that tree-shaking drops everything not imported.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const mod = JSON.stringify(`${root}mod.ts`);

const entries = [
  {
    name: "@seed/async (everything)",
    code: `export * from ${mod};`,
    budget: 8192,
  },
  {
    name: "{ sleep }",
    code: `export { sleep } from ${mod};`,
    budget: 400,
    needs: "sleep",
  },
  {
    name: "{ TaskGroup }",
    code: `export { TaskGroup } from ${mod};`,
    budget: 1536,
    needs: "TaskGroup",
  },
  {
    name: "{ Semaphore }",
    code: `export { Semaphore } from ${mod};`,
    needs: "Semaphore",
  },
  { name: "{ map }", code: `export { map } from ${mod};`, needs: "map" },
  {
    name: "{ WorkerPool }",
    code: `export { WorkerPool } from ${mod};`,
    needs: "WorkerPool",
  },
  {
    name: "{ serve } (a worker module)",
    code: `export { serve } from ${mod};`,
    needs: "serve",
  },
  { name: "p-limit (peer)", code: `export { default } from "p-limit";` },
  { name: "p-map (peer)", code: `export { default } from "p-map";` },
  { name: "delay (peer)", code: `export { default } from "delay";` },
];

// What a bundler would do if the package declared `"sideEffects": false`:
// modules none of whose exports are used are dropped whole.
const noSideEffects = {
  name: "no-side-effects",
  setup(b) {
    b.onResolve({ filter: /^\.{0,2}\// }, (args) => {
      if (args.kind === "entry-point" || args.namespace !== "file") return;
      const path = new URL(args.path, `file://${args.resolveDir}/`).pathname;
      return path.startsWith(`${root}src/`)
        ? { path, sideEffects: false }
        : undefined;
    });
  },
};

async function measure(code, plugins = []) {
  const result = await build({
    plugins,
    stdin: { contents: code, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}

const rows = [];
let over = 0;
for (const entry of entries) {
  let size, hinted;
  try {
    size = await measure(entry.code);
    hinted = entry.name.includes("peer")
      ? undefined
      : await measure(entry.code, [noSideEffects]);
  } catch (error) {
    const missing = entry.needs &&
      /No matching export/.test(String(error.message));
    rows.push([
      entry.name,
      "-",
      "-",
      "-",
      entry.budget ? `${entry.budget}` : "",
      missing
        ? "skipped: not exported yet"
        : "ERROR: " + String(error.message).split("\n")[0],
    ]);
    if (!missing) over++;
    continue;
  }
  const ok = entry.budget === undefined || size.gz <= entry.budget;
  // JSR's npm package.json declares no sideEffects, so users get the first
  // number: it must match the hinted one (modulo module order) or some module
  // has a top-level side effect that keeps unused code alive.
  const shaken = !hinted || size.min <= hinted.min * 1.01 + 16;
  if (!ok || !shaken) over++;
  rows.push([
    entry.name,
    `${size.min}`,
    `${size.gz}`,
    hinted ? `${hinted.gz}` : "",
    entry.budget ? `${entry.budget}` : "",
    [
      entry.budget ? (ok ? "ok" : "OVER BUDGET") : "",
      shaken ? "" : "NOT TREE-SHAKEN (see the sideEffects:false column)",
    ].filter(Boolean).join(", "),
  ]);
}

const header = [
  "import",
  "min B",
  "min+gz B",
  "gz if sideEffects:false",
  "budget gz B",
  "status",
];
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => r[i].length))
);
const line = (cells) =>
  cells.map((
    c,
    i,
  ) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(
    "  ",
  ).trimEnd();
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
rows.forEach((r) => console.log(line(r)));
console.log(
  over
    ? `size: ${over} entr${over === 1 ? "y" : "ies"} over budget or failed`
    : "size: every budget met",
);
process.exit(over ? 1 : 0);
