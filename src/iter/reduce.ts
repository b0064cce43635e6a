import type { SignalOptions } from "../cancel/sleep.ts";
import { checkFunction, checkSignalOption } from "../_validate.ts";
import { Context, FollowingScope } from "./_context.ts";
import { drain } from "./_drain.ts";
import { isPromiseLike } from "./_op.ts";
import { type AnySource, toOp } from "./_source.ts";
import type { CallbackContext } from "./types.ts";
import { guard } from "./with_signal.ts";

/**
 * Folds `source` into one value: `fn(accumulator, item, { index, signal })`
 * for each item, starting from `initial` (always required, so it cannot be
 * confused with the options). `fn` may be async. Aborting `signal` rejects
 * with `signal.reason` and returns the source.
 *
 * @throws {TypeError} `source` is not iterable, or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { reduce } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const total = await reduce([1, 2, 3], async (sum, n) => sum + n, 0);
 * assert.equal(total, 6);
 * ```
 */
export function reduce<T, A>(
  source: AnySource<T>,
  fn: (accumulator: A, item: T, context: CallbackContext) => A | PromiseLike<A>,
  initial: A,
  options?: SignalOptions,
): Promise<A> {
  checkFunction("reduce", "fn", fn);
  const signal = checkSignalOption("reduce", options);
  const op = guard(toOp<T>("reduce", "source", source), signal);
  const scope = new FollowingScope(signal);
  let accumulator = initial;
  let index = 0;
  // Each call's context is done once its accumulator is taken, so the
  // scope tracks only the one running.
  const visit = (item: T): unknown => {
    const context = new Context(index++, scope);
    const out = fn(accumulator, item, context);
    if (!isPromiseLike(out)) {
      Context.handOver(context);
      accumulator = out;
      return;
    }
    return Promise.resolve(out).then((value) => {
      Context.handOver(context);
      accumulator = value;
    });
  };
  return drain(op, visit, signal).then(() => accumulator)
    .finally(() => scope.release());
}
