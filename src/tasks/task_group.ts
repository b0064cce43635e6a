import { abortError, isAbortError } from "../cancel/errors.ts";
import { type LinkedSignal, linkSignals } from "../cancel/link_signals.ts";
import { type Deferred, deferred } from "../_deferred.ts";
import { LinkedList, type ListNode } from "../_list.ts";
import {
  asyncDisposeSymbol,
  defineMethod,
  disposeSymbol,
} from "../_symbols.ts";
import {
  checkFunction,
  checkInteger,
  checkOptions,
  checkSignal,
} from "../_validate.ts";
import { TaskGroupError } from "./task_group_error.ts";

/** Where a {@linkcode Task} is in its life. */
export type TaskState = "pending" | "fulfilled" | "rejected" | "cancelled";

/**
 * A child of a {@linkcode TaskGroup}: awaitable like a promise, and
 * cancellable on its own. A task that rejects because its signal was aborted
 * ends `"cancelled"`, not `"rejected"`.
 */
export interface Task<T> extends PromiseLike<T> {
  /** `"pending"` until the task's function settles (or it is cancelled before it starts). */
  readonly state: TaskState;
  /** Aborts when the task or its group is cancelled. */
  readonly signal: AbortSignal;
  /** Cancels this task only: a queued task never starts; a running one sees its signal abort. */
  cancel(reason?: unknown): void;
}

/** A task's work: called with the task's signal. */
export type TaskFunction<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** A task started with a readiness handshake; see {@linkcode TaskGroup.start}. */
export type StartFunction<T> = (
  signal: AbortSignal,
  ready: (value: T) => void,
) => unknown;

/** Options of {@linkcode TaskGroup} and {@linkcode taskGroup}. */
export interface TaskGroupOptions {
  /** The parent: aborting it cancels every child, and the group rejects with its reason. */
  signal?: AbortSignal;
  /** How many children may run at once; the rest wait in FIFO order. Default `Infinity`. */
  limit?: number;
}

/** Decides, for a task that failed, whether its failure fails the group. */
type FailureFilter = (state: TaskState, outcome: unknown) => boolean;

// Module-private access to TaskGroup internals, so that Task and taskGroup()
// need no public back doors. The first construction grants it (no task and
// no taskGroup() body exists before a group does) and installs
// TaskGroup.prototype[asyncDisposeSymbol]; not a static block nor a computed
// method key, which would make bundlers keep the class even when unused (see
// defineMethod).
let installed = false;
let cancelTask: (
  group: TaskGroup,
  task: TaskRecord,
  reason: unknown,
) => void;
let signalOf: (group: TaskGroup, task: TaskRecord) => AbortSignal;
let runBody: <T>(
  group: TaskGroup,
  body: (group: TaskGroup) => T | PromiseLike<T>,
) => Promise<T | undefined>;

class TaskRecord implements Task<unknown> {
  state: TaskState = "pending";
  controller: AbortController | undefined;
  queued: ListNode<TaskRecord> | undefined;
  #outcome: unknown;
  #promise: Promise<unknown> | undefined;
  #settled: Deferred<unknown> | undefined;

  constructor(
    readonly group: TaskGroup,
    readonly fn: TaskFunction<unknown>,
    readonly countsFailure: FailureFilter | undefined,
  ) {}

  get signal(): AbortSignal {
    return signalOf(this.group, this);
  }

  cancel(reason: unknown = abortError()): void {
    cancelTask(this.group, this, reason);
  }

