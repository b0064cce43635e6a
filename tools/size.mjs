// Bundle-size report (`npm run size`): what each import costs a user's
// bundle, minified (esbuild) and gzipped, before (a git ref, `main` unless
// `--before REF` says otherwise) and after (the working tree), next to the
// npm peers measured in the same run. Budgets are reported, not enforced:
// the command exits 0. `--check` exits 1 when an import is not tree-shaken
// (the gate in tools/gates.sh), the one property a size change can break.
//
// Areas come from deno.json's exports, so a new area is measured without
// editing this file. Single imports come from the package root
// ("@seed/async"), so their numbers also show that tree-shaking drops
// everything not imported.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const check = args.includes("--check");
const beforeRef = args.includes("--before")
  ? args[args.indexOf("--before") + 1]
  : "main";

const KB = 1024;
// The areas the issue-11 budget of 12 KB covers together.
const CORE = ["cancel", "tasks", "sync", "dispose", "iter"];
const singles = [
  { name: "sleep", budget: 600 },
  { name: "TaskGroup", budget: 2 * KB },
  { name: "Semaphore", budget: 1.2 * KB },
  { name: "map", budget: 2.5 * KB },
  { name: "WorkerPool" },
  { name: "serve" }, // what a worker module bundles
  { name: "enableInspector" },
];
// A peer's default export, or `*` for a toolkit measured whole.
const peers = [
  ["p-limit", "default"],
  ["p-map", "default"],
  ["delay", "default"],
  ["abort-controller-x", "*"],
];

/** `{ area: path }` for every export of deno.json under `dir` but the root. */
function areas(dir) {
  const { exports } = JSON.parse(readFileSync(`${dir}deno.json`, "utf8"));
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== ".")
      .map(([key, path]) => [key.slice(2), `${dir}${path.slice(2)}`]),
  );
}

/** Entry modules for the tree at `dir`: name → source. */
function entries(dir) {
  const found = areas(dir);
  const mod = JSON.stringify(`${dir}mod.ts`);
  // Namespaces, not `export *`: two areas may export the same name.
  const all = (names) =>
    names.map((n, i) => `import * as a${i} from ${JSON.stringify(found[n])};`)
      .join("") + `export { ${names.map((_, i) => `a${i}`).join(", ")} };`;
  const list = new Map([["@seed/async (mod.ts)", `export * from ${mod};`]]);
  const core = CORE.filter((n) => n in found);
  list.set(`core areas (${core.join(", ")})`, all(core));
  for (const name of Object.keys(found)) {
    list.set(`@seed/async/${name}`, all([name]));
  }
  for (const { name } of singles) {
    list.set(`{ ${name} }`, `export { ${name} } from ${mod};`);
  }
  return list;
}

const budgets = new Map([
  [`core areas (${CORE.join(", ")})`, 12 * KB],
  ...singles.filter(({ budget }) => budget)
    .map(({ name, budget }) => [`{ ${name} }`, Math.round(budget)]),
]);

// What a bundler would do if the package declared `"sideEffects": false`:
// modules none of whose exports are used are dropped whole.
const noSideEffects = (dir) => ({
  name: "no-side-effects",
  setup(b) {
    b.onResolve({ filter: /^\.{0,2}\// }, (args) => {
      if (args.kind === "entry-point" || args.namespace !== "file") return;
      const path = new URL(args.path, `file://${args.resolveDir}/`).pathname;
      return path.startsWith(`${dir}src/`)
        ? { path, sideEffects: false }
        : undefined;
    });
  },
});

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

/** The sizes of `code`, or why there are none ("-" if not exported). */
async function tryMeasure(code, plugins) {
  try {
    return await measure(code, plugins);
  } catch (error) {
    const message = String(error.message);
    if (/No matching export|Could not resolve/.test(message)) return undefined;
    throw error;
  }
}

/** The tree at `ref` in a scratch directory, or undefined without git. */
function checkout(ref) {
  const dir = `${root}.cache/size-before/`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const tar = execFileSync(
      "git",
      ["archive", ref, "mod.ts", "deno.json", "src"],
      {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    return dir;
  } catch {
    return undefined;
  }
}

const beforeDir = checkout(beforeRef);
const before = beforeDir ? entries(beforeDir) : new Map();
const after = entries(root);

const rows = [];
let unshaken = 0;
for (const [name, code] of after) {
  const now = await tryMeasure(code);
  const hinted = now && await tryMeasure(code, [noSideEffects(root)]);
  const then = before.has(name)
    ? await tryMeasure(before.get(name))
    : undefined;
  const budget = budgets.get(name);
  // JSR's npm package.json declares no sideEffects, so users get the first
  // number: it must match the hinted one (modulo module order) or some module
  // has a top-level side effect that keeps unused code alive.
  const shaken = !now || now.min <= hinted.min * 1.01 + 16;
  if (!shaken) unshaken++;
  rows.push([
    name,
    then ? `${then.gz}` : "-",
    now ? `${now.min}` : "-",
    now ? `${now.gz}` : "-",
    now && then ? signed(now.gz - then.gz) : "",
    budget ? `${budget}` : "",
    [
      !now ? "not exported" : "",
      budget && now
        ? (now.gz <= budget ? "ok" : `over by ${now.gz - budget}`)
        : "",
      shaken ? "" : "NOT TREE-SHAKEN (gz with sideEffects:false: " +
        `${hinted.gz})`,
    ].filter(Boolean).join(", "),
  ]);
}
for (const [peer, what] of peers) {
  const now = await tryMeasure(
    what === "*"
      ? `export * from "${peer}";`
      : `export { ${what} } from "${peer}";`,
  );
  rows.push([
    `${peer} (peer)`,
    "",
    now ? `${now.min}` : "-",
    now ? `${now.gz}` : "-",
    "",
    "",
    now ? "" : "not installed",
  ]);
}

function signed(n) {
  return n > 0 ? `+${n}` : `${n}`;
}

const header = [
  "import",
  `gz B (${beforeDir ? beforeRef : "no git"})`,
  "min B",
  "gz B",
  "change",
  "budget gz B",
  "status",
];
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => r[i].length))
);
const last = header.length - 1;
const line = (cells) =>
  cells.map((c, i) =>
    i === 0 || i === last ? c.padEnd(widths[i]) : c.padStart(widths[i])
  ).join("  ").trimEnd();
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
rows.forEach((r) => console.log(line(r)));
const over = rows.filter((r) => r[last].includes("over by")).length;
console.log(
  `size: ${
    over ? `${over} over budget (reported, not enforced)` : "every budget met"
  }` +
    (unshaken ? `; ${unshaken} NOT TREE-SHAKEN` : ""),
);
process.exit(check && unshaken ? 1 : 0);
