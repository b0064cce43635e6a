/**
 * The first demo: a task group of simulated downloads.
 *
 * - at most 3 downloads run at once (`TaskGroup({ limit })`);
 * - each download has its own 300 ms timeout (`withTimeout`);
 * - the whole batch is cancelled after 0.7 s (`CancelScope({ timeout })`),
 *   and whatever is still running or queued is cancelled cleanly.
 *
 * Run: `npm run demo` (or `deno run examples/downloads.ts`).
 */
import {
  CancelScope,
  isTimeoutError,
  sleep,
  type Task,
  TaskGroup,
  withTimeout,
} from "@seed/async";

interface File {
  name: string;
  /** How long the simulated transfer takes, in ms. */
  duration: number;
}

const files: File[] = [
  { name: "intro.mp4", duration: 120 },
  { name: "slides.pdf", duration: 60 },
  { name: "dataset.csv", duration: 500 }, // longer than its own timeout
  { name: "photo-1.jpg", duration: 90 },
  { name: "photo-2.jpg", duration: 150 },
  { name: "archive.zip", duration: 280 },
  { name: "mirror.iso", duration: 900 }, // also too slow
  { name: "notes.txt", duration: 40 },
  { name: "music.flac", duration: 250 },
  { name: "backup.tar", duration: 260 },
  { name: "video-2.mp4", duration: 270 },
  { name: "video-3.mp4", duration: 200 },
  { name: "late-1.bin", duration: 100 }, // these are still queued at the cutoff
  { name: "late-2.bin", duration: 100 },
];

const PER_DOWNLOAD_TIMEOUT = 300;
const OVERALL_TIMEOUT = 700;
const started = Date.now();
const elapsed = () => `${String(Date.now() - started).padStart(5)} ms`;

/** Pretends to transfer `file`, honouring `signal` like `fetch` would. */
async function download(file: File, signal: AbortSignal): Promise<number> {
  const chunks = 10;
  for (let i = 0; i < chunks; i++) {
    await sleep(file.duration / chunks, { signal });
  }
  return file.duration * 1_000; // "bytes"
}

using batch = new CancelScope({ timeout: OVERALL_TIMEOUT });
const group = new TaskGroup({ signal: batch.signal, limit: 3 });
const tasks = new Map<string, Task<number>>();

for (const file of files) {
  const task = group.spawn(async (signal) => {
    console.log(`${elapsed()}  start   ${file.name}`);
    try {
      const bytes = await withTimeout(
        PER_DOWNLOAD_TIMEOUT,
        (inner) => download(file, inner),
        { signal },
      );
      console.log(`${elapsed()}  done    ${file.name} (${bytes} bytes)`);
      return bytes;
    } catch (error) {
      // A per-download timeout is an expected outcome here, not a failure of
      // the batch: record it and let the siblings carry on.
      if (isTimeoutError(error) && !signal.aborted) {
        console.log(`${elapsed()}  timeout ${file.name}`);
        return 0;
      }
      throw error;
    }
  });
  tasks.set(file.name, task);
}

try {
  await group.wait();
  console.log(`${elapsed()}  all downloads finished`);
} catch (error) {
  const why = isTimeoutError(error) ? "overall deadline" : String(error);
  console.log(`${elapsed()}  batch cancelled (${why})`);
}

console.log("\nSummary");
for (const [name, task] of tasks) {
  const bytes = task.state === "fulfilled" ? await task : undefined;
  const outcome = bytes === 0 ? "timed out" : task.state;
  console.log(`  ${name.padEnd(12)} ${outcome}`);
}
