import { asyncDisposeSymbol } from "../_symbols.ts";
import { checkInteger, checkOptions, checkSignal } from "../_validate.ts";
import { checkFunctions } from "./_args.ts";
import { HandOver } from "./_hand_over.ts";
import type { GatherOptions } from "./gather.ts";
import type { TaskFunction, TaskGroup } from "./task_group.ts";

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
  const { signal: outer, limit = Infinity } = checkOptions(
    "asCompleted",
    options,
  );
  checkSignal("asCompleted", outer);
  checkInteger("asCompleted", "limit", limit, 1, true);
  let group: TaskGroup | undefined;
  let returning = false;
  // The generator queues concurrent next() calls and is lazy; what it cannot
  // do itself is hear a return() while a next() is pending (that return()
  // waits behind it), so return() first cancels the group, which ends the
  // pending next() once the functions have settled.
  const completions = (async function* () {
    if (outer?.aborted) throw outer.reason;
    const signals = new HandOver(outer);
    const g = group = signals.group;
    const signal = g.signal;
    // Completed values not yet yielded, each with its function's signal,
    // in completion order; FAILED marks the place of the first failure.
    const ready: (Completed<T> | typeof FAILED)[] = [];
    let started = 0;
    let running = 0;
    let wake: (() => void) | undefined;
    const settled = (item?: Completed<T> | typeof FAILED) => {
      running--;
      if (item) ready.push(item);
      wake?.();
    };
    // Starts functions while fewer than `limit` are running or unconsumed.
    const fill = () => {
      while (
        started < list.length && !signal.aborted &&
        running + ready.length < limit
      ) {
        const fn = list[started++];
        running++;
        // Its own signal, if it declares a parameter, stays live once its
        // value is yielded.
        const own = signals.for(fn);
        const task = g.spawn(() => fn(own));
        task.then(
          (value) => settled([value, own]),
          // Only a real failure takes a place in the queue; a task that gave
          // up because the group was aborted is simply gone.
          () => settled(task.state === "rejected" ? FAILED : undefined),
        );
      }
    };
    let failed = false;
    try {
      for (;;) {
        fill();
        const head = ready[0];
        if (
          returning || outer?.aborted || head === FAILED ||
          (!head && !running && started === list.length)
        ) break;
        if (head) {
          ready.shift();
          signals.handOver(head[1]);
          fill(); // its slot is free once it is consumed
          yield head[0];
        } else await new Promise<void>((resolve) => wake = resolve);
      }
    } finally {
      // Every function settles before the iteration ends; values never
      // consumed are dropped: release what they hold. (The group has
      // aborted unless every value was yielded: return() cancels it first,
      // and so does a failure or the caller's abort.)
      await g.wait().catch(() => failed = true);
      for (const item of ready) {
        if (item !== FAILED) signals.drop(item[1], signal.reason);
      }
      signals.close();
    }
    // The first failure, or the caller's abort; not after return() (which
    // does not get here when it finds the generator at its `yield`).
    if (failed && !returning) throw signal.reason;
  })();
  const iterator = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => completions.next(),
    return() {
      returning = true;
      group?.cancel();
      return completions.return();
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      await iterator.return();
      throw error;
    },
    async [asyncDisposeSymbol]() {
      await iterator.return();
    },
  };
  return iterator;
}

// Marks, in the queue of completed values, the place of the first failure.
const FAILED: unique symbol = Symbol();

/** A value ready to be yielded, and the signal its function was called with. */
type Completed<T> = [value: T, signal: AbortSignal];
