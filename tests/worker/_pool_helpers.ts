// A factory over the test worker (tests/worker/_worker.js) for whichever
// worker the runtime has: a web Worker (Deno, Bun, browsers) or Node's
// worker_threads. It records every worker it starts, counts the ones not
// yet terminated, and forwards the worker's notes to the test.
import type { Clock } from "../../src/cancel/mod.ts";
import type { WorkerLike } from "../../src/worker/mod.ts";
import { type Deferred, deferred } from "../_helpers/deferred.ts";

// Deno runs the .ts file; the matrix bundles the tests into
// out/matrix/bundle.js and this worker beside it, under the same path.
// (Computed when needed: workerd's modules have no import.meta.url.)
const workerUrl = () =>
  import.meta.url.endsWith(".ts")
    ? new URL("./_worker.js", import.meta.url)
    : new URL("./tests/worker/_worker.js", import.meta.url);

interface NodeWorkerThreads {
  Worker: new (url: URL) => WorkerLike;
}
// deno-lint-ignore no-explicit-any
const threads: NodeWorkerThreads | undefined = (globalThis as any).process
  ?.getBuiltinModule?.("node:worker_threads");

/**
 * Whether this runtime can start the test worker. workerd cannot: it has no
 * `Worker`, and its `node:worker_threads` is a stub (its modules have no
 * `import.meta.url` to find a worker file by, either).
 */
export const hasWorkers = typeof Worker === "function" ||
  (threads !== undefined && typeof import.meta.url === "string");

/** A note a worker posted: "started" or "finished", and the worker's id. */
export interface Note {
  note: string;
  id: string;
  worker: WorkerLike;
}

/** What a test's pool is built with, and what it observed. */
export interface Factory {
  create: () => WorkerLike;
  /** Workers started so far. */
  started: WorkerLike[];
  /** Workers started and not terminated. */
  readonly live: number;
  notes: Note[];
  /** Resolves once `count` more notes named `what` have arrived. */
  waitFor(what: string, count?: number): Promise<Note>;
  /** Resolves when the next worker is terminated. */
  nextTermination(): Promise<void>;
  /** Lets a worker's `hold` run return. */
  release(worker: WorkerLike): void;
  onNote?: (note: Note) => void;
}

/** A recording factory for the test worker. */
export function factory(): Factory {
  let live = 0;
  let terminated: Deferred<void> = deferred();
  const waiters: { what: string; count: number; done: Deferred<Note> }[] = [];
  const f: Factory = {
    started: [],
    get live() {
      return live;
    },
    notes: [],
    create() {
      const worker = typeof Worker === "function"
        ? new Worker(workerUrl(), { type: "module" }) as unknown as WorkerLike
        : new threads!.Worker(workerUrl());
      live++;
      f.started.push(worker);
      const terminate = worker.terminate.bind(worker);
      worker.terminate = () => {
        live--;
        terminated.resolve();
        terminated = deferred();
        return terminate();
      };
      const hear = (data: unknown) => {
        if (typeof data !== "object" || data === null || !("note" in data)) {
          return;
        }
        const note = { ...(data as Note), worker };
        f.notes.push(note);
        f.onNote?.(note);
        for (const waiter of [...waiters]) {
          const count = f.notes.filter((n) => n.note === waiter.what).length;
          if (count >= waiter.count) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.done.resolve(note);
          }
        }
      };
      if (worker.addEventListener) {
        worker.addEventListener("message", (e: MessageEvent) => hear(e.data));
      } else worker.on!("message", hear);
      return worker;
    },
    waitFor(what, count = 1) {
      const done = deferred<Note>();
      const seen = f.notes.filter((n) => n.note === what).length;
      waiters.push({ what, count: seen + count, done });
      return done.promise;
    },
    nextTermination: () => terminated.promise,
    release(worker) {
      worker.postMessage({ release: true });
    },
  };
  return f;
}

/** A clock whose timers fire only when the test says so. */
export interface ManualClock {
  clock: Clock;
  /** The delays of the timers armed and not yet fired or cancelled. */
  pending(): number[];
  /** Fires every pending timer. */
  fire(): void;
}

/** Starts a {@linkcode ManualClock} at time 0. */
export function manualClock(): ManualClock {
  const timers = new Set<{ ms: number; callback: () => void }>();
  return {
    clock: {
      now: () => 0,
      setTimer(ms, callback) {
        const timer = { ms, callback };
        timers.add(timer);
        return () => timers.delete(timer);
      },
    },
    pending: () => [...timers].map((timer) => timer.ms),
    fire() {
      const due = [...timers];
      timers.clear();
      for (const timer of due) timer.callback();
    },
  };
}
