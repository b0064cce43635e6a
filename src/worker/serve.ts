import { disposeSymbol } from "../_symbols.ts";
import { checkOptions, describe } from "../_validate.ts";
import {
  CANCEL,
  CLOSING,
  decodeThrown,
  DONE,
  encodeThrown,
  FAILED,
  isPort,
  listen,
  RUN,
  Transferred,
} from "./_protocol.ts";

export { Transferred };

/**
 * What messages are posted to and heard from, recognised by shape: a web
 * `Worker`, a worker's global scope or a `MessagePort` (listened to with
 * `addEventListener`/`removeEventListener`), or a Node
 * `worker_threads.Worker` or `parentPort` (`on`/`off`).
 */
export interface MessagePortLike {
  /** Sends a message; `transfer` lists what moves instead of being copied. */
  postMessage(message: unknown, transfer?: Transferable[]): void;
  /** Web style. */
  // deno-lint-ignore no-explicit-any
  addEventListener?(type: string, listener: (...args: any[]) => void): void;
  /** Web style. */
  // deno-lint-ignore no-explicit-any
  removeEventListener?(type: string, listener: (...args: any[]) => void): void;
  /** Node style. */
  // deno-lint-ignore no-explicit-any
  on?(type: string, listener: (...args: any[]) => void): unknown;
  /** Node style. */
  // deno-lint-ignore no-explicit-any
  off?(type: string, listener: (...args: any[]) => void): unknown;
}

/** What a handler receives besides its argument. */
export interface HandlerContext {
  /**
   * Aborts when the caller's `run` is cancelled, with the caller's reason
   * (a copy of it). A handler that stops within the pool's `graceMs` keeps
   * its worker alive; one that does not is terminated.
   */
  signal: AbortSignal;
}

/** One function a worker serves: sync or async, its result is cloned back. */
// deno-lint-ignore no-explicit-any
export type Handler = (arg: any, context: HandlerContext) => unknown;

/** The options of {@linkcode serve}. */
export interface ServeOptions {
  /**
   * Where requests arrive and replies go: the worker's global scope by
   * default (a web, Deno or Bun worker); in a Node `worker_threads` worker,
   * pass `parentPort`.
   */
  port?: MessagePortLike;
}

/**
 * Marks a handler's result to be moved, not copied: the `ArrayBuffer`s (or
 * other transferables) in `transfer` are detached in the worker and arrive
 * in the caller without a copy.
 *
 * @example
 * ```ts
 * import { transfer } from "@seed/async/worker";
 * import { assert } from "chai";
 *
 * const handlers = {
 *   zeros(length: number) {
 *     const bytes = new Uint8Array(length);
 *     return transfer(bytes, [bytes.buffer]);
 *   },
 * };
 * const result = handlers.zeros(4);
 * assert.equal(result.value.length, 4);
 * assert.deepEqual(result.transfer, [result.value.buffer]);
 * ```
 */
export function transfer<T>(
  value: T,
  transferables: Transferable[],
): Transferred<T> {
  if (!Array.isArray(transferables)) {
    throw new TypeError(
      `transfer: transferables must be an array, got ${
        describe(transferables)
      }`,
    );
  }
  return new Transferred(value, transferables);
}

/**
 * Serves `handlers` to a {@linkcode WorkerPool}: call it once in the
 * worker's module. Each `pool.run(name, arg)` calls `handlers[name](arg,
 * { signal })`; its value (or what its promise fulfils with) is cloned back
 * to the caller, and what it throws is rethrown there with its `name`,
 * `message`, `stack` and `cause`. A name the worker does not serve rejects
 * the run with a `TypeError` naming it.
 *
 * Returns a `Disposable`: disposing it stops serving (runs still going have
 * their signals aborted and are not answered), which lets a Node worker exit.
 *
 * @throws {TypeError} `handlers` is not an object, or `port` cannot post and
 * listen.
 *
 * @example A worker module
 * ```ts
 * import { serve } from "@seed/async/worker";
 * import { assert } from "chai";
 *
 * // In a worker this is the whole module; here a MessageChannel stands in
 * // for the worker's global scope.
 * const { port1, port2 } = new MessageChannel();
 * using _serving = serve({ double: (n: number) => n * 2 }, { port: port1 });
 * port1.start();
 * const reply = new Promise((resolve) => port2.onmessage = (e) => resolve(e.data));
 * port2.postMessage([0, 1, "double", 21]);
 * assert.deepEqual(await reply, [1, 0, 42]);
 * port1.close();
 * port2.close();
 * ```
 */
