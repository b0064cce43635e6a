import { type Deferred, deferred } from "../_deferred.ts";
import { LinkedList, type ListNode } from "../_list.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import { asyncDisposeSymbol, defineMethod } from "../_symbols.ts";
import { resolveClock } from "../_clock.ts";
import { noop } from "../_noop.ts";
import { inspectHook } from "../_inspect_hook.ts";
import { type Clock, systemClock } from "../cancel/clock.ts";
import {
  checkClock,
  checkDuration,
  checkFunction,
  checkInteger,
  checkOptions,
  checkSignal,
  describe,
} from "../_validate.ts";
import type { MessagePortLike } from "./serve.ts";
import {
  CANCEL,
  CLOSING,
  decodeThrown,
  DONE,
  encodeThrown,
  isPort,
  listen,
  RUN,
} from "./_protocol.ts";

/**
 * What {@linkcode WorkerPoolOptions.create} returns: a web `Worker` (Deno,
 * Bun, browsers) or a Node `worker_threads.Worker`, recognised by shape. It
 * posts messages, terminates, and is listened to with
 * `addEventListener`/`removeEventListener` or `on`/`off`.
 */
export interface WorkerLike extends MessagePortLike {
  /** Stops the worker; a Node worker's promise settles once it has exited. */
  terminate(): unknown;
}

/** The options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Starts one worker, e.g. `() => new Worker(new URL("./hash_worker.ts",
   * import.meta.url), { type: "module" })`. The worker module calls
   * {@linkcode serve}. Without it (or where the runtime has no workers) every
   * run rejects with a `NotSupportedError`.
   */
  create?: () => WorkerLike;
  /**
   * The most workers alive, and so runs at once; the rest wait in FIFO
   * order. Defaults to `navigator.hardwareConcurrency`, or 4 without it.
   */
  limit?: number;
  /** Milliseconds an idle worker lives before it is terminated (default: forever). */
  idleTimeout?: number;
  /**
   * Milliseconds a cancelled run has to stop by itself before its worker is
   * terminated (default 1000; 0 terminates at once).
   */
  graceMs?: number;
  /**
   * The clock of the idle timers, and of the grace timers of runs whose
   * signal brings no clock of its own; default `systemClock`.
   */
  clock?: Clock;
}

/** The options of {@linkcode WorkerPool.run}. */
export interface RunOptions {
  /** Cancels the run: removed from the queue, or cancelled in the worker. */
  signal?: AbortSignal;
  /** Transferables in `arg` to move to the worker instead of copying them. */
  transfer?: Transferable[];
  /**
   * The clock of this run's grace timer; default: the clock of `signal`'s
   * scope, else the pool's.
   */
  clock?: Clock;
}

/** One `run` call, from the queue to its settlement. */
interface Job {
  readonly id: number;
  readonly name: string;
  readonly arg: unknown;
  readonly transfer: Transferable[] | undefined;
  readonly signal: AbortSignal | undefined;
  readonly clock: Clock | undefined;
  readonly result: Deferred<unknown>;
  subscription: AbortSubscription | null;
  node: ListNode<Job> | null; // while queued
  slot: Slot | null; // while sent
  settled: boolean; // the caller has its answer (the worker may still be busy)
}

/** One live worker and what it is doing. */
interface Slot {
  readonly worker: WorkerLike;
  job: Job | null; // the run it executes, or finishes after a cancel
  stopTimer: () => void; // its idle or grace timer
  detach: () => void; // removes the pool's listeners
}

let installed = false;
let nextId = 0;

