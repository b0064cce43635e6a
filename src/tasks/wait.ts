import { offAbort, onAbort } from "../_on_abort.ts";
import type { Clock } from "../cancel/clock.ts";
import { resolveClock } from "../_clock.ts";
import {
  checkClock,
  checkDuration,
  checkOneOf,
  checkOptions,
  checkSignal,
  describe,
} from "../_validate.ts";
import { checkList } from "./_args.ts";

/** When {@linkcode wait} returns. */
export type ReturnWhen = "first-completed" | "first-error" | "all-completed";

/** Options of {@linkcode wait}. */
export interface WaitOptions {
  /**
   * `"all-completed"` (default): when everything has settled.
   * `"first-completed"`: when anything settles, either way.
   * `"first-error"`: when anything rejects (a cancelled {@linkcode Task}
   * does not count), or when everything has settled.
   */
  returnWhen?: ReturnWhen;
  /** Milliseconds after which `wait` returns what is done so far. Default `Infinity`. */
  timeout?: number;
  /** Aborting it rejects the wait with its reason; the tasks are not touched. */
  signal?: AbortSignal;
  /** The clock of `timeout`; default: the clock of `signal`'s scope, else `systemClock`. */
  clock?: Clock;
}

/** What {@linkcode wait} resolves with: its input split in two, each in input order. */
export interface WaitResult<P> {
  /** The tasks that had settled (fulfilled or rejected). */
  done: P[];
  /** The tasks still pending. */
  pending: P[];
}

const MODES: readonly ReturnWhen[] = [
  "first-completed",
  "first-error",
  "all-completed",
];

/**
 * Waits for some or all of `tasks` — {@linkcode Task}s or any promises —
 * to settle, and splits them into `done` and `pending`: asyncio's `wait`.
 * It never rejects because a task did and never cancels anything: await the
 * tasks in `done` for their values, and decide what to do with `pending`.
 *
 * A `timeout` is not an error either: when it passes, `wait` resolves with
 * whatever is done by then. Aborting `signal` rejects with its reason (the
 * tasks keep running). An empty `tasks` resolves at once. The timer and the
 * abort listener are removed on every path.
 *
 * @throws {TypeError} `tasks` is not an iterable of promises or tasks, or an
 * option has the wrong type.
 * @throws {RangeError} `returnWhen` is not one of the three modes, or
 * `timeout` is negative or NaN.
 *
 * @example The first to finish, and what is left
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { TaskGroup, wait } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * await using group = new TaskGroup();
 * const quick = group.spawn(async () => "quick");
 * const slow = group.spawn((signal) => sleep(10_000, { signal }));
 * const { done, pending } = await wait([quick, slow], {
 *   returnWhen: "first-completed",
 * });
 * assert.deepEqual(done, [quick]);
 * assert.deepEqual(pending, [slow]);
 * assert.equal(await done[0], "quick");
 *
 * const later = await wait(pending, { timeout: 5 }); // neither throws nor cancels
 * assert.deepEqual(later.pending, [slow]);
 * slow.cancel();
 * ```
 */
export function wait<P extends PromiseLike<unknown>>(
  tasks: Iterable<P>,
  options?: WaitOptions,
): Promise<WaitResult<P>> {
  const list = checkList("wait", "tasks", tasks, checkThenable);
  const {
    returnWhen = "all-completed",
    timeout = Infinity,
    signal,
    clock: given,
  } = checkOptions("wait", options);
  checkOneOf("wait", "returnWhen", returnWhen, MODES);
  checkDuration("wait", "timeout", timeout);
  checkSignal("wait", signal);
  const clock = resolveClock(checkClock("wait", given), signal);
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const settled: boolean[] = [];
    let count = 0;
    let over = false;
    const end = () => {
      over = true;
      stopTimer();
      if (subscription) offAbort(subscription);
    };
    const finish = () => {
      end();
      resolve({
        done: list.filter((_, i) => settled[i]),
        pending: list.filter((_, i) => !settled[i]),
      });
    };
    const onSettled = (i: number, failed: boolean) => {
      if (over || settled[i]) return;
      settled[i] = true;
      if (
        ++count === list.length || returnWhen === "first-completed" ||
        // A Task that ended because it was cancelled is not an error for
        // "first-error", as in asyncio; other promises carry no such state.
        (returnWhen === "first-error" && failed &&
          (list[i] as { state?: unknown }).state !== "cancelled")
      ) finish();
    };
    const stopTimer = clock.setTimer(timeout, finish);
    const subscription = signal &&
      onAbort(signal, () => {
        end();
        reject(signal.reason);
      });
    list.forEach((task, i) =>
      task.then(() => onSettled(i, false), () => onSettled(i, true))
    );
    if (!list.length) finish(); // nothing to wait for
  });
}

function checkThenable<P>(where: string, name: string, value: P): P {
  if (
    typeof value !== "object" || value === null ||
    typeof (value as { then?: unknown }).then !== "function"
  ) {
    throw new TypeError(
      `${where}: ${name} must be a task or a promise, got ${describe(value)}`,
    );
  }
  return value;
}
