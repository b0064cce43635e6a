/**
 * The demo: crawl a misbehaving website with @seed/async alone.
 *
 * It starts its own site on 127.0.0.1 (`examples/_crawl_site.ts`, seeded:
 * the same options meet the same trouble) whose pages link to each other —
 * some answer slowly, some hang forever, some fail with 5xx (a few only
 * transiently), a few redirect in loops — and crawls it:
 *
 * - a `TaskGroup` with a concurrency `limit` fetches the pages; each page
 *   spawns tasks for the links it finds;
 * - each request gets its own deadline (`withTimeout`) and `retry` with
 *   exponential backoff for 5xx only (never for timeouts or aborts);
 * - redirects are followed by hand, so loops are caught (max 5 hops);
 * - the whole crawl runs in a `CancelScope` with an overall deadline, and
 *   Ctrl-C cancels that scope: everything in flight stops, the server shuts
 *   down, and the process exits on its own (code 130) — nothing is left
 *   running that could keep it alive;
 * - results flow through `iter` combinators: a concurrent `map` (hash and
 *   summarise each page) → `chunk` → batched writes to a JSON report;
 * - an inspector (`@seed/async/inspect`) records the task tree: press `t`
 *   (on a terminal) or send SIGUSR1 (`kill -USR1 <pid>`, not on Windows) to
 *   print it, and Ctrl-C prints it before cancelling.
 *
 * Run: `npm run demo` (or `deno run --allow-net=127.0.0.1 --allow-write=out
 * examples/crawl.ts`). Options: `--pages N` (60), `--concurrency N` (8),
 * `--deadline MS` (10000), `--timeout MS` per request (1000), `--seed N` (1),
 * `--report PATH` (out/crawl-report.json; must be writable: `npm run demo`
 * allows writes under out/ only).
 *
 * Exit status: 0 when the crawl finished or its deadline cut it short (the
 * summary says which), 130 after Ctrl-C, 2 for bad options, 1 otherwise.
 */
import { CancelScope, isTimeoutError, withTimeout } from "@seed/async/cancel";
import { enableInspector, type Inspector } from "@seed/async/inspect";
import { chunk, forEach, interval, map } from "@seed/async/iter";
import { Channel } from "@seed/async/sync";
import { retry, TaskGroup } from "@seed/async/tasks";
import { startSite } from "./_crawl_site.ts";

// ---------------------------------------------------------------- options

interface Options {
  pages: number;
  concurrency: number;
  deadline: number;
  timeout: number;
  seed: number;
  report: string;
}

const USAGE = `usage: crawl.ts [--pages N] [--concurrency N] [--deadline MS]
                [--timeout MS] [--seed N] [--report PATH]`;

