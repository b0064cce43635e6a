// The loop of reduce, some, every and find: one callback per item, each with
// a context of its own under the caller's `signal`, and no operator of their
// own to hold the callbacks' scope.

import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { Context, FollowingScope } from "./_context.ts";
import { drain } from "./_drain.ts";
import { isPromiseLike } from "./_op.ts";
import { type AnySource, toOp } from "./_source.ts";
import { guard } from "./with_signal.ts";

/**
 * Drains `source` for `where`: `call(item, context)` on each item, then
 * `use(item, out)` with its (awaited) output; `use` may return
 * {@linkcode STOP}. Aborting `options.signal` rejects with its reason.
 */
export function fold<T>(
  where: string,
  source: AnySource<T>,
  options: SignalOptions | undefined,
  call: (item: T, context: Context) => unknown,
  use: (item: T, out: unknown) => unknown,
): Promise<void> {
  const signal = checkSignalOption(where, options);
  const op = guard(toOp<T>(where, "source", source), signal);
  const scope = new FollowingScope(signal);
  let index = 0;
  // Each call's context is done once its output is used, so the scope
  // tracks only the one running.
  const visit = (item: T): unknown => {
    const context = new Context(index++, scope);
    const out = call(item, context);
    if (!isPromiseLike(out)) {
      Context.handOver(context);
      return use(item, out);
    }
    return Promise.resolve(out).then((out) => {
      Context.handOver(context);
      return use(item, out);
    });
  };
  return drain(op, visit, signal).finally(() => scope.release());
}
