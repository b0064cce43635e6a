// Runs the test suite in every runtime (or the ones named):
//
//   node tools/matrix/run.mjs [runtime ...] [--files a_test.ts,b_test.ts]
//        [--jobs N] [--test-timeout MS] [--timeout MS] [--summary FILE] [-v]
//
// Runtimes: node (the system Node), node26, bun, chromium, firefox, webkit,
// workerd.
// For each it prints the failures, then `<runtime>: N passed, N failed`.
// A runtime fails when a test fails, an error goes unhandled, it runs zero
// tests, it crashes, or it has not finished within --timeout. Exit code 1 if
// any runtime failed. --summary appends `<runtime> <passed> <failed>` lines.
import { appendFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { buildBundle, discoverTests, root } from "./build.mjs";
import { runtimes } from "./runtimes.mjs";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    files: { type: "string" },
    jobs: { type: "string", default: process.env.MATRIX_JOBS ?? "2" },
    "test-timeout": {
      type: "string",
      default: process.env.MATRIX_TEST_TIMEOUT ?? "20000",
    },
    timeout: {
      type: "string",
      default: process.env.MATRIX_TIMEOUT ?? "150000",
    },
    summary: { type: "string" },
    verbose: { type: "boolean", short: "v", default: false },
  },
});

const selected = positionals.length ? positionals : runtimes.map((r) => r.id);
const unknown = selected.filter((id) => !runtimes.some((r) => r.id === id));
if (unknown.length) {
  console.error(
    `unknown runtime(s): ${unknown.join(", ")}; known: ${
      runtimes.map((r) => r.id).join(", ")
    }`,
  );
  process.exit(2);
}

const files = opts.files
  ? opts.files.split(",").map((f) => relative(root, f))
  : discoverTests();
if (files.length === 0) console.log("matrix: no test files found");
let bundle;
try {
  bundle = await buildBundle(files);
} catch (error) {
  // A test file that does not even bundle fails every runtime.
  console.log(`matrix: bundling the tests failed:\n${error.message}`);
  for (const r of runtimes.filter((r) => selected.includes(r.id))) {
    console.log(`${r.label}: 0 passed, 1 failed`);
    if (opts.summary) appendFileSync(opts.summary, `${r.label} 0 1\n`);
  }
  process.exit(1);
}
console.log(
  `matrix: bundled ${files.length} test files; runtimes: ${
    selected.join(", ")
  }`,
);

/** Reads the harness's event lines into counts and failure reports. */
class Collector {
  passed = 0;
  failed = 0;
  ignored = 0;
  done = false;
  problems = []; // runtime-level failures (crash, timeout, zero tests, ...)
  failures = [];
  log = [];
  lastBegin = null;

  onLine = (line) => {
    if (!line.startsWith("##matrix ")) {
      this.log.push(line);
      return;
    }
    let event;
    try {
      event = JSON.parse(line.slice("##matrix ".length));
    } catch {
      this.log.push(line);
      return;
    }
    if (event.type === "begin") this.lastBegin = event;
    else if (event.type === "test") {
      if (event.status === "passed") this.passed++;
      if (event.status === "ignored") this.ignored++;
      if (event.status === "failed") {
        this.failed++;
        this.failures.push(event);
      }
      if (opts.verbose) {
        console.log(
          `  ${
            event.status.padEnd(7)
          } ${event.origin} > ${event.name} (${event.ms} ms)`,
        );
      }
    } else if (event.type === "done") this.done = true;
    else if (event.type === "fatal") {
      this.problems.push(`failed to load the bundle: ${event.error}`);
    }
  };
}

const indent = (text, pad = "    ") =>
  text.split("\n").slice(0, 20).map((l) => pad + l).join("\n");

async function runOne(runtime) {
  const result = new Collector();
  const limit = Number(opts.timeout);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${limit} ms`)),
    limit,
  );
  const started = Date.now();
  try {
    await runtime.run({
      bundle,
      testTimeout: Number(opts["test-timeout"]),
      onLine: result.onLine,
      log: (line) => result.log.push(line),
      signal: controller.signal,
    });
  } catch (error) {
    result.problems.push(
      controller.signal.aborted
        ? String(controller.signal.reason.message)
        : String(error?.message ?? error),
    );
  } finally {
    clearTimeout(timer);
    controller.abort(new Error("run over")); // let launchers clean up anything left
  }
  if (!result.done && result.problems.length === 0) {
    result.problems.push("the run ended before the harness reported done");
  }
  if (!result.done && result.lastBegin) {
    result.problems.push(
      `last test started: ${result.lastBegin.origin} > ${result.lastBegin.name}`,
    );
  }
  if (result.done && result.passed === 0) {
    result.problems.push("ran zero tests");
  }
  const failed = result.failed + (result.problems.length ? 1 : 0);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const out = [`── ${runtime.label} (${seconds} s, ${result.ignored} ignored)`];
  for (const f of result.failures) {
    out.push(
      `  FAILED ${f.origin} > ${f.name}`,
      ...f.errors.map((e) => indent(e)),
    );
  }
  for (const p of result.problems) out.push(`  RUNTIME FAILURE: ${p}`);
  if (result.problems.length && result.log.length) {
    out.push(
      "  output (last lines):",
      indent(result.log.slice(-15).join("\n")),
    );
  }
  out.push(`${runtime.label}: ${result.passed} passed, ${failed} failed`);
  console.log(out.join("\n"));
  if (opts.summary) {
    appendFileSync(
      opts.summary,
      `${runtime.label} ${result.passed} ${failed}\n`,
    );
  }
  return failed === 0;
}

// A small pool: runtimes are independent processes, so two at a time suits
// a 2-core machine; results print as each runtime finishes.
const queue = runtimes.filter((r) => selected.includes(r.id));
let allOk = true;
const worker = async () => {
  for (let r = queue.shift(); r; r = queue.shift()) {
    allOk = (await runOne(r)) && allOk;
  }
};
await Promise.all(
  Array.from({ length: Math.max(1, Number(opts.jobs)) }, worker),
);
process.exit(allOk ? 0 : 1);
