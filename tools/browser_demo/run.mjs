// The browser demo's test: bundles examples/browser/ with esbuild into
// out/browser-demo/, serves it on 127.0.0.1, drives it in headless Chromium
// (playwright-core) through three runs, and saves a screenshot.
//
//   node tools/browser_demo/run.mjs [--summary FILE]   the test; prints
//       `browser-demo: N passed, N failed` (FILE gets `browser-demo N N`)
//   node tools/browser_demo/run.mjs --serve            build and serve the
//       page for a person to try (up to 30 minutes, or until Ctrl-C)
//
// Scenarios: (a) "Fail a task" mid-run: one failed, siblings cancelled;
// (b) "Cancel group" mid-run; (c) a run with a short per-task timeout;
// (d) the live task tree (enableInspector) shows the running, waiting and
// queued tasks; (e) "Block the loop" is flagged as a stall (watchEventLoop).
import { build } from "esbuild";
import { launchChromium } from "../lib/chromium.mjs";
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const source = join(root, "examples", "browser");
const outDir = join(root, "out", "browser-demo");
const screenshot = join(root, "out", "browser-demo.png");
const args = process.argv.slice(2);
const summaryFile = args[0] === "--summary" ? args[1] : undefined;

/** Resolves `@seed/async` and its subpaths from deno.json's exports. */
const seedAsync = {
  name: "seed-async",
  setup(b) {
    const { name, exports } = JSON.parse(
      readFileSync(join(root, "deno.json"), "utf8"),
    );
    b.onResolve({ filter: /^@seed\/async(\/|$)/ }, (args) => {
      const key = "." + args.path.slice(name.length);
      const target = exports[key];
      if (!target) return { errors: [{ text: `no export ${args.path}` }] };
      return { path: join(root, target) };
    });
  },
};

/** Bundles the page into out/browser-demo/ (index.html + main.js). */
export async function buildDemo() {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(source, "main.ts")],
    bundle: true,
    format: "iife", // a classic script: also works from file://
    platform: "browser",
    target: "es2022", // lowers `using`
    outfile: join(outDir, "main.js"),
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [seedAsync],
  });
  copyFileSync(join(source, "index.html"), join(outDir, "index.html"));
}

