// Disposers that run their cleanup at most once. Disposal is often reached
// twice — an `await using` plus a stack, or two owners racing — and a
// resource closed twice is a bug in most APIs.

import { noop } from "../_noop.ts";

/** Wraps `cleanup` so only the first call runs it. */
export function once(cleanup: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    // Marked before the call: a cleanup that throws is not retried.
    called = true;
    cleanup();
  };
}

/**
 * Wraps `cleanup` so only the first call runs it. That call's promise
 * settles like the cleanup; later calls wait for it and then resolve, so an
 * error is reported once, to the first caller. A synchronous throw becomes a
 * rejection.
 */
export function onceAsync(cleanup: () => unknown): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    if (running) return running.then(noop, noop);
    running = run(cleanup);
    return running;
  };
}

async function run(cleanup: () => unknown): Promise<void> {
  await cleanup();
}
