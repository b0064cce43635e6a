// npm compatibility, tested as a Node user would meet the package:
//
//   node tools/npm_compat/run.mjs [--summary FILE]
//
// builds the npm package (build.mjs), `npm pack`s it, installs the tarball
// offline into a scratch project in a temp dir, then checks that: the
// tarball ships the README and LICENSE, unchanged once installed; the
// emitted JS imports nothing but relative modules; every subpath in
// `exports` loads on this Node; a TypeScript consumer (consumer.ts) and the
// type-level tests (tests/types_test.ts) type-check with tsc against the
// .d.ts; and the compiled consumer's runtime checks pass. Prints `npm-compat: N passed, N failed`.
import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { transformSync } from "esbuild";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildPackage, npmDir, root, SHIPPED_DOCS } from "./build.mjs";

const { values: opts } = parseArgs({
  options: { summary: { type: "string" } },
});
const here = join(root, "tools", "npm_compat");
const tsc = join(root, "node_modules", ".bin", "tsc");
const LIMIT = 60_000; // every child process is bounded in time

let passed = 0;
let failed = 0;
const pass = (name) => {
  passed++;
  console.log(`  ok ${name}`);
};
const fail = (name, detail = "") => {
  failed++;
  console.log(
    `  FAILED ${name}${
      detail
        ? "\n" +
          detail.trim().split("\n").slice(0, 30).map((l) => "    " + l).join(
            "\n",
          )
        : ""
    }`,
  );
};
const run = (command, args, cwd) =>
  spawnSync(command, args, { cwd, encoding: "utf8", timeout: LIMIT });
