import { type Deferred, deferred } from "../_deferred.ts";
import { LinkedList } from "../_list.ts";
import { asyncDisposeSymbol, defineMethod } from "../_symbols.ts";
import { checkInteger, checkOptions, checkSignal } from "../_validate.ts";
import { checkFunctions } from "./_args.ts";
import { HandOver } from "./_hand_over.ts";
import type { GatherOptions } from "./gather.ts";
import { type TaskFunction, TaskGroup } from "./task_group.ts";

/**
 * Runs every `fn(signal)` (at most `limit` at a time) and yields their values
 * in the order they complete — asyncio's `as_completed`, structured.
 *
 * - **Lazy**: nothing starts before the first `next()`.
 * - **Bounded**: a function starts only while fewer than `limit` are running
 *   or waiting to be consumed, so a slow consumer holds back the work.
 * - **Early exit**: `break` (or `return()`, `throw()`, `await using`) aborts
 *   the functions still running and waits for them to settle; their
 *   outcomes are discarded, and a `next()` still pending ends `done`.
 * - **Failure**: the first function to fail aborts the rest; the values that
 *   completed before it are still yielded, then `next()` rejects with that
 *   error once everything has settled, and the iterator is done.
 * - **Abort**: aborting `options.signal` aborts the functions, and the next
 *   `next()` rejects with its reason once they have settled (values not yet
 *   consumed are dropped).
 *
 * @throws {TypeError} `fns` is not an iterable of functions, or `signal` is
 * not an AbortSignal.
 * @throws {RangeError} `limit` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example First come, first served; `break` cancels the rest
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { asCompleted } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const delays = [30, 1, 10_000];
 * const seen: number[] = [];
 * for await (const ms of asCompleted(delays.map((ms) => async (signal) => {
 *   await sleep(ms, { signal });
 *   return ms;
 * }))) {
 *   seen.push(ms);
 *   if (seen.length === 2) break; // the 10 s sleep is aborted and awaited
 * }
 * assert.deepEqual(seen, [1, 30]);
 * ```
 */
export function asCompleted<T>(
  fns: Iterable<TaskFunction<T>>,
  options?: GatherOptions,
): AsyncIterableIterator<T> & AsyncDisposable;
/**
 * {@linkcode asCompleted} over functions of different result types: each
 * value is any of them.
 *
 * @example
 * ```ts
 * import { asCompleted } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const seen: (number | string)[] = [];
 * for await (const value of asCompleted([async () => 1, async () => "a"])) {
 *   seen.push(value);
 * }
 * assert.sameMembers(seen, [1, "a"]);
 * ```
 */
export function asCompleted<F extends readonly TaskFunction<unknown>[] | []>(
  fns: F,
  options?: GatherOptions,
): AsyncIterableIterator<Awaited<ReturnType<F[number]>>> & AsyncDisposable;
export function asCompleted<T>(
  fns: Iterable<TaskFunction<T>>,
  options?: GatherOptions,
): AsyncIterableIterator<T> & AsyncDisposable {
  const list = checkFunctions("asCompleted", fns);
  const { signal, limit = Infinity } = checkOptions("asCompleted", options);
  checkSignal("asCompleted", signal);
  checkInteger("asCompleted", "limit", limit, 1, true);
  return new Completions(list, signal, limit);
}

// Marks, in the queue of completed values, the place of the first failure.
const FAILED: unique symbol = Symbol("failed");
// What a cancelled task leaves in the queue: nothing.
const NOTHING: unique symbol = Symbol("nothing");

const DONE: IteratorReturnResult<undefined> = /* @__PURE__ */ Object.freeze({
  done: true,
  value: undefined,
});

/** A value ready to be yielded, and the controller of the function's signal. */
interface Completed<T> {
  value: T;
  controller: AbortController | undefined;
}

// Completions.prototype[asyncDisposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

