// How the matrix drives WebKit: Debian's WebKitGTK MiniBrowser on a private
// Xvfb display (MiniBrowser has no headless mode), through WebKitWebDriver,
// spoken to in plain W3C WebDriver over loopback HTTP. Every wait is bounded
// in time, and `close()` stops both processes by PID on every path.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

export const webkitDriverPath = process.env.MATRIX_WEBKIT_DRIVER ??
  "/usr/bin/WebKitWebDriver";
export const miniBrowserPath = process.env.MATRIX_MINIBROWSER ??
  "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
export const xvfbPath = process.env.MATRIX_XVFB ?? "/usr/bin/Xvfb";

const START_LIMIT = 30_000; // display, driver and session each get this long
const REQUEST_LIMIT = 30_000;
const STOP_LIMIT = 1_500; // inBrowser waits 5 s for a close()

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Rejects after `ms` (or on `signal`) unless `promise` settles first. */
function within(promise, ms, what, signal) {
  let timer;
  let onAbort;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${ms} ms`)),
        ms,
      );
      onAbort = () => reject(signal.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  ]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  });
}

/**
 * Spawns `command` as the leader of its own process group, so that stopping
 * it also stops what it started (the driver's MiniBrowser and web processes).
 */
function start(
  command,
  args,
  { env, log, stdio = ["ignore", "pipe", "pipe"] },
) {
  if (!existsSync(command)) {
    throw new Error(
      `${command} is not installed (tools/install.sh installs it)`,
    );
  }
  const child = spawn(command, args, { env, stdio, detached: true });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.on("error", (error) => log(`${command}: ${error.message}`));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (text) => text.trimEnd() && log(text.trimEnd()));
  }
  const signalGroup = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  return {
    child,
    exited,
    /** SIGTERM to the group, SIGKILL if it has not exited in time. */
    async stop() {
      if (child.pid === undefined || child.exitCode !== null) return;
      signalGroup("SIGTERM");
      await within(exited, STOP_LIMIT, `${command} stop`).catch(() => {
        signalGroup("SIGKILL");
        return within(exited, STOP_LIMIT, `${command} kill`).catch(() => {});
      });
    },
  };
}

/** Xvfb on the first free display (`-displayfd` picks it and reports it). */
async function startDisplay({ log, signal }) {
  const xvfb = start(
    xvfbPath,
    ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
    { env: process.env, log, stdio: ["ignore", "pipe", "pipe", "pipe"] },
  );
  try {
    const display = await within(
      new Promise((resolve, reject) => {
        let text = "";
        xvfb.child.stdio[3].setEncoding("utf8");
        xvfb.child.stdio[3].on("data", (chunk) => {
          text += chunk;
          if (text.includes("\n")) resolve(`:${text.trim()}`);
        });
        xvfb.exited.then((code) => reject(new Error(`Xvfb exited (${code})`)));
      }),
      START_LIMIT,
      "Xvfb start",
      signal,
    );
    return { display, stop: xvfb.stop };
  } catch (error) {
    await xvfb.stop();
    throw error;
  }
}

/** One W3C WebDriver command; resolves with `value`, rejects on an error. */
async function command(base, method, path, body, signal) {
  const response = await within(
    fetch(base + path, {
      method,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    REQUEST_LIMIT,
    `WebDriver ${method} ${path}`,
    signal,
  );
  const { value } = await response.json();
  if (!response.ok || value?.error) {
    throw new Error(
      `WebDriver ${method} ${path}: ${value?.error} ${value?.message ?? ""}`,
    );
  }
  return value;
}

/**
 * Starts Xvfb, WebKitWebDriver and a MiniBrowser session whose data lives in
 * `profile`. Returns `{ version, navigate(url), execute(script), close() }`.
 */
export async function launchWebKit({ profile, log, signal }) {
  if (!existsSync(miniBrowserPath)) {
    throw new Error(
      `${miniBrowserPath} is not installed (tools/install.sh installs it)`,
    );
  }
  const x = await startDisplay({ log, signal });
  let driver;
  const stopAll = async () => {
    await driver?.stop();
    await x.stop();
  };
  try {
    const port = await freePort();
    driver = start(webkitDriverPath, [`--port=${port}`, "--host=local"], {
      env: {
        ...process.env,
        DISPLAY: x.display,
        XDG_CACHE_HOME: `${profile}/cache`,
        XDG_CONFIG_HOME: `${profile}/config`,
        XDG_DATA_HOME: `${profile}/data`,
      },
      log,
    });
    const base = `http://127.0.0.1:${port}`;
    // The driver accepts requests once its port is open.
    const deadline = Date.now() + START_LIMIT;
    for (;;) {
      if (driver.child.exitCode !== null) {
        throw new Error(`WebKitWebDriver exited (${driver.child.exitCode})`);
      }
      try {
        if ((await command(base, "GET", "/status", undefined, signal)).ready) {
          break;
        }
      } catch (error) {
        if (signal.aborted) throw error;
      }
      if (Date.now() > deadline) {
        throw new Error(`WebKitWebDriver not ready within ${START_LIMIT} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const session = await command(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: {
          "webkitgtk:browserOptions": {
            binary: miniBrowserPath,
            args: ["--automation"],
          },
        },
      },
    }, signal);
    const at = `/session/${session.sessionId}`;
    return {
      version: `${session.capabilities.browserName} ` +
        session.capabilities.browserVersion,
      navigate: (url) => command(base, "POST", `${at}/url`, { url }, signal),
      execute: (script) =>
        command(
          base,
          "POST",
          `${at}/execute/sync`,
          { script, args: [] },
          signal,
        ),
      async close() {
        // Ending the session closes MiniBrowser; stopping the group covers a
        // session that does not end in time.
        await within(command(base, "DELETE", at), STOP_LIMIT, "end session")
          .catch(() => {});
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
