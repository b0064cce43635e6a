import { checkSignalOption } from "../_validate.ts";
import { checkFunctions } from "./_args.ts";
import { HandOver } from "./_hand_over.ts";
import { type TaskFunction, TaskGroup } from "./task_group.ts";

/** Options of {@linkcode race}. */
export interface RaceOptions {
  /** Aborting it cancels every contestant; `race` rejects with its reason. */
  signal?: AbortSignal;
}

/**
 * Structured `Promise.any`: runs every `fn(signal)` at once; the **first to
 * fulfil** wins. The others are then aborted and **awaited** before `race`
 * resolves with the winner's value, so no loser outlives the call; their
 * outcomes are discarded (a loser that fulfils too late has its signal
 * aborted, releasing what it holds).
 *
 * Each function that declares a parameter gets a signal of its own, and the
 * winner's is never aborted: a `fetch` response that wins stays readable
 * after `race` returns it. Functions that declare no parameter share one
 * signal.
 *
 * A contestant that fails is simply out of the race (as with
 * `Promise.any`, not `Promise.race`): the others keep running. When every
 * contestant has failed, `race` rejects with an `AggregateError` of their
 * errors in input order — also for an empty `fns`. To stop at the first
 * failure instead, use {@linkcode gather} or a {@linkcode TaskGroup}.
 *
 * Aborting `options.signal` aborts every contestant and rejects with its
 * reason once they have settled; an already-aborted signal rejects at once,
 * before any function is called.
 *
 * @throws {TypeError} `fns` is not an iterable of functions, or `signal` is
 * not an AbortSignal.
 *
 * @example Two mirrors: the first answer wins, the other is cancelled
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { race } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * let loserCancelled = false;
 * const winner = await race([
 *   async () => { throw new Error("mirror A is down"); },
 *   async (signal) => {
 *     await sleep(10_000, { signal }).catch((e) => { loserCancelled = true; throw e; });
 *     return "B";
 *   },
 *   async (signal) => { await sleep(1, { signal }); return "C"; },
 * ]);
 * assert.equal(winner, "C");
 * assert.isTrue(loserCancelled);
 *
 * const error = await race([async () => { throw new Error("no"); }])
 *   .catch((e) => e);
 * assert.instanceOf(error, AggregateError);
 * assert.equal(error.errors[0].message, "no");
 * ```
 */
export function race<T>(
  fns: Iterable<TaskFunction<T>>,
  options?: RaceOptions,
): Promise<T>;
/**
 * {@linkcode race} over contestants of different result types: the winner's
 * value is any of them.
 *
 * @example
 * ```ts
 * import { race } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const first: number | string = await race([async () => 1, async () => "a"]);
 * assert.equal(first, 1);
 * ```
 */
export function race<F extends readonly TaskFunction<unknown>[] | []>(
  fns: F,
  options?: RaceOptions,
): Promise<Awaited<ReturnType<F[number]>>>;
export function race<T>(
  fns: Iterable<TaskFunction<T>>,
  options?: RaceOptions,
): Promise<T> {
  const list = checkFunctions("race", fns);
  const signal = checkSignalOption("race", options);
  if (signal?.aborted) return Promise.reject(signal.reason);
  return run(list, new TaskGroup({ signal }));
}

async function run<T>(fns: TaskFunction<T>[], group: TaskGroup): Promise<T> {
  const errors = new Array<unknown>(fns.length);
  const signals = new HandOver(group.signal);
  let won = false;
  let winner: T;
  let kept: AbortController | undefined;
  // The wrappers never reject, so one contestant's failure does not fail
  // the group (and cancel the rest). The winner is decided inside its
  // wrapper, so a contestant that fulfils later is still running then and
  // sees `won`: its result is dropped and its signal aborted.
  const signal = group.signal;
  for (let i = 0; i < fns.length && !signal.aborted; i++) {
    const fn = fns[i];
    const controller = signals.for(fn);
    group.spawn(async () => {
      try {
        const value = await fn(controller?.signal ?? signal);
        if (won || signal.aborted) {
          signals.drop(controller, signal.reason);
          return;
        }
        won = true;
        winner = value;
        kept = controller;
        signals.handOver(controller);
        // Aborts the losers' signals; the winner's is its own, handed over.
        group.cancel();
      } catch (error) {
        errors[i] = error;
      }
    });
  }
  try {
    await group.wait(); // rejects with the outer reason if it aborted
  } catch (error) {
    kept?.abort(error); // the winner is dropped after all
    throw error;
  } finally {
    signals.close();
  }
  if (won) return winner!;
  throw new AggregateError(
    errors,
    `race: all ${fns.length} contestants failed`,
  );
}
