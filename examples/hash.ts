/**
 * Why CPU work belongs off the event loop: hash generated files in a
 * `WorkerPool` while a progress line keeps ticking, then the same work
 * inline, where the progress line freezes.
 *
 * - The files are pseudo-random bytes (seeded, so every run hashes the same
 *   data), hashed with a SHA-256 written in TypeScript (`_sha256.ts`): the
 *   stand-in for any parser, compressor or hash that runs in JavaScript.
 * - Phase 1 sends each file to the pool (`run("sha256", bytes, { transfer })`:
 *   the buffer moves to the worker, and back with the digest, never copied);
 *   the main loop stays free, so a 100 ms ticker redraws the progress line
 *   on time.
 * - Phase 2 hashes the same files on the main thread, one per macrotask:
 *   the ticker only gets a turn between files, so the line freezes for as
 *   long as one file takes. Both phases measure the longest gap between
 *   ticks (the event-loop stall) and the digests must match.
 * - Ctrl-C cancels: the pool's runs are aborted (their workers terminated
 *   after the grace period), the pool is closed, and the process exits with
 *   code 130. During the inline phase, Ctrl-C is only noticed between files:
 *   a blocked loop cannot even hear it.
 *
 * Run: `npm run demo -- hash` (or `deno run --allow-read examples/hash.ts`;
 * Deno needs read access to load the worker's modules). Options: `--files N`
 * (8), `--mb N` per file (16: big enough that one file's hashing blocks the
 * loop visibly), `--limit N` workers (the machine's cores).
 *
 * Exit status: 0 when both phases finished and agreed, 130 after Ctrl-C,
 * 2 for bad options, 1 otherwise.
 */
import { yieldNow } from "@seed/async/cancel";
import { forEach, interval } from "@seed/async/iter";
import { WorkerPool } from "@seed/async/worker";
import { sha256 } from "./_sha256.ts";

interface Options {
  files: number;
  mb: number;
  limit: number;
}

const USAGE = "usage: hash.ts [--files N] [--mb N] [--limit N]";

function parseOptions(args: string[]): Options {
  const options: Options = {
    files: 8,
    mb: 16,
    limit: navigator.hardwareConcurrency || 2,
  };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, "");
    const value = Number(args[i + 1]);
    if (!(name in options) || !Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `bad option ${args[i]} ${args[i + 1] ?? ""}\n${USAGE}`,
      );
    }
    options[name as keyof Options] = value;
  }
  return options;
}

/** `count` files of `mb` MiB of seeded pseudo-random bytes (xorshift32). */
function generate(count: number, mb: number): Uint8Array[] {
  let state = 2463534242;
  return Array.from({ length: count }, () => {
    const words = new Uint32Array((mb << 20) / 4);
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state;
    }
    return new Uint8Array(words.buffer);
  });
}

const tty = Deno.stdout.isTerminal();
const encoder = new TextEncoder();
const write = (text: string) => Deno.stdout.writeSync(encoder.encode(text));

/**
 * A progress line redrawn every 100 ms by a timer on the main loop, which
 * records the longest gap between two ticks: how long the loop was blocked.
 */
function progressLine(label: string, total: number) {
  const ticker = new AbortController();
  const started = performance.now();
  let last = started;
  let longestGap = 0;
  let done = 0;
  const draw = () => {
    const now = performance.now();
    // The delay beyond the tick's 100 ms is how long the loop was blocked.
    longestGap = Math.max(longestGap, now - last - 100);
    last = now;
    const bar = "#".repeat(done).padEnd(total, ".");
    const line = `${label} [${bar}] ${done}/${total}  ${
      ((now - started) / 1000).toFixed(1)
    } s  longest stall ${Math.round(longestGap)} ms`;
    write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const ticking = forEach(interval(100, { signal: ticker.signal }), draw)
    .catch(() => {}); // ends with the ticker's abort
  return {
    step() {
      done++;
    },
    async stop() {
      ticker.abort();
      await ticking;
      draw();
      if (tty) write("\n");
      return { ms: performance.now() - started, longestGap };
    },
  };
}

/** Runs `body` under a progress line; returns its time and longest stall. */
async function measured(
  label: string,
  total: number,
  body: (step: () => void) => Promise<unknown>,
): Promise<{ ms: number; longestGap: number }> {
  const progress = progressLine(label, total);
  const failed = await body(progress.step).then(() => null, (error) => ({
    error,
  }));
  const stats = await progress.stop();
  if (failed) throw failed.error;
  return stats;
}

async function main(options: Options): Promise<number> {
  const cancel = new AbortController();
  const onInterrupt = () => {
    write(tty ? "\r\x1b[2K" : "");
    console.log("Ctrl-C: cancelling…");
    cancel.abort(new DOMException("Interrupted (SIGINT)", "AbortError"));
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    console.log(
      `Generating ${options.files} files of ${options.mb} MiB (seeded)…`,
    );
    const files = generate(options.files, options.mb);
    const expected: string[] = [];

    console.log(
      `\n1. In a WorkerPool (limit ${options.limit}): the loop stays free`,
    );
    const pooled = await (async () => {
      await using pool = new WorkerPool({
        create: () =>
          new Worker(new URL("./_hash_worker.ts", import.meta.url), {
            type: "module",
          }),
        limit: options.limit,
        graceMs: 200,
      });
      // Starting a worker blocks its creator for a moment (tens to hundreds
      // of ms in Deno on a busy machine), so a program starts its pool early,
      // as here, before the work that must not stall.
      const warm = performance.now();
      await Promise.all(
        Array.from(
          { length: options.limit },
          () => pool.run("sha256", new Uint8Array(0)),
        ),
      );
      console.log(
        `Started ${pool.size} workers in ${
          Math.round(performance.now() - warm)
        } ms.`,
      );
      return await measured(
        "pool  ",
        files.length,
        (step) =>
          Promise.all(files.map(async (file, i) => {
            // The file moves to the worker and back: no copy either way.
            const { digest, bytes } = await pool.run<
              { digest: string; bytes: Uint8Array }
            >("sha256", file, {
              signal: cancel.signal,
              transfer: [file.buffer],
            });
            expected[i] = digest;
            files[i] = bytes;
            step();
          })),
      );
    })();

    console.log("\n2. Inline on the main thread: the progress line freezes");
    const inline = await measured("inline", files.length, async (step) => {
      for (const [i, file] of files.entries()) {
        await yieldNow({ signal: cancel.signal }); // the ticker's only chance
        if (sha256(file) !== expected[i]) {
          throw new Error(`file ${i}: the digests differ`);
        }
        step();
      }
    });

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `\nSame ${files.length} digests both ways (first: ${
        expected[0].slice(0, 16)
      }…).\n` +
        `  pool:   ${s(pooled.ms)}, longest event-loop stall ${
          Math.round(pooled.longestGap)
        } ms\n` +
        `  inline: ${s(inline.ms)}, longest event-loop stall ${
          Math.round(inline.longestGap)
        } ms (one file's hashing, during which nothing else ran)`,
    );
    return 0;
  } catch (error) {
    if (cancel.signal.aborted) {
      console.log("Cancelled: the pool's workers are terminated; exiting.");
      return 130;
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

if (import.meta.main) {
  let options: Options;
  try {
    options = parseOptions(Deno.args);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  Deno.exitCode = await main(options).catch((error) => {
    console.error(error);
    return 1;
  });
}
