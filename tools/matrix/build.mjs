// Finds the test files and bundles them, with the harness, into one ES module
// every runtime can load: out/matrix/bundle.js exports `run` and
// `reportUncaught` (see harness.js). Worker entry files the tests start
// (tests/**/_*worker.js) are bundled on their own beside it, under the same
// path: tests/worker/_worker.js becomes out/matrix/tests/worker/_worker.js.
import { build } from "esbuild";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const outDir = join(root, "out", "matrix");
const harness = fileURLToPath(new URL("./harness.js", import.meta.url));

// Deno's own test-file pattern: test.ts, *_test.ts, *.test.ts (and js/mts/...).
const TEST_FILE = /(^|[._])test\.(ts|tsx|mts|js|mjs|jsx)$/;
const TEST_DIRS = ["tests", "src"];
const WORKER_ENTRY = /^_\w*worker\.js$/;

/** Test files under tests/ and src/, relative to the repo root, sorted. */
export function discoverTests(pattern = TEST_FILE) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (pattern.test(name)) found.push(relative(root, path));
    }
  };
  for (const dir of TEST_DIRS) walk(join(root, dir));
  return found.sort();
}

/** Bundles the harness and `files`; returns the bundle's path. */
export async function buildBundle(files = discoverTests()) {
  // The entry marks each file before importing it, so every test knows its
  // origin; ES module evaluation follows import order.
  const lines = [
    `export { run, reportUncaught } from ${JSON.stringify(harness)};`,
  ];
  for (const file of files) {
    lines.push(`import "matrix-origin:${file}";`);
    lines.push(`import ${JSON.stringify("./" + file.replaceAll("\\", "/"))};`);
  }
  const origin = {
    name: "matrix-origin",
    setup(b) {
      b.onResolve(
        { filter: /^matrix-origin:/ },
        (args) => ({ path: args.path, namespace: "matrix-origin" }),
      );
      b.onLoad({ filter: /.*/, namespace: "matrix-origin" }, (args) => ({
        contents: `import { setFile } from ${JSON.stringify(harness)};\n` +
          `setFile(${
            JSON.stringify(args.path.slice("matrix-origin:".length))
          });`,
        loader: "js",
        resolveDir: root,
      }));
    },
  };
  const outfile = join(outDir, "bundle.js");
  await build({
    stdin: {
      contents: lines.join("\n"),
      resolveDir: root,
      sourcefile: "matrix-entry.js",
      loader: "js",
    },
    bundle: true,
    format: "esm",
    platform: "browser", // web-platform only; also right for Node, Bun, workerd
    target: "es2022", // lowers `using` / `await using` for Node 20 and friends
    inject: [harness], // the free identifier `Deno` becomes the harness's shim
    outfile,
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [origin],
  });
  await build({
    entryPoints: discoverTests(WORKER_ENTRY),
    outbase: root,
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "linked",
    logLevel: "warning",
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = discoverTests();
  const out = await buildBundle(files);
  console.log(`bundled ${files.length} test files into ${relative(root, out)}`);
}