/**
 * A pool of workers for CPU-bound work: Python's `asyncio.to_thread` for the
 * web platform. `run(name, arg)` calls the handler `name` that the worker
 * module registered with {@linkcode serve} and resolves with its result, so a
 * long computation no longer freezes timers, I/O and every other task.
 *
 * Workers start lazily, one per run up to `limit`, and are reused; each runs
 * one call at a time. The pool never constructs a `Worker` itself: `create`
 * does, at your call site, so bundlers see `new Worker(new URL(...))`.
 *
 * **Cancellation** is in two phases. A queued run that is aborted leaves the
 * queue (it is never sent). A running one rejects with `signal.reason` at
 * once and its handler's `signal` aborts with a copy of the reason; a handler
 * that has not finished `graceMs` later (a synchronous loop cannot notice)
 * has its worker terminated and replaced. A worker that is finishing a
 * cancelled run takes no new one until it has.
 *
 * **Errors** cross intact: a `TypeError` thrown in the worker is a `TypeError`
 * here, a custom class keeps its `name`, and `message`, `stack` and `cause`
 * come along. A worker that crashes (an uncaught error, `close()`, exit)
 * rejects its run with an error saying so and is replaced.
 *
 * `close()` (or `await using`) terminates every worker and awaits them; runs
 * still queued or running reject with an `AbortError`.
 *
 * @example
 * ```ts
 * import { WorkerPool } from "@seed/async/worker";
 * import { assert } from "chai";
 *
 * // A worker module, here from a blob URL; usually its own file.
 * const source = `
 *   import { serve } from ${JSON.stringify(import.meta.resolve("@seed/async/worker"))};
 *   serve({ fib: (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)) });
 *   function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * `;
 * const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
 *
 * await using pool = new WorkerPool({
 *   create: () => new Worker(url, { type: "module" }),
 *   limit: 2,
 * });
 * const results = await Promise.all([20, 21, 22].map((n) => pool.run("fib", n)));
 * assert.deepEqual(results, [6765, 10946, 17711]);
 * assert.equal(pool.size, 2); // the third run reused a worker
 * ```
 */
export class WorkerPool {
  readonly #create: (() => WorkerLike) | undefined;
  readonly #limit: number;
  readonly #idleTimeout: number;
  readonly #graceMs: number;
  readonly #clock: Clock | undefined;
  readonly #slots = new Set<Slot>();
  readonly #idle: Slot[] = []; // most recently used last
  readonly #queue = new LinkedList<Job>();
  readonly #exits = new Set<Promise<unknown>>(); // workers still stopping
  #running = 0;
  #closed: Promise<void> | null = null;

  /** Same as {@linkcode WorkerPool.close}: `await using pool = new WorkerPool(...)`. */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  /**
   * Creates a pool; nothing starts until the first run.
   *
   * @throws {TypeError} an option has the wrong type.
   * @throws {RangeError} `limit` is not an integer ≥ 1, or a duration is negative.
   */
  constructor(options?: WorkerPoolOptions) {
    const o = checkOptions("WorkerPool", options);
    this.#create = o.create === undefined
      ? undefined
      : checkFunction("WorkerPool", "create", o.create);
    this.#limit = o.limit === undefined
      ? globalThis.navigator?.hardwareConcurrency || 4
      : checkInteger("WorkerPool", "limit", o.limit, 1);
    this.#idleTimeout = o.idleTimeout === undefined
      ? Infinity
      : checkDuration("WorkerPool", "idleTimeout", o.idleTimeout);
    this.#graceMs = o.graceMs === undefined
      ? 1000
      : checkDuration("WorkerPool", "graceMs", o.graceMs);
    this.#clock = checkClock("WorkerPool", o.clock);
    installed ||= defineMethod(
      WorkerPool.prototype,
      asyncDisposeSymbol,
      WorkerPool.prototype.close,
    );
  }

  /** Runs sent to a worker and not yet settled. */
  get running(): number {
    return this.#running;
  }

  /** Runs waiting for a worker. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Workers alive (busy or idle). */
  get size(): number {
    return this.#slots.size;
  }

