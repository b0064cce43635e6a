/**
 * Coordination primitives, asyncio-style, on `AbortSignal`: a counting
 * {@linkcode Semaphore} and a {@linkcode Mutex} with disposable permits, an
 * {@linkcode AsyncEvent}, a {@linkcode Condition}, a cyclic
 * {@linkcode Barrier}, a backpressured {@linkcode Queue} (FIFO, LIFO or
 * priority), a Go-style {@linkcode Channel}, and a token-bucket
 * {@linkcode RateLimiter}.
 *
 * Every wait takes `{ signal }` last and rejects with `signal.reason`
 * untouched (at once if already aborted); waiters are served FIFO, and an
 * aborted waiter leaves its line in O(1) with its listener removed.
 *
 * @example
 * ```ts
 * import { Channel, Semaphore } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const sem = new Semaphore(2);
 * const results = await Promise.all(
 *   [1, 2, 3].map((n) => sem.run(async () => n * 10)),
 * );
 * assert.deepEqual(results, [10, 20, 30]);
 *
 * await using channel = new Channel<number>({ capacity: 1 });
 * await channel.send(1);
 * assert.equal(await channel.receive(), 1);
 * ```
 *
 * @module
 */
export type { SignalOptions } from "../cancel/sleep.ts";
export { AsyncEvent } from "./async_event.ts";
export { Barrier, BrokenBarrierError } from "./barrier.ts";
export { Channel, ChannelClosedError, type ChannelOptions } from "./channel.ts";
export { Condition } from "./condition.ts";
export { Mutex } from "./mutex.ts";
export {
  Queue,
  type QueueOptions,
  type QueueOrder,
  QueueShutDownError,
} from "./queue.ts";
export { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
export { type Permit, Semaphore } from "./semaphore.ts";