/** Serves out/browser-demo/ on 127.0.0.1; resolves with its URL and close(). */
async function serve() {
  const types = {
    html: "text/html",
    js: "text/javascript",
    map: "application/json",
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const name = path === "/" ? "index.html" : path.slice(1);
    if (!/^[\w.-]+$/.test(name)) return res.writeHead(404).end();
    let body;
    try {
      body = readFileSync(join(outDir, name));
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, {
      "content-type": types[name.split(".").pop()] ??
        "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// ------------------------------------------------------------------ test

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `: ${detail}`}`);
}

/** Reads the latest run's status and counts from the DOM. */
function readCounts(page) {
  return page.evaluate(() => {
    const status = document.getElementById("status");
    const counts = document.getElementById("counts");
    const n = (key) => Number(counts.dataset[key] ?? NaN);
    return {
      run: Number(status.dataset.run),
      state: status.dataset.state,
      done: n("done"),
      failed: n("failed"),
      cancelled: n("cancelled"),
      notStarted: n("notStarted"),
      timedOut: n("timedOut"),
      running: n("running"),
      queued: n("queued"),
      durations: [...document.querySelectorAll(
        `.run[data-run="${status.dataset.run}"] .bar`,
      )].map((bar) => Number(bar.dataset.duration)),
    };
  });
}

const WAIT = { timeout: 15_000, polling: 50 };

/** Sets the inputs, clicks Start, and waits for run `id` to be running. */
async function start(page, id, { tasks = 10, limit = 4, timeout = 5000 } = {}) {
  await page.fill("#tasks", String(tasks));
  await page.fill("#limit", String(limit));
  await page.fill("#timeout", String(timeout));
  await page.click("#start");
  await page.waitForFunction(
    (id) => document.getElementById("status").dataset.run === String(id),
    id,
    WAIT,
  );
}

const settled = (page, id) =>
  page.waitForFunction(
    (id) => {
      const status = document.getElementById("status");
      return status.dataset.run === String(id) &&
        status.dataset.state !== "running";
    },
    id,
    WAIT,
  );

const doneAtLeast = (page, n) =>
  page.waitForFunction(
    (n) => Number(document.getElementById("counts").dataset.done) >= n,
    n,
    WAIT,
  );

async function scenario(name, fn) {
  try {
    await fn();
  } catch (error) {
    check(name, false, error?.message?.split("\n")[0] ?? String(error));
  }
}

async function test() {
  await buildDemo();
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), "browser-demo-profile-"));
  let context;
  const pageErrors = [];
  try {
    context = await launchChromium(profile, {
      viewport: { width: 1100, height: 1000 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") pageErrors.push(msg.text());
    });
    await page.goto(server.url);
    console.log(`browser: chromium ${context.browser()?.version() ?? ""}`);
    check("page loads idle", (await readCounts(page)).run === 0);

    await scenario("(a) a failed task cancels its siblings", async () => {
      await start(page, 1);
      await doneAtLeast(page, 1); // some finished, some running, some queued
      await page.click("#fail");
      await settled(page, 1);
      const c = await readCounts(page);
      const total = c.done + c.failed + c.cancelled + c.notStarted + c.timedOut;
      check(
        "(a) a failed task cancels its siblings",
        c.state === "failed" && c.failed === 1 && c.done >= 1 &&
          c.cancelled >= 1 && c.notStarted >= 1 && c.timedOut === 0 &&
          c.running === 0 && c.queued === 0 && total === 10,
        JSON.stringify(c),
      );
    });

    await scenario("(b) Cancel group cancels every task", async () => {
      await start(page, 2);
      await doneAtLeast(page, 1);
      await page.click("#cancel");
      await settled(page, 2);
      const c = await readCounts(page);
      check(
        "(b) Cancel group cancels every task",
        c.state === "cancelled" && c.failed === 0 && c.done >= 1 &&
          c.cancelled >= 1 && c.timedOut === 0 && c.running === 0 &&
          c.done + c.cancelled + c.notStarted === 10,
        JSON.stringify(c),
      );
    });

    await scenario("(c) slow tasks time out, the group completes", async () => {
      const timeout = 1000;
      await start(page, 3, { timeout });
      await settled(page, 3);
      const c = await readCounts(page);
      const slow = c.durations.filter((d) => d > timeout).length;
      check(
        "(c) slow tasks time out, the group completes",
        c.state === "done" && slow > 0 && c.timedOut === slow &&
          c.done === 10 - slow && c.failed === 0 && c.cancelled === 0 &&
          c.notStarted === 0,
        JSON.stringify({ ...c, expectedTimeouts: slow }),
      );
    });

    await scenario("(d) the task tree shows what runs and waits", async () => {
      await start(page, 4, { tasks: 10, limit: 3 });
      await page.waitForFunction(
        () => {
          const tree = document.getElementById("tree").dataset;
          return Number(tree.waiting) >= 1 && Number(tree.queued) >= 1;
        },
        null,
        WAIT,
      );
      const tree = await page.evaluate(() =>
        [...document.getElementById("tree").children]
          .map((line) => line.textContent).join("\n")
      );
      check(
        "(d) the task tree shows what runs and waits",
        /^group "run 4" #\d+ running/m.test(tree) &&
          /[├└]─ task "task \d+" #\d+ running/.test(tree) &&
          /scope #\d+ waiting \d+ms on sleep for \d+ms/.test(tree) &&
          /[├└]─ task "task \d+" #\d+ queued/.test(tree),
        tree.slice(0, 600),
      );
      await page.screenshot({ path: screenshot, fullPage: true });
      await page.click("#cancel");
      await settled(page, 4);
    });

    await scenario("(e) blocking the loop is flagged as a stall", async () => {
      const stalls = () =>
        page.evaluate(() => {
          const list = document.getElementById("stalls");
          return {
            count: Number(list.dataset.count),
            ms: Number(list.firstElementChild?.dataset.ms),
          };
        });
      const before = (await stalls()).count;
      await page.click("#block");
      await page.waitForFunction(
        (n) => Number(document.getElementById("stalls").dataset.count) > n,
        before,
        WAIT,
      );
      const after = await stalls();
      check(
        "(e) blocking the loop is flagged as a stall",
        after.count > before && after.ms >= 100,
        JSON.stringify({ before, after }),
      );
    });

    console.log(`screenshot: ${screenshot.slice(root.length)} (run 4, live)`);
    check("no page errors", pageErrors.length === 0, pageErrors.join("; "));
  } finally {
    await Promise.race([
      context?.close().catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, 5000).unref()),
    ]);
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (args[0] === "--serve") {
  await buildDemo();
  const server = await serve();
  console.log(`browser demo: ${server.url} (Ctrl-C to stop)`);
  const stop = () => {
    server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  setTimeout(stop, 30 * 60_000).unref();
} else {
  // Everything is bounded: a hung browser fails the step, it does not hang it.
  const watchdog = setTimeout(() => {
    console.log("browser-demo: timed out after 120 s");
    failed++;
    finishTest();
  }, 120_000);
  try {
    await test();
  } catch (error) {
    check("browser demo", false, error?.stack ?? String(error));
  }
  clearTimeout(watchdog);
  finishTest();
}

/** Prints and records the counts once, then exits. */
function finishTest() {
  console.log(`browser-demo: ${passed} passed, ${failed} failed`);
  if (summaryFile) {
    appendFileSync(summaryFile, `browser-demo ${passed} ${failed}\n`);
  }
  process.exit(failed > 0 ? 1 : 0);
}