  /**
   * Runs the worker handler `name` with `arg` (structured-cloned, or moved
   * for what `transfer` lists) and resolves with its result. At most `limit`
   * runs at once; the rest wait in FIFO order.
   *
   * Rejects with `signal.reason` when aborted (see the class for what
   * happens to the worker), with what the handler threw, with an error
   * saying the worker crashed, with a `NotSupportedError` `DOMException`
   * where there are no workers, and with an `InvalidStateError` once the
   * pool is closed.
   *
   * @throws {TypeError} `name` is not a string, or an option has the wrong type.
   *
   * @example Cancelling a run
   * ```ts
   * import { WorkerPool } from "@seed/async/worker";
   * import { assert } from "chai";
   *
   * const source = `
   *   import { serve } from ${JSON.stringify(import.meta.resolve("@seed/async/worker"))};
   *   serve({
   *     wait: (_, { signal }) => new Promise((_, reject) =>
   *       signal.addEventListener("abort", () => reject(signal.reason))),
   *   });
   * `;
   * const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
   * await using pool = new WorkerPool({
   *   create: () => new Worker(url, { type: "module" }),
   *   limit: 1,
   * });
   * const controller = new AbortController();
   * const waiting = pool.run<never>("wait", null, { signal: controller.signal });
   * const queued = pool.run<never>("wait", null, { signal: controller.signal });
   * controller.abort(new Error("no longer needed"));
   * assert.equal((await waiting.catch((e: Error) => e)).message, "no longer needed");
   * assert.equal((await queued.catch((e: Error) => e)).message, "no longer needed");
   * ```
   */
  run<T = unknown>(
    name: string,
    arg?: unknown,
    options?: RunOptions,
  ): Promise<T> {
    if (typeof name !== "string") {
      throw new TypeError(
        `WorkerPool.run: name must be a string, got ${describe(name)}`,
      );
    }
    const o = checkOptions("WorkerPool.run", options);
    const signal = checkSignal("WorkerPool.run", o.signal);
    const clock = checkClock("WorkerPool.run", o.clock);
    const list = o.transfer;
    if (list !== undefined && !Array.isArray(list)) {
      throw new TypeError(
        `WorkerPool.run: transfer must be an array, got ${describe(list)}`,
      );
    }
    if (this.#closed) {
      return Promise.reject(
        new DOMException(
          "WorkerPool.run: the pool is closed",
          "InvalidStateError",
        ),
      );
    }
    if (!this.#create) {
      return Promise.reject(
        new DOMException(
          "WorkerPool.run: no workers here (the pool was given no create function)",
          "NotSupportedError",
        ),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const job: Job = {
      id: nextId++,
      name,
      arg,
      transfer: list,
      signal,
      clock,
      result: deferred(),
      subscription: null,
      node: null,
      slot: null,
      settled: false,
    };
    if (signal) {
      job.subscription = onAbort(signal, () => this.#cancel(job));
      inspectHook?.enter(job, signal, "WorkerPool.run");
    }
    if (this.#idle.length || this.#slots.size < this.#limit) this.#send(job);
    else job.node = this.#queue.push(job);
    return job.result.promise as Promise<T>;
  }

  /**
   * Terminates every worker and waits until they have stopped. Runs still
   * queued or running reject with an `AbortError` `DOMException`; later runs
   * reject with an `InvalidStateError`. Calling it again returns the same
   * promise.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@seed/async/worker";
   * import { assert } from "chai";
   *
   * const pool = new WorkerPool(); // no create: nothing ever starts
   * await pool.close();
   * assert.equal(pool.size, 0);
   * assert.equal((await pool.run<never>("any").catch((e: Error) => e)).name, "InvalidStateError");
   * ```
   */
  close(): Promise<void> {
    if (this.#closed) return this.#closed;
    const reason = new DOMException(
      "WorkerPool.close: the pool was closed",
      "AbortError",
    );
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
      job.node = null;
      this.#settle(job, false, reason);
    }
    for (const slot of [...this.#slots]) {
      if (slot.job) this.#settle(slot.job, false, reason);
      this.#retire(slot);
    }
    return this.#closed = Promise.all(this.#exits).then(noop);
  }

  /** Sends `job` to an idle worker, or to a new one. */
  #send(job: Job): void {
    let slot = this.#idle.pop();
    if (!slot) {
      try {
        slot = this.#start();
      } catch (error) {
        return this.#settle(job, false, error);
      }
    }
    slot.stopTimer();
    slot.stopTimer = noop;
    slot.job = job;
    job.slot = slot;
    this.#running++;
    try {
      const message = [RUN, job.id, job.name, job.arg];
      if (job.transfer) slot.worker.postMessage(message, job.transfer);
      else slot.worker.postMessage(message);
    } catch (error) { // `arg` cannot be cloned; the worker never saw it
      this.#settle(job, false, error);
      this.#release(slot);
    }
  }

  /** Starts a worker and listens to it. */
  #start(): Slot {
    const worker = this.#create!();
    if (!isPort(worker) || typeof worker.terminate !== "function") {
      throw new TypeError(
        `WorkerPool: create must return a Worker (postMessage, terminate and addEventListener or on/off), got ${
          describe(worker)
        }`,
      );
    }
    const slot: Slot = { worker, job: null, stopTimer: noop, detach: noop };
    const crash = (what: string, cause?: unknown) =>
      this.#crash(slot, what, cause);
    const removers = [
      listen(worker, "message", (message) => this.#reply(slot, message), true),
      listen(worker, "error", (event) => {
        // A web ErrorEvent not prevented is reported again by the parent
        // (Deno: "Unhandled error in child worker"); Node passes the error.
        const e = event as ErrorEvent;
        e.preventDefault?.();
        const error = e instanceof Error ? e : e.error ?? undefined;
        const text = error?.message ?? e.message;
        crash(text ? `an uncaught error: ${text}` : "an error event", error);
      }),
      listen(
        worker,
        "messageerror",
        () => crash("a message that could not be deserialized"),
      ),
      // Node's worker emits "exit" with the code; Bun's a "close" event.
      listen(worker, "exit", (code) => crash(`exit with code ${code}`)),
      listen(
        worker,
        "close",
        (event) => crash(`exit with code ${(event as CloseEvent).code}`),
      ),
    ];
    slot.detach = () => removers.forEach((remove) => remove());
    this.#slots.add(slot);
    return slot;
  }

  /** A message from `slot`'s worker: the answer to its run, or a goodbye. */
  #reply(slot: Slot, message: unknown): void {
    if (!Array.isArray(message)) return;
    if (message[0] === CLOSING) return this.#crash(slot, "close()");
    const job = slot.job;
    if (!job || message[0] !== job.id) return;
    this.#settle(
      job,
      message[1] === DONE,
      message[1] === DONE ? message[2] : decodeThrown(message[2]),
    );
    this.#release(slot);
  }

  /** Gives `job` its answer (once) and stops listening to its signal. */
  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.settled) return;
    job.settled = true;
    inspectHook?.leave(job);
    if (job.subscription) offAbort(job.subscription);
    if (job.slot) this.#running--;
    if (ok) job.result.resolve(value);
    else job.result.reject(value);
  }

