import { checkSignalOption } from "../_validate.ts";
import { checkFunctions } from "./_args.ts";
import { HandOver } from "./_hand_over.ts";
import type { TaskFunction } from "./task_group.ts";

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
  const outer = checkSignalOption("race", options);
  if (outer?.aborted) return Promise.reject(outer.reason);
  const signals = new HandOver(outer);
  const { group, signal } = signals;
  const errors = new Array<unknown>(list.length);
  let won = false;
  let winner: T;
  let kept: AbortController | undefined;
  // The bodies never reject, so one contestant's failure does not fail the
  // group (and cancel the rest). The winner is decided inside its body, so
  // a contestant that fulfils later is still running then and sees `won`:
  // its result is dropped and its signal aborted.
  return signals.run(list, (fn, own, i) => async () => {
    try {
      const value = await fn(own);
      if (won || signal.aborted) return signals.drop(own, signal.reason);
      won = true;
      winner = value;
      kept = signals.handOver(own);
      // Aborts the losers' signals; the winner's is its own, handed over.
      group.cancel();
    } catch (error) {
      errors[i] = error;
    }
  }).then(
    () => {
      if (won) return winner;
      throw new AggregateError(
        errors,
        `race: all ${list.length} contestants failed`,
      );
    },
    () => {
      // Only the outer signal's abort fails the group: the winner is
      // dropped after all.
      kept?.abort(outer!.reason);
      throw outer!.reason;
    },
  );
}
