import { abortError, isAbortError } from "../cancel/errors.ts";
import type { Clock } from "../cancel/clock.ts";
import { clockOf, registerClock } from "../_clock.ts";
import { type Deferred, deferred } from "../_deferred.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import { inspectHook } from "../_inspect_hook.ts";
import { asyncDisposeSymbol, defineMethod } from "../_symbols.ts";
import {
  checkClock,
  checkFunction,
  checkInteger,
  checkName,
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
 *
 * A task is a thenable: resolving a promise with one (returning it from an
 * `async` function, `Promise.resolve(task)`) adopts its outcome.
 */
export interface Task<T> extends PromiseLike<T> {
  /** `"pending"` until the task's function settles (or it is cancelled before it starts). */
  readonly state: TaskState;
  /**
   * Aborts when the task or its group is cancelled before the task settles;
   * never once the task has fulfilled or rejected.
   */
  readonly signal: AbortSignal;
  /** The `name` given to `spawn`/`start`, else the function's own name, else `undefined`. */
  readonly name: string | undefined;
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
  /** A name for the group, for people reading a task tree. */
  name?: string;
  /**
   * The clock of the group's signal and of every task's signal, so a
   * `sleep(ms, { signal })` inside runs on it; default: the clock of
   * `signal`'s scope, else `systemClock`.
   */
  clock?: Clock;
}

/** Options of {@linkcode TaskGroup.spawn}. */
export interface SpawnOptions {
  /** The task's name; by default the function's own name, if it has one. */
  name?: string;
}

/** Options of {@linkcode TaskGroup.start}. */
export interface StartOptions extends SpawnOptions {
  /**
   * The caller's signal: aborting it before the child calls `ready` cancels
   * that child and rejects `start` with its reason; the group goes on.
   */
  signal?: AbortSignal;
}

/** Decides, for a task that settled, whether its failure fails the group. */
type FailureFilter = (state: TaskState, outcome: unknown) => boolean;

// Module-private access to TaskGroup internals, so that Task and taskGroup()
// need no public back doors. The first construction grants it (no task and
// no taskGroup() body exists before a group does) and installs
// TaskGroup.prototype[asyncDisposeSymbol]; not a static block nor a computed
// method key, which would make bundlers keep the class even when unused (see
// defineMethod).
let installed = false;
// The function the user called, for argument errors: `taskGroup` while it
// constructs its group, `TaskGroup` otherwise.
let where = "TaskGroup";
let cancelTask: (task: TaskRecord, reason: unknown) => void;
let signalOf: (task: TaskRecord) => AbortSignal;
let failGroup: (group: TaskGroup, error: unknown) => void;

// A pending task's `outcome` is RUNNING once it runs; before, it holds the
// function that releases it from the queue (after which its start is a
// microtask away).
const RUNNING: unique symbol = Symbol();

/** What a queued task's start promise resolves to: the task, boxed (a task is a thenable, which the promise would adopt). */
type Box = { task: TaskRecord };

// A pending task's bytes are the library's cost per unit of concurrency, so
// a task has four fields; what only some tasks need is added to those alone:
// `controller` to a task with a signal of its own (see SignalledRecord),
// `waiter` to a pending task someone awaits, `filter` to a start() child.
class TaskRecord implements Task<unknown> {
  state: TaskState = "pending";
  outcome: unknown = RUNNING;
  declare controller?: AbortController;
  declare waiter?: Deferred<unknown>;
  declare filter?: FailureFilter;

  constructor(
    readonly group: TaskGroup,
    readonly fn: TaskFunction<unknown>,
  ) {}

  get signal(): AbortSignal {
    return signalOf(this);
  }

  get name(): string | undefined {
    return names.get(this) ?? (this.fn.name || undefined);
  }

  cancel(reason: unknown = abortError()): void {
    cancelTask(this, reason);
  }

  // The promise is made only when someone awaits the task, so a group of
  // fire-and-forget children allocates none, and none can go unhandled.
  then<R1 = unknown, R2 = never>(
    onFulfilled?: ((value: unknown) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return (this.state === "pending"
      ? (this.waiter ??= deferred()).promise
      : this.state === "fulfilled"
      ? Promise.resolve(this.outcome)
      : Promise.reject(this.outcome)).then(onFulfilled, onRejected);
  }
}

// A task whose function declares a parameter, so it will have a controller:
// the field is its own from the start, since one added to an object later
// costs a separate property store (~32 B).
class SignalledRecord extends TaskRecord {
  override controller: AbortController | undefined = undefined;
}

// The names given to spawn() and start(): few tasks have one, so it is no
// field of every task.
const names = /* @__PURE__ */ new WeakMap<TaskRecord, string>();

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
  /** The `name` option, for people reading a task tree. */
  readonly name: string | undefined;
  readonly #outer: AbortSignal | undefined;
  // The group's own signal, and its subscription to the outer one.
  readonly #controller = new AbortController();
  readonly #signal = this.#controller.signal;
  #unlink: AbortSubscription | undefined;
  readonly #limit: number;
  // The tasks waiting for a slot, in FIFO order, and the iterator that takes
  // them out: kept for the group's life, since a Set iterated from the start
  // again would step over every entry deleted before.
  readonly #queue = new Set<TaskRecord>();
  #next: Iterator<TaskRecord> | undefined;
  // The running tasks with a controller of their own, aborted by #abort.
  readonly #signalled = new Set<TaskRecord>();
  #errors: unknown[] | undefined;
  readonly #clock: Clock | undefined; // undefined: the system clock
  #running = 0;
  #pending = 0;
  #finished = false;
  #idle: Deferred<void> | undefined;
  #result: Promise<void> | undefined;

  /**
   * Creates an empty group, linked to `options.signal` when given.
   *
   * @throws {RangeError} `limit` is not an integer ≥ 1 (or `Infinity`).
   * @throws {TypeError} `signal` is not an AbortSignal, or `name` not a string.
   */
  constructor(options?: TaskGroupOptions) {
    if (!installed) {
      cancelTask = (task, reason) => task.group.#cancelTask(task, reason);
      signalOf = (task) => task.group.#controllerOf(task).signal;
      failGroup = (group, error) => group.#fail(error);
      installed = defineMethod(
        TaskGroup.prototype,
        asyncDisposeSymbol,
        function (this: TaskGroup) {
          return this.wait();
        },
      );
    }
    const { signal, limit = Infinity, name, clock } = checkOptions(
      where,
      options,
    );
    const outer = this.#outer = checkSignal(where, signal);
    this.#limit = checkInteger(where, "limit", limit, 1, true);
    this.name = checkName(where, name);
    this.#clock = checkClock(where, clock) ?? clockOf(outer);
    registerClock(this.#signal, this.#clock);
    if (outer?.aborted) this.#controller.abort(outer.reason);
    else if (outer) {
      this.#unlink = onAbort(outer, () => this.#abort(outer.reason));
    }
    inspectHook?.group(this, outer, this.#signal);
  }

  /** Aborts when the group is cancelled, a child fails, or the outer signal aborts. */
  get signal(): AbortSignal {
    return this.#signal;
  }

  /**
   * Runs `fn(signal)` as a child of the group, now or when a `limit` slot
   * frees, and returns its {@linkcode Task}. A queued task starts in the
   * async context of this call (an `AsyncLocalStorage` value set around
   * `spawn` is the one the task sees), not in the context of the task whose
   * end freed the slot.
   *
   * @example A queued task keeps its name and waits for a slot
   * ```ts
   * import { TaskGroup } from "@seed/async/tasks";
   * import { assert } from "chai";
   *
   * const group = new TaskGroup({ limit: 1, name: "crawler" });
   * const first = group.spawn(async function fetchIndex() { return 1; });
   * const second = group.spawn(async () => 2, { name: "fetch page" });
   * assert.equal(first.name, "fetchIndex");
   * assert.equal(second.name, "fetch page");
   * assert.deepEqual(await Promise.all([first, second]), [1, 2]);
   * await group.wait();
   * ```
   *
   * @throws {TypeError} `fn` is not a function, or `name` not a string.
   * @throws the group's abort reason when the group has been cancelled or has
   * failed, and an `Error` once it has finished.
   */
  spawn<T>(fn: TaskFunction<T>, options?: SpawnOptions): Task<T> {
    const where = "TaskGroup.spawn";
    checkFunction(where, "fn", fn);
    const name = options === undefined
      ? undefined
      : checkName(where, checkOptions(where, options).name);
    const task = fn.length > 0
      ? new SignalledRecord(this, fn)
      : new TaskRecord(this, fn);
    return this.#add(task, name, where) as Task<
      unknown
    > as Task<
      T
    >;
  }

  /**
   * Starts `fn(signal, ready)` as a child and resolves with the value it
   * passes to `ready` — Trio's `nursery.start`, for services that must be
   * listening before the caller goes on. An error (or a return) before
   * `ready` rejects this promise instead of failing the group; after `ready`,
   * the child is like any other. Aborting `options.signal` before `ready`
   * cancels the child and rejects with the signal's reason, and the group
   * goes on (whatever the child then does is not a failure of the group); an
   * already-aborted signal rejects at once and starts nothing.
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
   * }, { name: "server" });
   * assert.equal(port, 8080);
   * group.cancel();
   * await group.wait();
   * ```
   *
   * @example The caller gives up before the child is ready
   * ```ts
   * import { sleep } from "@seed/async/cancel";
   * import { TaskGroup } from "@seed/async/tasks";
   * import { assert } from "chai";
   *
   * const group = new TaskGroup();
   * const caller = new AbortController();
   * const started = group.start(async (signal, ready) => {
   *   await sleep(10_000, { signal }); // never gets to ready()
   *   ready("up");
   * }, { signal: caller.signal });
   * caller.abort(new Error("not needed"));
   * const error = await started.catch((e) => e);
   * assert.equal((error as Error).message, "not needed");
   * assert.isFalse(group.signal.aborted);
   * await group.wait(); // resolves: the group did not fail
   * ```
   *
   * @throws {TypeError} `fn` is not a function, `signal` is not an
   * AbortSignal, or `name` not a string.
   */
  start<T>(fn: StartFunction<T>, options?: StartOptions): Promise<T> {
    const where = "TaskGroup.start";
    checkFunction(where, "fn", fn);
    const opts = checkOptions(where, options);
    const signal = checkSignal(where, opts.signal);
    const name = checkName(where, opts.name) ?? (fn.name || undefined);
    const aborted = this.#signal.aborted ? this.#signal : signal;
    if (aborted?.aborted) return Promise.reject(aborted.reason);
    const started = deferred<T>();
    // Until the child is ready (phase 1), its outcome is the caller's; phase
    // 2: `start` has been settled otherwise.
    let phase = 0;
    let subscription: AbortSubscription | undefined;
    const close = (next: number): boolean => {
      if (phase) return false;
      phase = next;
      if (subscription) offAbort(subscription);
      return true;
    };
    const task = new TaskRecord(this, (signal) =>
      fn(signal, (value) => {
        if (close(1)) started.resolve(value);
      }));
    task.filter = (state, outcome) => {
      if (close(2)) {
        started.reject(
          state === "fulfilled"
            ? new Error(`${where}: the task returned without calling ready()`)
            : outcome,
        );
      }
      return phase === 1;
    };
    this.#add(task, name, where);
    if (signal && !phase) {
      subscription = onAbort(signal, () => {
        close(2);
        started.reject(signal.reason);
        this.#cancelTask(task, signal.reason);
      });
    }
    return started.promise;
  }

  /**
   * Cancels every child (a non-error early exit): aborts the group's signal
   * with `reason`; the group then resolves normally once all have settled.
   */
  cancel(reason: unknown = abortError()): void {
    this.#abort(reason);
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

  // Every abort of the group's signal comes through here, which fans it out
  // to the children, so a child costs no listener of its own.
  #abort(reason: unknown): void {
    if (this.#unlink) offAbort(this.#unlink);
    this.#controller.abort(reason);
    reason = this.#signal.reason;
    for (const task of this.#signalled) task.controller!.abort(reason);
    this.#signalled.clear();
    for (const task of this.#queue) this.#drop(task, reason);
    this.#queue.clear();
  }

  // Adds a task, after checking that the group takes it: runs it at once if
  // a slot is free, else queues it. Its start is then the continuation of a
  // promise made now, in the async context of the spawn call (rule 11):
  // whatever frees the slot only resolves that promise, it never calls the
  // task's function itself.
  #add(task: TaskRecord, name: string | undefined, where: string): TaskRecord {
    if (this.#signal.aborted) throw this.#signal.reason;
    if (this.#finished) {
      throw new Error(
        `${where}: the group has finished; create a new one`,
      );
    }
    if (name !== undefined) names.set(task, name);
    inspectHook?.spawn(task, this);
    this.#pending++;
    if (this.#running < this.#limit) {
      this.#running++;
      this.#run(task);
    } else {
      this.#queue.add(task);
      new Promise<Box>((resolve) => {
        task.outcome = resolve;
      }).then(TaskGroup.#begin);
    }
    return task;
  }

  // Runs a task whose slot is already counted in #running, in a group that
  // has not aborted.
  #run(task: TaskRecord): void {
    task.outcome = RUNNING;
    const signal = task.controller || task.fn.length > 0
      ? this.#controllerOf(task).signal
      : this.#signal;
    let result: unknown;
    try {
      result = inspectHook
        ? inspectHook.run(task, task.fn, signal)
        : task.fn(signal);
    } catch (error) {
      return this.#settle(task, false, error);
    }
    // Handlers bound to the task are the smallest callables that know it.
    Promise.resolve(result).then(
      TaskGroup.#fulfilled.bind(task),
      TaskGroup.#rejected.bind(task),
    );
  }

  static #fulfilled(this: TaskRecord, value: unknown): void {
    this.group.#settle(this, true, value);
  }

  static #rejected(this: TaskRecord, error: unknown): void {
    this.group.#settle(this, false, error);
  }

  // The continuation of a queued task's start promise. The task may have
  // been cancelled, or the group aborted, since it was released.
  static #begin({ task }: Box): void {
    const group = task.group;
    if (task.state === "pending") {
      if (!group.#signal.aborted) return group.#run(task);
      group.#drop(task, group.#signal.reason);
    }
    group.#running--;
    group.#startQueued();
  }

  #settle(task: TaskRecord, ok: boolean, outcome: unknown): void {
    this.#running--;
    if (task.controller) this.#signalled.delete(task);
    this.#finishTask(
      task,
      ok
        ? "fulfilled"
        : isCancellation(outcome, task.controller?.signal ?? this.#signal)
        ? "cancelled"
        : "rejected",
      outcome,
    );
    this.#startQueued();
  }

  #finishTask(task: TaskRecord, state: TaskState, outcome: unknown): void {
    this.#pending--;
    task.state = state;
    task.outcome = outcome;
    const waiter = task.waiter;
    if (waiter) {
      (state === "fulfilled" ? waiter.resolve : waiter.reject)(outcome);
    }
    inspectHook?.end(task, state, outcome);
    const counts = !task.filter || task.filter(state, outcome);
    if (counts && state === "rejected") this.#fail(outcome);
    if (this.#pending === 0 && this.#idle) {
      this.#finished = true;
      this.#idle.resolve();
    }
  }

  // A task that never runs: cancelled while queued or released.
  #drop(task: TaskRecord, reason: unknown): void {
    this.#finishTask(task, "cancelled", reason);
    task.controller?.abort(reason);
  }

  // Releases queued tasks into the free slots. Each starts from its own
  // continuation (see #add), so a long queue of synchronous children never
  // deepens the stack.
  #startQueued(): void {
    while (this.#running < this.#limit && this.#queue.size) {
      const task = (this.#next ??= this.#queue.values()).next()
        .value as TaskRecord;
      this.#queue.delete(task);
      this.#running++;
      (task.outcome as (box: Box) => void)({ task });
    }
  }

  #fail(error: unknown): void {
    (this.#errors ??= []).push(error);
    this.#abort(error);
  }

  // A task's own controller, made on demand. Its signal follows the task:
  // aborted if the task was cancelled, or is pending in an aborted group;
  // never for a task that fulfilled or rejected (rule 10). While the task
  // runs, the group's abort reaches it through #signalled.
  #controllerOf(task: TaskRecord): AbortController {
    let controller = task.controller;
    if (!controller) {
      controller = task.controller = new AbortController();
      registerClock(controller.signal, this.#clock);
      if (task.state === "cancelled") controller.abort(task.outcome);
      else if (task.state === "pending" && this.#signal.aborted) {
        controller.abort(this.#signal.reason);
      }
    }
    if (task.outcome === RUNNING) this.#signalled.add(task);
    return controller;
  }

  #cancelTask(task: TaskRecord, reason: unknown): void {
    if (task.state !== "pending") return;
    if (task.outcome === RUNNING) this.#controllerOf(task).abort(reason);
    // Queued or released: it never starts. Forgetting its release function
    // lets its start promise be collected with it.
    else {
      this.#queue.delete(task);
      this.#drop(task, reason);
    }
  }

  async #finish(): Promise<void> {
    if (this.#pending > 0) await (this.#idle = deferred()).promise;
    this.#finished = true;
    inspectHook?.end(this, this.#errors ? "rejected" : undefined);
    if (this.#unlink) offAbort(this.#unlink);
    if (this.#errors) throw new TaskGroupError(this.#errors);
    if (this.#outer?.aborted) throw this.#outer.reason;
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
  let group: TaskGroup;
  where = "taskGroup";
  try {
    group = new TaskGroup(options);
  } finally {
    where = "TaskGroup";
  }
  if (group.signal.aborted) return Promise.reject(group.signal.reason);
  return runBody(group, body);
}

async function runBody<T>(
  group: TaskGroup,
  body: (group: TaskGroup) => T | PromiseLike<T>,
): Promise<T | undefined> {
  let value: T | undefined;
  try {
    value = await body(group);
  } catch (error) {
    if (!isCancellation(error, group.signal)) failGroup(group, error);
  }
  await group.wait();
  return value;
}
