// The loop behind the terminal functions (toArray, reduce, some, every,
// find, forEach). Pulls that answer synchronously are not awaited, so
// draining an array-backed pipeline costs no promise per item.

import { noop } from "../_noop.ts";
import { CLOSE, isPromiseLike, type Op, PULL } from "./_op.ts";

/** What a visitor returns to stop early. */
export const STOP: unique symbol = Symbol("stop");

/**
 * Pulls `op` to its end, calling `visit` on each item (awaiting it when it
 * returns a promise). `visit` returning {@linkcode STOP} closes `op` and
 * ends; a throwing `visit` closes `op` and rethrows — as `signal.reason`
 * when `signal` aborted meanwhile.
 */
export async function drain<T>(
  op: Op<T>,
  visit: (value: T) => unknown,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    let result = op[PULL]();
    if (result instanceof Promise) result = await result;
    if (result.done) return;
    let outcome: unknown;
    try {
      outcome = visit(result.value);
      if (isPromiseLike(outcome)) outcome = await outcome;
    } catch (error) {
      await op[CLOSE](error).catch(noop);
      throw signal?.aborted ? signal.reason : error;
    }
    if (outcome === STOP) return op[CLOSE]();
  }
}
