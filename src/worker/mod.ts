/**
 * CPU work off the event loop, Python's `asyncio.to_thread` for the web
 * platform: a {@linkcode WorkerPool} runs the handlers a worker module
 * registers with {@linkcode serve}, at most `limit` at once, with
 * `AbortSignal` cancellation (cooperative first, then terminate), errors
 * that keep their class, and {@linkcode transfer} to move buffers instead of
 * copying them. It works with web workers (Deno, Bun, browsers) and Node's
 * `worker_threads`; the library never constructs a `Worker` itself.
 *
 * @example
 * ```ts
 * import { serve, WorkerPool } from "@seed/async/worker";
 * import { assert } from "chai";
 *
 * // hash_worker.ts would hold just this line (here: a blob URL module).
 * const source = `import { serve } from ${JSON.stringify(import.meta.resolve("@seed/async/worker"))};
 *   serve({ sum: (bytes) => bytes.reduce((a, b) => a + b, 0) });`;
 * const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
 *
 * await using pool = new WorkerPool({ create: () => new Worker(url, { type: "module" }) });
 * const bytes = new Uint8Array([1, 2, 3]);
 * assert.equal(await pool.run("sum", bytes, { transfer: [bytes.buffer] }), 6);
 * assert.equal(bytes.length, 0); // moved, not copied
 * assert.typeOf(serve, "function");
 * ```
 *
 * @module
 */
export {
  type Handler,
  type HandlerContext,
  type MessagePortLike,
  serve,
  type ServeOptions,
  transfer,
  type Transferred,
} from "./serve.ts";
export {
  type RunOptions,
  type WorkerLike,
  WorkerPool,
  type WorkerPoolOptions,
} from "./worker_pool.ts";
