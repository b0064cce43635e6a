// The portable test harness bundled with the test files for every non-Deno
// runtime. It provides the one Deno API the tests may use, `Deno.test`
// (name + fn, options object, `t.step`, `ignore`, `only`), and `run()`, which
// executes the registered tests one by one and reports each result through an
// `emit(event)` callback the host supplies.
//
// esbuild injects the `Deno` export below wherever a test file names the
// global `Deno`, so nothing is added to `globalThis`. Only web-platform APIs
// are used here: the same code runs in Node, Bun, browsers and workerd.

// Captured at load so a test that fakes timers cannot break the harness.
const setTimer = globalThis.setTimeout;
const clearTimer = globalThis.clearTimeout;
const now = () => Date.now();

/** Every registered test, in registration order. */
const registered = [];
/** The test file being evaluated (set by the generated entry module). */
let currentFile = "";
/** The record of the test running now, to charge uncaught errors to. */
let current = null;
/** Uncaught errors seen while no test was running. */
const strayErrors = [];

/** Called by the generated entry module before each test file evaluates. */
export function setFile(file) {
  currentFile = file;
}

function normalize(args, extra) {
  const [a, b, c] = args;
  let def;
  if (typeof a === "string") {
    def = typeof b === "function"
      ? { name: a, fn: b }
      : { ...b, name: a, fn: c };
  } else if (typeof a === "function") {
    def = { name: a.name, fn: a };
  } else if (a && typeof a === "object") {
    def = typeof b === "function" ? { name: b.name, ...a, fn: b } : { ...a };
  } else {
    throw new TypeError(`Deno.test: unsupported arguments (${typeof a})`);
  }
  Object.assign(def, extra);
  if (typeof def.fn !== "function") {
    throw new TypeError(`Deno.test: missing test function for "${def.name}"`);
  }
  if (typeof def.name !== "string" || def.name === "") {
    throw new TypeError(
      "Deno.test: the test needs a name (or a named function)",
    );
  }
  return def;
}

function test(...args) {
  const def = normalize(args);
  registered.push({ ...def, origin: currentFile });
}
test.ignore = (...args) =>
  registered.push({
    ...normalize(args, { ignore: true }),
    origin: currentFile,
  });
test.only = (...args) =>
  registered.push({ ...normalize(args, { only: true }), origin: currentFile });

/** The `Deno` namespace as the test files see it: `test` and nothing else. */
export const Deno = Object.freeze({ test });

/** Turns anything thrown into plain data a host can print. */
export function describeError(error) {
  if (error instanceof Error) {
    let text = error.stack && error.stack.includes(error.message)
      ? error.stack
      : `${error.name}: ${error.message}\n${error.stack ?? ""}`;
    if (Array.isArray(error.errors) && error.errors.length) {
      text += "\n  errors:\n" + error.errors
        .map((e) =>
          "    " + describeError(e).split("\n").slice(0, 4).join("\n    ")
        )
        .join("\n");
    }
    if (error.cause !== undefined) {
      text += "\n  cause: " + describeError(error.cause).split("\n")[0];
    }
    return text;
  }
  try {
    return `Uncaught non-Error value: ${
      typeof error === "string" ? error : JSON.stringify(error)
    }`;
  } catch {
    return `Uncaught non-Error value: ${String(error)}`;
  }
}

/**
 * Hosts call this from their unhandled-rejection / uncaught-error handlers.
 * The error fails the test that is running, or the run if none is.
 */
export function reportUncaught(kind, error) {
  const text = `${kind}: ${describeError(error)}`;
  if (current) current.errors.push(text);
  else strayErrors.push(text);
}

function timeout(ms, what) {
  let id;
  const promise = new Promise((_, reject) => {
    id = setTimer(() => {
      const error = new Error(`${what} timed out after ${ms} ms`);
      error.stack = error.message; // the harness's stack says nothing useful
      reject(error);
    }, ms);
  });
  promise.catch(() => {});
  return { promise, cancel: () => clearTimer(id) };
}

/** Gives pending unhandled-rejection notifications a chance to fire. */
async function settle(turns = 2) {
  for (let i = 0; i < turns; i++) await new Promise((r) => setTimer(r, 0));
}

/** Runs `fn(context)`; resolves to a list of failure texts (empty = passed). */
async function runBody(name, fn, record, parentSteps) {
  const steps = [];
  const failures = [];
  const context = {
    name,
    origin: record.origin,
    parent: parentSteps?.context,
    step(...args) {
      const def = normalize(args);
      const step = { name: def.name, done: false, ok: false };
      steps.push(step);
      const promise = (async () => {
        if (def.ignore) {
          step.done = true;
          step.ignored = true;
          return false;
        }
        const inner = await runBody(def.name, def.fn, record, { context });
        step.done = true;
        step.ok = inner.length === 0;
        if (!step.ok) {
          failures.push(`step "${def.name}" failed:\n  ` + inner.join("\n  "));
        }
        return step.ok;
      })();
      return promise;
    },
  };
  try {
    await fn(context);
  } catch (error) {
    failures.push(describeError(error));
  }
  for (const step of steps) {
    if (!step.done) {
      failures.push(
        `step "${step.name}" did not complete before its parent; await t.step(...)`,
      );
    }
  }
  record.steps += steps.length;
  return failures;
}

/**
 * Runs every registered test in order and emits one event per test:
 * `{ type: "test", name, origin, status: "passed" | "failed" | "ignored",
 * errors, ms, steps }`, then `{ type: "done", passed, failed, ignored }`.
 * A test still running after `testTimeoutMs` fails with a timeout, and the
 * run moves on.
 */
export async function run({ emit, testTimeoutMs = 20_000 }) {
  const onlyUsed = registered.some((t) => t.only);
  const totals = { passed: 0, failed: 0, ignored: 0 };
  emit({ type: "start", registered: registered.length });
  for (const t of registered) {
    const name = t.name;
    if (t.ignore || (onlyUsed && !t.only)) {
      totals.ignored++;
      emit({
        type: "test",
        name,
        origin: t.origin,
        status: "ignored",
        errors: [],
        ms: 0,
        steps: 0,
      });
      continue;
    }
    const record = { origin: t.origin, errors: [], steps: 0 };
    current = record;
    emit({ type: "begin", name, origin: t.origin });
    const started = now();
    const limit = timeout(testTimeoutMs, `test "${name}"`);
    try {
      const failures = await Promise.race([
        runBody(name, t.fn, record),
        limit.promise,
      ]);
      record.errors.unshift(...failures);
    } catch (error) {
      record.errors.unshift(describeError(error));
    } finally {
      limit.cancel();
    }
    await settle();
    current = null;
    const status = record.errors.length ? "failed" : "passed";
    totals[status]++;
    emit({
      type: "test",
      name,
      origin: t.origin,
      status,
      errors: record.errors,
      ms: now() - started,
      steps: record.steps,
    });
  }
  await settle(5);
  for (const text of strayErrors) {
    totals.failed++;
    emit({
      type: "test",
      name: "(uncaught error outside any test)",
      origin: "",
      status: "failed",
      errors: [text],
      ms: 0,
      steps: 0,
    });
  }
  if (onlyUsed) {
    totals.failed++;
    emit({
      type: "test",
      name: '(the "only" option was used)',
      origin: "",
      status: "failed",
      errors: [
        'Test run failed because the "only" option was used (as in Deno)',
      ],
      ms: 0,
      steps: 0,
    });
  }
  emit({ type: "done", ...totals });
  return totals;
}
