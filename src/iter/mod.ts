/**
 * Async-iterator combinators built on `AbortSignal`: source-first
 * functions, options last, over any `AsyncIterable` or `Iterable`.
 *
 * - Transform: {@linkcode map}, {@linkcode filter}, {@linkcode flatMap}
 *   (with `{ concurrency, ordered, signal }`), {@linkcode scan},
 *   {@linkcode take}, {@linkcode drop}, {@linkcode takeWhile},
 *   {@linkcode dropWhile}, {@linkcode chunk}.
 * - Combine and split: {@linkcode merge}, {@linkcode zip},
 *   {@linkcode concat}, {@linkcode tee}.
 * - Flow and time: {@linkcode buffer}, {@linkcode timeoutEach},
 *   {@linkcode throttle}, {@linkcode withSignal}.
 * - Sources: {@linkcode fromEvent}, {@linkcode interval}.
 * - Consume: {@linkcode toArray}, {@linkcode reduce}, {@linkcode forEach},
 *   {@linkcode some}, {@linkcode every}, {@linkcode find}.
 *
 * Callbacks receive `(item, { index, signal })` and may be async.
 *
 * **Lazy and bounded.** Nothing is pulled and no callback runs before the
 * first `next()`. A concurrent operator runs at most `concurrency`
 * callbacks and holds at most `concurrency` items (running or finished);
 * every other buffer (`buffer`, `tee`, `merge`, `fromEvent`) has a stated
 * bound.
 *
 * **The early-exit rule, for every operator.** When the consumer stops —
 * `break`, `return()`, `throw()`, a failing callback, a failing source, or
 * an aborted `signal` — the operator:
 * 1. aborts the `signal` of every callback still running or whose result
 *    is buffered unread, and starts no new one (a callback whose result was
 *    handed over keeps a live signal);
 * 2. calls `return()` once on every source it opened that has not finished
 *    (never on one that has);
 * 3. waits for that cleanup, except a source stuck in a `next()` that never
 *    settles: its `return()` is called but not awaited, and a pending
 *    `next()` of the consumer is settled by the operator itself, so the
 *    exit never hangs;
 * 4. then resolves (`break`, `return()`), or rejects with the error (the
 *    callback's, the source's, `throw()`'s) or with `signal.reason`.
 *
 * Sources are opened (their iterator method called) at the first pull. An
 * operator closed before its first pull still closes the operators it reads
 * from, so a `tee` branch that leaves unread releases its share. The
 * protocol follows TC39's iterator helpers (callbacks get `this` undefined,
 * a re-entrant `next()` waits its turn, a source whose `next()` breaks the
 * protocol is not closed, results are fresh objects); see
 * docs/semantics.md for the deliberate differences.
 *
 * @example A pipeline: read, fetch three at a time with a per-item timeout,
 * batch, write
 * ```ts
 * import { chunk, forEach, map } from "@seed/async/iter";
 * import { withTimeout } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * async function* readIds() {
 *   for (let id = 1; id <= 7; id++) yield id;
 * }
 * // Stands in for fetch(url, { signal }).
 * async function fetchUser(id: number, signal: AbortSignal) {
 *   signal.throwIfAborted();
 *   return { id, name: `user${id}` };
 * }
 * const written: string[][] = [];
 *
 * const controller = new AbortController();
 * const users = map(
 *   readIds(),
 *   (id, { signal }) => withTimeout(1000, (s) => fetchUser(id, s), { signal }),
 *   { concurrency: 3, signal: controller.signal },
 * );
 * await forEach(chunk(users, 3, { maxWait: 50 }), async (batch) => {
 *   written.push(batch.map((user) => user.name)); // stands in for a bulk write
 * });
 *
 * assert.deepEqual(written, [
 *   ["user1", "user2", "user3"],
 *   ["user4", "user5", "user6"],
 *   ["user7"],
 * ]);
 * ```
 *
 * @module
 */
export { buffer } from "./buffer.ts";
export { chunk, type ChunkOptions } from "./chunk.ts";
export { concat } from "./concat.ts";
export { drop } from "./drop.ts";
export { dropWhile } from "./drop_while.ts";
export { every, find, type Predicate, some } from "./find.ts";
export { filter } from "./filter.ts";
export { flatMap, type Flattenable } from "./flat_map.ts";
export { forEach } from "./for_each.ts";
export {
  type EventOf,
  fromEvent,
  type FromEventOptions,
} from "./from_event.ts";
export { interval } from "./interval.ts";
export { map } from "./map.ts";
export { merge } from "./merge.ts";
export { reduce } from "./reduce.ts";
export { scan } from "./scan.ts";
export { take } from "./take.ts";
export { takeWhile } from "./take_while.ts";
export { tee, type TeeOptions } from "./tee.ts";
export { throttle, type ThrottleOptions } from "./throttle.ts";
export { timeoutEach, type TimeoutEachOptions } from "./timeout_each.ts";
export { toArray } from "./to_array.ts";
export type {
  AnySource,
  AsyncOperator,
  CallbackContext,
  ConcurrencyOptions,
  SourceItem,
} from "./types.ts";
export type { SignalOptions } from "../cancel/sleep.ts";
export { withSignal } from "./with_signal.ts";
export { zip } from "./zip.ts";