  // The promise is made only when someone awaits the task, so a group of
  // fire-and-forget children allocates none, and none can go unhandled.
  then<R1 = unknown, R2 = never>(
    onFulfilled?: ((value: unknown) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this.#promise) {
      if (this.state === "pending") {
        this.#settled = deferred<unknown>();
        this.#promise = this.#settled.promise;
      } else {
        this.#promise = this.state === "fulfilled"
          ? Promise.resolve(this.#outcome)
          : Promise.reject(this.#outcome);
      }
    }
    return this.#promise.then(onFulfilled, onRejected);
  }

  settle(state: TaskState, outcome: unknown): void {
    this.state = state;
    this.#outcome = outcome;
    if (!this.#settled) return;
    if (state === "fulfilled") this.#settled.resolve(outcome);
    else this.#settled.reject(outcome);
    this.#settled = undefined;
  }
}

/**
 * Structured concurrency: a scope that owns the tasks spawned into it, in
 * the manner of Trio's nursery and asyncio's `TaskGroup`.
 *
 * - {@linkcode TaskGroup.spawn} runs `fn(signal)` at once (or when a `limit`
 *   slot frees) and returns a {@linkcode Task}.
 * - The first child failure aborts the group's signal with that error, which
 *   cancels every sibling; spawning after that throws the abort reason.
 * - {@linkcode TaskGroup.wait} (and `await using`) waits for **every** child,
 *   then rejects with a {@linkcode TaskGroupError} holding each error not
 *   caused by the group's own cancellation — or, with no such errors but an
 *   aborted outer `signal`, with the outer reason; otherwise it resolves.
 * - {@linkcode TaskGroup.cancel} is a non-error early exit.
 *
 * A function that declares no parameter is called with the group's signal:
 * it cannot observe a per-task one, so none is created (creating signals is
 * the dominant cost of a trivial task). Declare the `signal` parameter when
 * the task must see its own {@linkcode Task.cancel}.
 *
 * With `await using`, a `throw` inside the block is invisible to the group's
 * disposer: the children are awaited, not cancelled. Use {@linkcode taskGroup}
 * when the body's own failure should cancel the children.
 *
 * A group is single-use: once `wait()` has settled, `spawn` throws.
 *
 * @example Siblings cancelled by a failure; the group waits for all of them
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { TaskGroup, TaskGroupError } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const group = new TaskGroup();
 * const slow = group.spawn((signal) => sleep(10_000, { signal }));
 * group.spawn(async () => {
 *   throw new Error("failed");
 * });
 * const error = await group.wait().catch((e) => e);
 * assert.instanceOf(error, TaskGroupError);
 * assert.lengthOf(error.errors, 1);
 * assert.equal(slow.state, "cancelled");
 * ```
 *
 * @example `await using` with a concurrency limit
 * ```ts
 * import { TaskGroup } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const results: number[] = [];
 * {
 *   await using group = new TaskGroup({ limit: 2 });
 *   for (let i = 0; i < 5; i++) group.spawn(async () => results.push(i));
 * }
 * assert.sameMembers(results, [0, 1, 2, 3, 4]);
 * ```
 */
export class TaskGroup implements AsyncDisposable {
  readonly #outer: AbortSignal | undefined;
  readonly #link: LinkedSignal;
  readonly #limit: number;
  readonly #queue = new LinkedList<TaskRecord>();
  readonly #signalled = new Set<TaskRecord>();
  readonly #errors: unknown[] = [];
  #running = 0;
  #pending = 0;
  #draining = false;
  #finished = false;
  #idle: Deferred<void> | undefined;
  #result: Promise<void> | undefined;

  /**
   * Creates an empty group, linked to `options.signal` when given.
   *
   * @throws {RangeError} `limit` is not an integer ≥ 1 (or `Infinity`).
   * @throws {TypeError} `signal` is not an AbortSignal.
   */
  constructor(options?: TaskGroupOptions) {
    if (!installed) {
      cancelTask = (group, task, reason) => group.#cancelTask(task, reason);
      signalOf = (group, task) => group.#controllerOf(task).signal;
      runBody = (group, body) => group.#runBody(body);
      installed = defineMethod(
        TaskGroup.prototype,
        asyncDisposeSymbol,
        function (this: TaskGroup) {
          return this.wait();
        },
      );
    }
    const { signal, limit = Infinity } = checkOptions("TaskGroup", options);
    this.#outer = checkSignal("TaskGroup", signal);
    this.#limit = checkInteger("TaskGroup", "limit", limit, 1, true);
    this.#link = linkSignals(this.#outer);
    this.signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Aborts when the group is cancelled, a child fails, or the outer signal aborts. */
  get signal(): AbortSignal {
    return this.#link.signal;
  }

  /**
   * Runs `fn(signal)` as a child of the group, now or when a `limit` slot
   * frees, and returns its {@linkcode Task}.
   *
   * @throws {TypeError} `fn` is not a function.
   * @throws the group's abort reason when the group has been cancelled or has
   * failed, and an `Error` once it has finished.
   */
  spawn<T>(fn: TaskFunction<T>): Task<T> {
    checkFunction("TaskGroup.spawn", "fn", fn);
    this.#assertOpen("spawn");
    return this.#add(fn, fn.length > 0, undefined);
  }

  /**
   * Starts `fn(signal, ready)` as a child and resolves with the value it
   * passes to `ready` — Trio's `nursery.start`, for services that must be
   * listening before the caller goes on. An error (or a return) before
   * `ready` rejects this promise instead of failing the group; after `ready`,
   * the child is like any other.
   *
   * @example
   * ```ts
   * import { sleep } from "@seed/async/cancel";
   * import { TaskGroup } from "@seed/async/tasks";
   * import { assert } from "chai";
   *
   * const group = new TaskGroup();
   * const port = await group.start<number>(async (signal, ready) => {
   *   ready(8080); // listening now
   *   await sleep(Infinity, { signal }).catch(() => {});
   * });
   * assert.equal(port, 8080);
   * group.cancel();
   * await group.wait();
   * ```
   *
   * @throws {TypeError} `fn` is not a function.
   */
  start<T>(fn: StartFunction<T>): Promise<T> {
    checkFunction("TaskGroup.start", "fn", fn);
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    this.#assertOpen("start");
    const started = deferred<T>();
    let isReady = false;
    const ready = (value: T) => {
      if (isReady) return;
      isReady = true;
      started.resolve(value);
    };
    const beforeReady: FailureFilter = (state, outcome) => {
      if (isReady) return true;
      started.reject(
        state === "fulfilled"
          ? new Error(
            "TaskGroup.start: the task returned without calling ready()",
          )
          : outcome,
      );
      return false;
    };
    this.#add((signal) => fn(signal, ready), true, beforeReady);
    return started.promise;
  }

  /**
   * Cancels every child (a non-error early exit): aborts the group's signal
   * with `reason`; the group then resolves normally once all have settled.
   */
  cancel(reason: unknown = abortError()): void {
    this.#link.abort(reason);
  }

  /**
   * Waits for every child (including those spawned meanwhile), then rejects
   * with a {@linkcode TaskGroupError} of the real failures, or with the outer
   * signal's reason, or resolves. Idempotent.
   */
  wait(): Promise<void> {
    return this.#result ??= this.#finish();
  }

  /** Same as {@linkcode TaskGroup.wait}: `await using group = new TaskGroup()`. */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  #assertOpen(where: string): void {
    if (this.signal.aborted) throw this.signal.reason;
    if (this.#finished) {
      throw new Error(
        `TaskGroup.${where}: the group has finished; create a new one`,
      );
    }
  }

  #add<T>(
    fn: TaskFunction<T>,
    needsSignal: boolean,
    countsFailure: FailureFilter | undefined,
  ): Task<T> {
    const task = new TaskRecord(this, fn, countsFailure);
    if (needsSignal) this.#controllerOf(task);
    this.#pending++;
    if (this.#running < this.#limit) this.#run(task);
    else task.queued = this.#queue.push(task);
    return task as Task<unknown> as Task<T>;
  }

  #run(task: TaskRecord): void {
    this.#running++;
    let result: unknown;
    try {
      result = task.fn(task.controller ? task.controller.signal : this.signal);
    } catch (error) {
      this.#settle(task, false, error);
      return;
    }
    Promise.resolve(result).then(
      (value) => this.#settle(task, true, value),
      (error) => this.#settle(task, false, error),
    );
  }

  #settle(task: TaskRecord, ok: boolean, outcome: unknown): void {
    this.#running--;
    this.#signalled.delete(task);
    const signal = task.controller?.signal ?? this.signal;
    const state: TaskState = ok
      ? "fulfilled"
      : isCancellation(outcome, signal)
      ? "cancelled"
      : "rejected";
    this.#finishTask(task, state, outcome);
    this.#startQueued();
  }

  #finishTask(
    task: TaskRecord,
    state: TaskState,
    outcome: unknown,
  ): void {
    this.#pending--;
    task.settle(state, outcome);
    const counts = task.countsFailure?.(state, outcome) ?? true;
    if (state === "rejected" && counts) this.#fail(outcome);
    if (this.#pending === 0 && this.#idle) {
      this.#finished = true;
      this.#idle.resolve();
    }
  }

