import { checkSignal } from "../_validate.ts";
import type { AsyncOperator, Op } from "./_op.ts";
import { type Outcome, SeqOp } from "./_seq.ts";
import { type AnySource, toOp } from "./_source.ts";

/**
 * Yields the items of `source` until `signal` aborts; then rejects the
 * pending (or next) step with `signal.reason` at once — even while the
 * source is stuck in a `next()` that never settles — and returns the
 * source. An already-aborted signal rejects the first `next()`.
 *
 * @throws {TypeError} `source` is not iterable, or `signal` is not an AbortSignal.
 *
 * @example Stop reading a never-ending source
 * ```ts
 * import { interval, withSignal } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const controller = new AbortController();
 * const seen: number[] = [];
 * try {
 *   for await (const tick of withSignal(interval(1), controller.signal)) {
 *     seen.push(tick);
 *     if (tick === 2) controller.abort(new Error("enough"));
 *   }
 * } catch (error) {
 *   assert.equal((error as Error).message, "enough");
 * }
 * assert.deepEqual(seen, [0, 1, 2]);
 * ```
 */
export function withSignal<T>(
  source: AnySource<T>,
  signal: AbortSignal,
): AsyncOperator<T> {
  const checked = checkSignal("withSignal", signal);
  if (!checked) {
    throw new TypeError(
      "withSignal: signal must be an AbortSignal, got undefined",
    );
  }
  return new SignalOp(toOp<T>("withSignal", "source", source), checked);
}

/** `op` guarded by `signal`, or `op` itself when there is none. */
export function guard<T>(op: Op<T>, signal: AbortSignal | undefined): Op<T> {
  return signal ? new SignalOp(op, signal) : op;
}

class SignalOp<T> extends SeqOp<T, T> {
  protected override item(result: IteratorYieldResult<T>): Outcome<T> {
    return result;
  }
}
