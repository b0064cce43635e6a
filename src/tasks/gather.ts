import { checkInteger, checkOptions, checkSignal } from "../_validate.ts";
import { checkFunctions } from "./_args.ts";
import { HandOver } from "./_hand_over.ts";
import type { TaskFunction } from "./task_group.ts";

/** Options of {@linkcode gather} and {@linkcode asCompleted}. */
export interface GatherOptions {
  /** Aborting it cancels every function; the call rejects with its reason. */
  signal?: AbortSignal;
  /** How many functions may run at once; the rest wait in order. Default `Infinity`. */
  limit?: number;
}

/**
 * Structured `Promise.all`: runs every `fn(signal)` (at most `limit` at a
 * time) and resolves with their values in input order.
 *
 * The first failure aborts the functions' signals, which cancels the
 * others; `gather` then **waits for every function to settle** before it
 * rejects — nothing is left running behind the caller's back. The values it
 * then discards have their signals aborted too, so a `fetch` body they hold
 * is released; on success no signal is aborted, and every value (a
 * `Response` included) stays usable. Each function that declares a
 * parameter gets a signal of its own; those that declare none share one. Like `Promise.all`, it
 * rejects with that first error itself, not an aggregate; use
 * {@linkcode TaskGroup} to see every error. Aborting `options.signal` rejects
 * with its reason (once the functions have settled); an already-aborted
 * signal rejects at once, before any function is called.
 *
 * @throws {TypeError} `fns` is not an iterable of functions, or `signal` is
 * not an AbortSignal.
 * @throws {RangeError} `limit` is not an integer ≥ 1 (or `Infinity`).
 *
 * @example Values in input order; the first failure cancels the rest
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { gather } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const values = await gather([
 *   async (signal) => { await sleep(5, { signal }); return "slow"; },
 *   async () => "fast",
 * ]);
 * assert.deepEqual(values, ["slow", "fast"]);
 *
 * let cancelled = false;
 * const error = await gather([
 *   (signal) => sleep(10_000, { signal }).catch((e) => { cancelled = true; throw e; }),
 *   async () => { throw new Error("boom"); },
 * ]).catch((e) => e);
 * assert.equal(error.message, "boom");
 * assert.isTrue(cancelled); // the sleeper was aborted and awaited
 * ```
 */
export function gather<F extends readonly TaskFunction<unknown>[] | []>(
  fns: F,
  options?: GatherOptions,
): Promise<{ -readonly [K in keyof F]: Awaited<ReturnType<F[K]>> }>;
/**
 * {@linkcode gather} over any iterable of functions of one result type.
 *
 * @example
 * ```ts
 * import { gather } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const ids = new Set([1, 2, 3]);
 * const pages = await gather([...ids].map((id) => async () => `page ${id}`));
 * assert.deepEqual(pages, ["page 1", "page 2", "page 3"]);
 * ```
 */
export function gather<T>(
  fns: Iterable<(signal: AbortSignal) => T>,
  options?: GatherOptions,
): Promise<Awaited<T>[]>;
export function gather<T>(
  fns: Iterable<TaskFunction<T>>,
  options?: GatherOptions,
): Promise<T[]> {
  const list = checkFunctions("gather", fns);
  const { signal, limit = Infinity } = checkOptions("gather", options);
  checkSignal("gather", signal);
  checkInteger("gather", "limit", limit, 1, true);
  if (signal?.aborted) return Promise.reject(signal.reason);
  const signals = new HandOver(signal, limit);
  const results = new Array<T>(list.length);
  // Each function's own signal (when it declares a parameter) stays live
  // unless the group aborts:
  // its abort (the first failure, or the outer one) releases every value
  // gathered so far.
  return signals.run(list, (fn, signal, i) => async () => {
    results[i] = await fn(signal);
  }).then(() => results);
}