  // A loop, not recursion: synchronous children must not deepen the stack.
  #startQueued(): void {
    if (this.#draining) return;
    this.#draining = true;
    while (this.#running < this.#limit && this.#queue.size > 0) {
      const next = this.#queue.shift()!;
      next.queued = undefined;
      this.#run(next);
    }
    this.#draining = false;
  }

  #fail(error: unknown): void {
    this.#errors.push(error);
    this.#link.abort(error);
  }

  #controllerOf(task: TaskRecord): AbortController {
    if (!task.controller) {
      task.controller = new AbortController();
      if (this.signal.aborted) task.controller.abort(this.signal.reason);
      else if (task.state === "pending") this.#signalled.add(task);
    }
    return task.controller;
  }

  #cancelTask(task: TaskRecord, reason: unknown): void {
    if (task.state !== "pending") return;
    if (task.queued) {
      this.#queue.remove(task.queued);
      task.queued = undefined;
      this.#finishTask(task, "cancelled", reason);
    } else {
      this.#controllerOf(task).abort(reason);
    }
  }

  // The group's single abort listener: it fans out to the children, so a
  // child costs no listener of its own.
  readonly #onAbort = (): void => {
    const reason = this.signal.reason;
    for (const task of [...this.#signalled]) task.controller!.abort(reason);
    for (let task; (task = this.#queue.shift());) {
      task.queued = undefined;
      this.#finishTask(task, "cancelled", reason);
    }
  };

  async #finish(): Promise<void> {
    if (this.#pending > 0) {
      this.#idle = deferred<void>();
      await this.#idle.promise;
    }
    this.#finished = true;
    this.signal.removeEventListener("abort", this.#onAbort);
    this.#link[disposeSymbol]();
    if (this.#errors.length > 0) throw new TaskGroupError(this.#errors);
    if (this.#outer?.aborted) throw this.#outer.reason;
  }

  async #runBody<T>(
    body: (group: TaskGroup) => T | PromiseLike<T>,
  ): Promise<T | undefined> {
    let value: T | undefined;
    try {
      value = await body(this);
    } catch (error) {
      if (!isCancellation(error, this.signal)) this.#fail(error);
    }
    await this.wait();
    return value;
  }
}

/** Whether `error` is the work giving up because `signal` aborted. */
function isCancellation(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error === signal.reason || isAbortError(error));
}

/**
 * The function form of {@linkcode TaskGroup}: runs `body(group)`, waits for
 * every child, and resolves with the body's value. Unlike `await using`, a
 * throwing body is seen: it cancels the children and its error joins the
 * {@linkcode TaskGroupError}. Resolves `undefined` when the body was cut short
 * by the group's cancellation. An already-aborted `signal` rejects at once,
 * before `body` runs.
 *
 * @throws {TypeError} `body` is not a function.
 *
 * @example
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { taskGroup } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const total = await taskGroup(async (group) => {
 *   const a = group.spawn(async (signal) => { await sleep(5, { signal }); return 2; });
 *   const b = group.spawn(async () => 3);
 *   return (await a) + (await b);
 * });
 * assert.equal(total, 5);
 * ```
 */
export function taskGroup<T>(
  body: (group: TaskGroup) => T | PromiseLike<T>,
  options?: TaskGroupOptions,
): Promise<T | undefined> {
  checkFunction("taskGroup", "body", body);
  const group = new TaskGroup(options);
  if (group.signal.aborted) return Promise.reject(group.signal.reason);
  return runBody(group, body);
}