function parseOptions(args: string[]): Options {
  const options: Options = {
    pages: 60,
    concurrency: 8,
    deadline: 10_000,
    timeout: 1_000,
    seed: 1,
    report: "out/crawl-report.json",
  };
  const integer = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(
        `--${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = () => inline ?? args[++i];
    switch (flag) {
      case "--pages":
        options.pages = integer("pages", value(), 1);
        break;
      case "--concurrency":
        options.concurrency = integer("concurrency", value(), 1);
        break;
      case "--deadline":
        options.deadline = integer("deadline", value(), 0);
        break;
      case "--timeout":
        options.timeout = integer("timeout", value(), 1);
        break;
      case "--seed":
        options.seed = integer("seed", value(), 0);
        break;
      case "--report":
        options.report = value() ?? "";
        if (!options.report) throw new RangeError("--report needs a path");
        break;
      default:
        throw new RangeError(`unknown option ${JSON.stringify(args[i])}`);
    }
  }
  return options;
}

// ------------------------------------------------------------- fetching

const MAX_HOPS = 5;

/** A response with a status the crawler does not accept. */
class HttpError extends Error {
  override name = "HttpError";
  constructor(readonly status: number, statusText: string) {
    super(`${status} ${statusText}`);
  }
}

/** A redirect that came back to a URL already seen, or went on too long. */
class RedirectLoopError extends Error {
  override name = "RedirectLoopError";
  constructor(readonly hops: string[], why: string) {
    super(`${why}: ${hops.join(" → ")}`);
  }
}

interface Fetched {
  status: number;
  body: string;
  /** Every URL visited, the first included; more than one after redirects. */
  hops: string[];
}

/** GETs `url`, following up to MAX_HOPS redirects by hand; honours `signal`. */
async function fetchPage(
  url: URL,
  client: Deno.HttpClient,
  signal: AbortSignal,
): Promise<Fetched> {
  const hops = [url.pathname];
  for (;;) {
    // (Deno's `client` option; with the DOM lib loaded, TypeScript knows
    // only the standard RequestInit, hence the widened type.)
    const init: RequestInit & { client: Deno.HttpClient } = {
      client,
      redirect: "manual",
      signal,
    };
    const response = await fetch(url, init);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      const seen = hops.includes(url.pathname);
      hops.push(url.pathname);
      if (seen) throw new RedirectLoopError(hops, "redirect loop");
      if (hops.length > MAX_HOPS + 1) {
        throw new RedirectLoopError(hops, `more than ${MAX_HOPS} redirects`);
      }
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError(response.status, response.statusText);
    }
    return { status: response.status, body: await response.text(), hops };
  }
}

/** Same-origin links of a page, without fragments. */
function extractLinks(body: string, base: URL): URL[] {
  const links: URL[] = [];
  for (const [, href] of body.matchAll(/href="([^"]+)"/g)) {
    const link = new URL(href, base);
    link.hash = "";
    if (link.origin === base.origin) links.push(link);
  }
  return links;
}

// ------------------------------------------------------------ the crawl

type Outcome = "ok" | "failed" | "timed out" | "redirect loop" | "cancelled";
const OUTCOMES: Outcome[] = [
  "ok",
  "failed",
  "timed out",
  "redirect loop",
  "cancelled",
];

/** What the crawl learns about one URL. */
interface PageRecord {
  path: string;
  outcome: Outcome;
  /** The page that linked here first. */
  from: string | null;
  /** Calls made (1 + retries). */
  attempts: number;
  /** From start to outcome, retries and backoff included. */
  ms: number;
  status?: number;
  error?: string;
  redirects?: string[];
  links?: number;
  body?: string;
}

/** A record as the report holds it: the body replaced by its digest. */
interface ReportEntry extends Omit<PageRecord, "body"> {
  title?: string;
  bytes?: number;
  sha256?: string;
}

const counts = {
  discovered: 0,
  started: 0,
  inFlight: 0,
  retries: 0,
  outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<
    Outcome,
    number
  >,
};
const finished = () => OUTCOMES.reduce((n, o) => n + counts.outcomes[o], 0);

// ----------------------------------------------------------------- output

const encoder = new TextEncoder();
const tty = Deno.stdout.isTerminal();
let startedAt = performance.now(); // reset when the crawl starts
const elapsed = () => Math.round(performance.now() - startedAt);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let progressShown = false;

function write(text: string) {
  Deno.stdout.writeSync(encoder.encode(text));
}

function progressLine(): string {
  const o = counts.outcomes;
  return `${String(elapsed()).padStart(6)} ms  progress ${finished()} done` +
    ` · ${counts.inFlight} in flight · ${o.failed} failed` +
    ` · ${o["timed out"]} timed out · ${o["redirect loop"]} loops` +
    ` · ${counts.discovered - counts.started} queued`;
}

/** The live line: redrawn in place on a terminal, a plain line otherwise. */
function showProgress() {
  if (tty) {
    write(`\r\x1b[2K${progressLine()}`);
    progressShown = true;
  } else {
    console.log(progressLine());
  }
}

/** An event worth a line of its own, printed above the live line. */
function event(what: string, path: string, detail: string) {
  if (tty && progressShown) write("\r\x1b[2K");
  console.log(
    `${String(elapsed()).padStart(6)} ms  ${what.padEnd(8)} ${
      path.padEnd(12)
    } ${detail}`,
  );
  if (tty) showProgress();
}

/** The task tree, printed above the live line. */
function showTree(inspector: Inspector, why: string) {
  if (tty && progressShown) write("\r\x1b[2K");
  console.log(`${String(elapsed()).padStart(6)} ms  task tree (${why}):`);
  console.log(inspector.format());
  if (tty) showProgress();
}

/**
 * Reads single keys from a terminal in raw mode (where Ctrl-C is a byte, not
 * a signal) until disposed; does nothing when stdin is not a terminal.
 */
function listenForKeys(onKey: (key: string) => void): AsyncDisposable {
  if (!Deno.stdin.isTerminal()) {
    return { [Symbol.asyncDispose]: async () => {} };
  }
  Deno.stdin.setRaw(true);
  const reader = Deno.stdin.readable.getReader();
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const byte of value) onKey(String.fromCharCode(byte));
    }
  })().catch(() => {}); // ends with reader.cancel()
  return {
    async [Symbol.asyncDispose]() {
      await reader.cancel();
      await reading;
      Deno.stdin.setRaw(false);
    },
  };
}

// ----------------------------------------------------------------- report

/** Drains `records` into a JSON report at `path`: hash → batch → write. */
async function writeReport(
  records: AsyncIterable<PageRecord>,
  path: string,
  header: Record<string, unknown>,
  footer: () => Record<string, unknown>,
): Promise<{ entries: number; batches: number }> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const head = JSON.stringify(header, null, 2).slice(0, -2);
  await Deno.writeTextFile(path, `${head},\n  "pages": [`);

  // Hashing is async (crypto.subtle), so a few pages are digested at once.
  const entries = map(records, async ({ body, ...record }) => {
    if (body === undefined) return record;
    const bytes = encoder.encode(body);
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    return {
      ...record,
      title: body.match(/<title>([^<]*)<\/title>/)?.[1],
      bytes: bytes.length,
      sha256: Array.from(new Uint8Array(digest).slice(0, 8))
        .map((b) => b.toString(16).padStart(2, "0")).join(""),
    } satisfies ReportEntry;
  }, { concurrency: 4, ordered: false });

  let written = 0, batches = 0;
  await forEach(chunk(entries, 10, { maxWait: 250 }), async (batch) => {
    const lines = batch.map((entry, i) =>
      `${written + i === 0 ? "" : ","}\n    ${JSON.stringify(entry)}`
    );
    await Deno.writeTextFile(path, lines.join(""), { append: true });
    written += batch.length;
    batches++;
  });
  const summary = JSON.stringify(footer(), null, 2).replaceAll("\n", "\n  ");
  await Deno.writeTextFile(path, `\n  ],\n  "summary": ${summary}\n}\n`, {
    append: true,
  });
  return { entries: written, batches };
}

// ------------------------------------------------------------------- main

async function main(options: Options): Promise<number> {
  const site = await startSite(options);
  const client = Deno.createHttpClient({});
  startedAt = performance.now();
  using inspector = enableInspector({ keepSettled: 2 });
  using scope = new CancelScope({ timeout: options.deadline });
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) return;
    interrupted = true;
    showTree(inspector, "Ctrl-C");
    if (tty) write("\r\x1b[2K");
    console.log(`${String(elapsed()).padStart(6)} ms  Ctrl-C: cancelling…`);
    scope.cancel(new DOMException("Interrupted (SIGINT)", "AbortError"));
  };
  const onTreeSignal = () => showTree(inspector, "SIGUSR1");
  const signals = Deno.build.os === "windows" ? [] : ["SIGUSR1" as const];
  Deno.addSignalListener("SIGINT", onInterrupt);
  for (const name of signals) Deno.addSignalListener(name, onTreeSignal);
  await using _keys = listenForKeys((key) => {
    if (key === "t") showTree(inspector, "t pressed");
    else if (key === "\x03") onInterrupt(); // Ctrl-C in raw mode
  });

  console.log(
    `Crawling ${site.origin}/ — ${options.pages} pages (seed ${options.seed}),` +
      ` ${options.concurrency} at a time, ${options.timeout} ms per request,` +
      ` deadline ${seconds(options.deadline)}`,
  );
  console.log(
    `Press t${
      signals.length ? ` (or kill -USR1 ${Deno.pid})` : ""
    } for the task tree, Ctrl-C to stop.`,
  );

  const records = new Channel<PageRecord>({ capacity: options.concurrency });
  const group = new TaskGroup({
    signal: scope.signal,
    limit: options.concurrency,
    name: "crawl",
  });
  const seen = new Set<string>();
  const log: PageRecord[] = [];
  let ending: "complete" | "deadline" | "interrupted" = "complete";

  const report = writeReport(records, options.report, {
    site: site.origin,
    options,
  }, () => ({
    ending,
    elapsedMs: elapsed(),
    discovered: counts.discovered,
    notStarted: counts.discovered - counts.started,
    retries: counts.retries,
    outcomes: counts.outcomes,
  }));
  // A report that cannot be written stops the crawl: no point going on.
  report.catch((error) => scope.cancel(error));

  const ticker = new AbortController();
  const progress = forEach(
    interval(tty ? 100 : 500, { signal: ticker.signal }),
    showProgress,
  ).catch(() => {}); // ends with ticker's abort

  const visit = (url: URL, from: string | null) => {
    if (seen.has(url.pathname) || group.signal.aborted) return;
    seen.add(url.pathname);
    counts.discovered++;
    group.spawn((signal) => crawlPage(url, from, signal), {
      name: url.pathname,
    });
  };

  async function crawlPage(url: URL, from: string | null, signal: AbortSignal) {
    counts.started++;
    counts.inFlight++;
    const t0 = performance.now();
    let attempts = 0;
    const record: PageRecord = {
      path: url.pathname,
      outcome: "ok",
      from,
      attempts: 0,
      ms: 0,
    };
    try {
      const page = await retry(
        (attemptSignal, attempt) => {
          attempts = attempt;
          return withTimeout(
            options.timeout,
            (s) => fetchPage(url, client, s),
            { signal: attemptSignal },
          );
        },
        {
          attempts: 3,
          minDelay: 100,
          maxDelay: 1_000,
          // 5xx only: a timeout or a 4xx will not get better by asking again.
          shouldRetry: (error) =>
            error instanceof HttpError && error.status >= 500,
          onRetry: (error, attempt, delay) => {
            counts.retries++;
            event(
              "retry",
              url.pathname,
              `${(error as Error).message} (attempt ${attempt} of 3, next in ${
                Math.round(delay)
              } ms)`,
            );
          },
          signal,
        },
      );
      record.status = page.status;
      record.body = page.body;
      if (page.hops.length > 1) record.redirects = page.hops;
      const links = extractLinks(page.body, new URL(page.hops.at(-1)!, url));
      record.links = links.length;
      for (const link of links) visit(link, url.pathname);
    } catch (error) {
      if (signal.aborted) {
        record.outcome = "cancelled"; // the deadline, Ctrl-C: not this page's fault
      } else if (isTimeoutError(error)) {
        record.outcome = "timed out";
        event("timeout", url.pathname, `no answer in ${options.timeout} ms`);
      } else if (error instanceof RedirectLoopError) {
        record.outcome = "redirect loop";
        record.redirects = error.hops;
        event("loop", url.pathname, error.message);
      } else if (error instanceof HttpError || error instanceof TypeError) {
        record.outcome = "failed"; // TypeError: fetch's network errors
        record.status = (error as HttpError).status;
        event("failed", url.pathname, `${error.message}`);
      } else {
        throw error; // a bug: fail the group, loudly
      }
      record.error = String(error instanceof Error ? error.message : error);
    } finally {
      counts.inFlight--;
    }
    record.attempts = attempts;
    record.ms = Math.round(performance.now() - t0);
    counts.outcomes[record.outcome]++;
    log.push({ ...record, body: undefined });
    // Backpressure: waits while the report writer is behind. A closed
    // channel means the writer failed; its error is reported below.
    await records.send(record).catch(() => {});
    if (signal.aborted) throw signal.reason; // so the task ends "cancelled"
  }

  let failure: unknown;
  try {
    visit(new URL("/", site.origin), null);
    await group.wait();
  } catch (error) {
    if (interrupted) ending = "interrupted";
    else if (scope.expired) ending = "deadline";
    else failure = error;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    for (const name of signals) Deno.removeSignalListener(name, onTreeSignal);
    records.close();
    ticker.abort();
    await progress;
    if (tty && progressShown) write("\r\x1b[2K");
    client.close();
    await site.close();
  }
  const written = await report.catch((error) => {
    failure ??= error;
    return undefined;
  });
  if (failure !== undefined) throw failure;

  summarise(ending, log, site.requests, options, written);
  return ending === "interrupted" ? 130 : 0;
}

function summarise(
  ending: "complete" | "deadline" | "interrupted",
  records: PageRecord[],
  requests: number,
  options: Options,
  written: { entries: number; batches: number } | undefined,
) {
  const o = counts.outcomes;
  const headline = {
    complete: "Crawl complete",
    deadline: `Deadline reached (${options.deadline} ms): partial results`,
    interrupted: "Interrupted (Ctrl-C): partial results",
  }[ending];
  console.log(
    `\n${headline} in ${
      seconds(elapsed())
    } — ${counts.discovered} URLs found,` +
      ` ${finished()} finished, ${requests} requests served`,
  );
  const detail: Partial<Record<Outcome, string>> = {};
  const statuses = (outcome: Outcome) => {
    const by = new Map<string, number>();
    for (const r of records) {
      if (r.outcome !== outcome) continue;
      const key = String(r.status ?? r.error);
      by.set(key, (by.get(key) ?? 0) + 1);
    }
    return [...by].map(([k, n]) => `${k} ×${n}`).join(", ");
  };
  if (o.failed) detail.failed = statuses("failed");
  const recovered = records.filter((r) => r.outcome === "ok" && r.attempts > 1);
  if (recovered.length) {
    detail.ok = `${recovered.length} after a retry`;
  }
  if (o.cancelled) detail.cancelled = "in flight when the crawl stopped";
  for (const outcome of OUTCOMES) {
    const extra = detail[outcome] ? `  (${detail[outcome]})` : "";
    console.log(
      `  ${outcome.padEnd(14)} ${String(o[outcome]).padStart(4)}${extra}`,
    );
  }
  const notStarted = counts.discovered - counts.started;
  if (notStarted) {
    console.log(
      `  ${"not started".padEnd(14)} ${String(notStarted).padStart(4)}`,
    );
  }
  const gaveUp = records.filter((r) => r.attempts === 3 && r.outcome !== "ok");
  console.log(
    `Retries used: ${counts.retries} (5xx only; ${recovered.length} pages` +
      ` recovered, ${gaveUp.length} gave up after 3 attempts)`,
  );
  const slowest = records.filter((r) => r.outcome === "ok")
    .sort((a, b) => b.ms - a.ms).slice(0, 5);
  if (slowest.length) {
    console.log(
      `Slowest pages: ${slowest.map((r) => `${r.path} ${r.ms} ms`).join(", ")}`,
    );
  }
  if (written) {
    console.log(
      `Report: ${options.report} (${written.entries} pages, ${written.batches} batches)`,
    );
  }
}

if (import.meta.main) {
  let options: Options;
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(USAGE);
    Deno.exit(0);
  }
  try {
    options = parseOptions(Deno.args);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
  try {
    // Exit by setting the code, not Deno.exit(): the process ends only when
    // nothing is left running, so a stray timer or socket would show.
    Deno.exitCode = await main(options);
  } catch (error) {
    console.error(error);
    Deno.exitCode = 1;
  }
}