  /** `job`'s signal aborted: unqueue it, or cancel it in its worker. */
  #cancel(job: Job): void {
    job.subscription = null; // onAbort has dropped it
    const reason = job.signal!.reason;
    const slot = job.slot;
    if (job.node) {
      this.#queue.remove(job.node);
      job.node = null;
    }
    this.#settle(job, false, reason);
    if (!slot) return;
    try {
      slot.worker.postMessage([CANCEL, job.id, encodeThrown(reason)]);
    } catch {
      // The reason does not clone: the handler's signal aborts with an AbortError.
      slot.worker.postMessage([CANCEL, job.id, { value: undefined }]);
    }
    const clock = resolveClock(job.clock ?? this.#clock, job.signal);
    slot.stopTimer = clock.setTimer(this.#graceMs, () => {
      slot.stopTimer = noop;
      this.#retire(slot);
      this.#pump();
    });
  }

  /** `slot`'s worker has finished its run: give it the next, or let it idle. */
  #release(slot: Slot): void {
    slot.stopTimer();
    slot.stopTimer = noop;
    if (slot.job) slot.job.slot = null;
    slot.job = null;
    const next = this.#queue.shift();
    if (next) {
      next.node = null;
      this.#idle.push(slot);
      return this.#send(next);
    }
    this.#idle.push(slot);
    const clock = this.#clock ?? systemClock;
    slot.stopTimer = clock.setTimer(this.#idleTimeout, () => {
      slot.stopTimer = noop;
      this.#retire(slot);
    });
  }

  /** `slot`'s worker is gone or broken: fail its run, retire it, move on. */
  #crash(slot: Slot, what: string, cause?: unknown): void {
    if (!this.#slots.has(slot)) return;
    const job = slot.job;
    if (job) {
      this.#settle(
        job,
        false,
        new Error(
          `WorkerPool.run: the worker running ${
            describe(job.name)
          } crashed (${what})`,
          cause === undefined ? undefined : { cause },
        ),
      );
    }
    // A Deno worker that had an uncaught error answers nothing more.
    this.#retire(slot);
    this.#pump();
  }

  /** Terminates `slot`'s worker; it is never handed work again. */
  #retire(slot: Slot): void {
    if (!this.#slots.delete(slot)) return;
    slot.stopTimer();
    slot.stopTimer = noop;
    slot.detach();
    if (slot.job) slot.job.slot = null;
    slot.job = null;
    const at = this.#idle.indexOf(slot);
    if (at !== -1) this.#idle.splice(at, 1);
    // Node's terminate() returns a promise of the exit; a web one returns nothing.
    let exit: Promise<unknown>;
    try {
      exit = Promise.resolve(slot.worker.terminate()).catch(noop);
    } catch {
      return;
    }
    this.#exits.add(exit);
    exit.then(() => this.#exits.delete(exit));
  }

  /** Starts queued runs while there is room for a worker. */
  #pump(): void {
    while (this.#queue.size && this.#slots.size < this.#limit) {
      const job = this.#queue.shift()!;
      job.node = null;
      this.#send(job);
    }
  }
}