export function serve(
  handlers: Record<string, Handler>,
  options?: ServeOptions,
): Disposable {
  if (typeof handlers !== "object" || handlers === null) {
    throw new TypeError(
      `serve: handlers must be an object of functions, got ${
        describe(handlers)
      }`,
    );
  }
  const port = checkOptions("serve", options).port ??
    globalThis as unknown as MessagePortLike;
  if (!isPort(port)) {
    throw new TypeError(
      `serve: port must have postMessage and addEventListener (or on/off), got ${
        describe(port)
      }`,
    );
  }
  const running = new Map<number, AbortController>();
  const reply = (message: unknown[], list?: Transferable[]) => {
    try {
      port.postMessage(message, list);
    } catch (error) { // the value cannot be cloned: say so instead
      port.postMessage([message[0], FAILED, encodeThrown(error)]);
    }
  };
  const finish = (id: number, ok: boolean, result: unknown) => {
    if (!running.delete(id)) return; // stopped serving meanwhile
    if (!ok) reply([id, FAILED, encodeThrown(result)]);
    else if (result instanceof Transferred) {
      reply([id, DONE, result.value], result.transfer);
    } else reply([id, DONE, result]);
  };
  const start = (id: number, name: string, arg: unknown) => {
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    const controller = new AbortController();
    running.set(id, controller);
    if (typeof handler !== "function") {
      return finish(
        id,
        false,
        new TypeError(
          `serve: no handler named ${describe(name)} (this worker serves ${
            Object.keys(handlers).map((key) => describe(key)).join(", ") ||
            "nothing"
          })`,
        ),
      );
    }
    let result;
    try {
      result = handler.call(handlers, arg, { signal: controller.signal });
    } catch (error) {
      return finish(id, false, error);
    }
    // A synchronous result is answered now, without a promise turn.
    if (typeof (result as PromiseLike<unknown>)?.then !== "function") {
      return finish(id, true, result);
    }
    Promise.resolve(result).then(
      (value) => finish(id, true, value),
      (error) => finish(id, false, error),
    );
  };
  const stopListening = listen(port, "message", (message) => {
    if (!Array.isArray(message)) return;
    const [kind, id] = message;
    if (kind === RUN) start(id, message[2], message[3]);
    else if (kind === CANCEL) running.get(id)?.abort(decodeThrown(message[2]));
  }, true);
  const restoreClose = announceClose(port);
  let served = true;
  return {
    [disposeSymbol]() {
      if (!served) return;
      served = false;
      stopListening();
      restoreClose();
      const stopped = [...running.values()];
      running.clear();
      for (const controller of stopped) controller.abort();
    },
  };
}

/**
 * A web worker that calls `close()` simply stops: its parent gets no event.
 * While serving the worker's own scope, `close` first tells the pool, which
 * then fails the worker's run and replaces it instead of waiting forever.
 * Returns what undoes it.
 */
function announceClose(port: MessagePortLike): () => void {
  const scope = port as { close?: () => void };
  const close = scope.close;
  if (port !== globalThis as unknown || typeof close !== "function") {
    return () => {};
  }
  scope.close = function () {
    port.postMessage([CLOSING]);
    close.call(this);
  };
  return () => (scope.close = close);
}