const output = (r) =>
  `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;

function finish() {
  console.log(`npm-compat: ${passed} passed, ${failed} failed`);
  if (opts.summary) {
    appendFileSync(opts.summary, `npm-compat ${passed} ${failed}\n`);
  }
  process.exit(failed ? 1 : 0);
}

const scratch = mkdtempSync(join(tmpdir(), "seed-async-npm-"));
try {
  // 1. Build and pack.
  let exportsMap;
  let tarball;
  let packInfo;
  try {
    const built = buildPackage();
    exportsMap = built.exports;
    const packed = execFileSync("npm", [
      "pack",
      "--json",
      "--pack-destination",
      npmDir,
    ], {
      cwd: built.pkgDir,
      encoding: "utf8",
      timeout: LIMIT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    packInfo = JSON.parse(packed)[0];
    tarball = join(npmDir, packInfo.filename);
    pass(`build and npm pack (${packInfo.entryCount} files)`);
  } catch (error) {
    fail(
      "build and npm pack",
      String(error.stderr ?? "") + String(error.message),
    );
    finish();
  }

  // The tarball ships the README and LICENSE; step 3 checks they arrive
  // unchanged.
  const packed = new Set(packInfo.files.map((f) => f.path));
  const missing = SHIPPED_DOCS.filter((file) => !packed.has(file));
  if (missing.length) fail("the tarball ships " + missing.join(" and "));
  else pass(`the tarball ships ${SHIPPED_DOCS.join(" and ")}`);

  // 2. The JS is self-contained: relative `.js` imports only, no `.ts` left.
  const bad = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".js")) {
        // Comments (JSDoc examples import "@seed/async" and chai) don't count.
        const { code } = transformSync(readFileSync(path, "utf8"), {
          minifyWhitespace: true,
          legalComments: "none",
        });
        for (
          const [, spec] of code.matchAll(
            /(?:from|import)\s*\(?\s*["']([^"']+)["']/g,
          )
        ) {
          if (!spec.startsWith(".") || !spec.endsWith(".js")) {
            bad.push(`${path.slice(npmDir.length + 1)}: ${spec}`);
          }
        }
      }
    }
  };
  walk(join(npmDir, "package"));
  if (bad.length) {
    fail("emitted JS imports only relative .js modules", bad.join("\n"));
  } else {pass(
      "emitted JS imports only relative .js modules (zero dependencies)",
    );}

  // 3. Install the tarball offline into a scratch project.
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const install = run("npm", [
    "install",
    tarball,
    "--offline",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
  ], scratch);
  if (install.status !== 0) {
    fail("npm install <tarball> (offline)", output(install));
    finish();
  }
  pass("npm install <tarball> (offline) into a scratch project");
  const changed = SHIPPED_DOCS.filter((file) => {
    try {
      return !readFileSync(
        join(scratch, "node_modules", "@seed", "async", file),
      )
        .equals(readFileSync(join(root, file)));
    } catch {
      return true;
    }
  });
  if (changed.length) {
    fail(`installed package has the repository's ${changed.join(" and ")}`);
  } else {
    pass(
      `installed package has the repository's ${SHIPPED_DOCS.join(" and ")}`,
    );
  }

  // 4. Every subpath loads on this Node.
  const specs = Object.keys(exportsMap).map((p) => "@seed/async" + p.slice(1));
  const load = run(process.execPath, [
    "--input-type=module",
    "-e",
    `for (const s of ${
      JSON.stringify(specs)
    }) { const m = await import(s); if (!Object.keys(m).length && s !== "@seed/async") console.log("note: " + s + " exports nothing yet"); }`,
  ], scratch);
  if (load.status === 0) {
    pass(
      `every export loads on Node ${process.versions.node} (${
        specs.join(", ")
      })${load.stdout ? "\n" + load.stdout.trim() : ""}`,
    );
  } else {fail(
      `every export loads on Node ${process.versions.node}`,
      output(load),
    );}

  // 5. A TypeScript consumer type-checks against the .d.ts (tsc emits anyway).
  copyFileSync(join(here, "consumer.ts"), join(scratch, "consumer.ts"));
  copyFileSync(
    join(here, "tsconfig.consumer.json"),
    join(scratch, "tsconfig.json"),
  );
  const typecheck = run(tsc, ["-p", "tsconfig.json"], scratch);
  if (typecheck.status === 0) {
    pass("tsc type-checks consumer.ts against the package's .d.ts");
  } else {fail(
      "tsc type-checks consumer.ts against the package's .d.ts",
      output(typecheck),
    );}

  // 5b. The type-level tests (tests/types_test.ts) hold for an npm user too:
  // the same file, importing the package instead of src/, under tsc.
  const typesTest = readFileSync(join(root, "tests", "types_test.ts"), "utf8")
    .replace(/"\.\.\/src\/([a-z]+)\/mod\.ts"/g, '"@seed/async/$1"')
    .replace(/"\.\.\/mod\.ts"/g, '"@seed/async"');
  writeFileSync(join(scratch, "types_test.ts"), typesTest);
  copyFileSync(join(here, "types_shim.d.ts"), join(scratch, "types_shim.d.ts"));
  copyFileSync(
    join(here, "tsconfig.types.json"),
    join(scratch, "tsconfig.types.json"),
  );
  const typeTests = run(tsc, ["-p", "tsconfig.types.json"], scratch);
  if (typeTests.status === 0 && !typesTest.includes("../src/")) {
    pass("tsc type-checks tests/types_test.ts against the package's .d.ts");
  } else {fail(
      "tsc type-checks tests/types_test.ts against the package's .d.ts",
      output(typeTests),
    );}

  // 6. The compiled consumer runs on Node: one result line per check.
  const consumer = run(process.execPath, ["dist/consumer.js"], scratch);
  let checks = 0;
  for (const line of (consumer.stdout ?? "").split("\n")) {
    if (!line.startsWith("##check ")) continue;
    const result = JSON.parse(line.slice("##check ".length));
    checks++;
    if (result.ok) pass(`consumer: ${result.name}`);
    else fail(`consumer: ${result.name}`, result.error);
  }
  if (consumer.status !== 0 || checks === 0) {
    fail("consumer ran to the end", output(consumer));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
finish();