class Completions<T> implements AsyncIterableIterator<T>, AsyncDisposable {
  readonly #fns: TaskFunction<T>[];
  readonly #outer: AbortSignal | undefined;
  readonly #limit: number;
  #group: TaskGroup | undefined;
  #started = 0;
  #running = 0;
  #signals: HandOver | undefined;
  // Completed values not yet consumed, each with its function's controller.
  readonly #ready = new LinkedList<Completed<T> | typeof FAILED>();
  readonly #waiters = new LinkedList<Deferred<IteratorResult<T>>>();
  #closed: Promise<void> | undefined;
  #returning = false;
  #done = false;
  declare [Symbol.asyncDispose]: () => Promise<void>;

  constructor(
    fns: TaskFunction<T>[],
    outer: AbortSignal | undefined,
    limit: number,
  ) {
    installed ||= defineMethod(
      Completions.prototype,
      asyncDisposeSymbol,
      async function (this: Completions<unknown>) {
        await this.return();
      },
    );
    this.#fns = fns;
    this.#outer = outer;
    this.#limit = limit;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#done) return Promise.resolve(DONE);
    if (!this.#group) {
      if (this.#outer?.aborted) {
        this.#done = true;
        return Promise.reject(this.#outer.reason);
      }
      this.#group = new TaskGroup({ signal: this.#outer });
      this.#signals = new HandOver(this.#group.signal);
      this.#fill();
    }
    const waiter = deferred<IteratorResult<T>>();
    this.#waiters.push(waiter);
    this.#pump();
    return waiter.promise;
  }

  async return(): Promise<IteratorResult<T>> {
    this.#returning = true;
    const group = this.#group;
    if (!group || this.#done) {
      this.#done = true; // a return() before the first next() starts nothing
      return DONE;
    }
    group.cancel();
    await this.#close();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  // Starts functions while fewer than `limit` are running or unconsumed.
  #fill(): void {
    const group = this.#group!;
    const signals = this.#signals!;
    const signal = group.signal;
    while (
      this.#started < this.#fns.length && !signal.aborted &&
      this.#running + this.#ready.size < this.#limit
    ) {
      const fn = this.#fns[this.#started++];
      this.#running++;
      // No parameter: the task gets the group's signal, not a controller
      // of its own; the function's own signal (if it declares a parameter)
      // comes from `signals`, and stays live once its value is yielded.
      const controller = signals.for(fn);
      const task = group.spawn(() => fn(controller?.signal ?? signal));
      task.then(
        (value) => this.#settled({ value, controller }),
        // Only a real failure takes a place in the queue; a task that gave
        // up because the group was aborted is simply gone.
        () => this.#settled(task.state === "rejected" ? FAILED : NOTHING),
      );
    }
  }

  #settled(item: Completed<T> | typeof FAILED | typeof NOTHING): void {
    this.#running--;
    if (item !== NOTHING) this.#ready.push(item);
    this.#pump();
  }

  // Hands completed values to waiting `next()` calls, and closes the group
  // once no value can come any more.
  #pump(): void {
    if (this.#closed) return; // closing: the waiters are settled at the end
    while (this.#waiters.size > 0) {
      const head = this.#ready.peek();
      const finished = this.#started === this.#fns.length &&
        this.#running === 0 && this.#ready.size === 0;
      if (this.#outer?.aborted || head === FAILED || finished) {
        this.#close();
        return;
      }
      if (this.#ready.size === 0) return;
      const { value, controller } = this.#ready.shift() as Completed<T>;
      this.#signals!.handOver(controller);
      this.#waiters.shift()!.resolve({ done: false, value });
      this.#fill();
    }
  }

  // Waits for the group (every function has settled), then ends the
  // iteration: the first pending `next()` gets the failure, if any.
  #close(): Promise<void> {
    return this.#closed ??= this.#group!.wait().then(
      () => this.#finish(undefined, false),
      (error) => {
        const signal = this.#group!.signal;
        this.#finish(signal.aborted ? signal.reason : error, true);
      },
    );
  }

  #finish(reason: unknown, failed: boolean): void {
    this.#done = true;
    // Values never consumed are dropped: release what they hold.
    for (let item; (item = this.#ready.shift());) {
      if (item !== FAILED) this.#signals!.drop(item.controller, reason);
    }
    this.#signals!.close();
    let first = !this.#returning && failed;
    for (let waiter; (waiter = this.#waiters.shift());) {
      if (first) waiter.reject(reason);
      else waiter.resolve(DONE);
      first = false;
    }
  }
}
