import { abortError } from "./errors.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import { checkSignal } from "../_validate.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import { inspectHook } from "../_inspect_hook.ts";

/**
 * A child `AbortSignal` linked to its parents, returned by
 * {@linkcode linkSignals}. Dispose it when the work it guards has settled: that
 * removes its listeners from the parents, which may live much longer.
 */
export interface LinkedSignal extends Disposable {
  /** Aborts when any parent aborts (with that parent's reason) or on {@linkcode LinkedSignal.abort}. */
  readonly signal: AbortSignal;
  /** Aborts the child only; the parents are unaffected. Unlinks it from them. */
  abort(reason?: unknown): void;
  /** Unlinks the child from its parents without aborting it. */
  [Symbol.dispose](): void;
}

/**
 * Creates a child signal that aborts as soon as any of `signals` aborts, with
 * that signal's reason untouched. `undefined` entries are skipped, so optional
 * signals can be passed straight through.
 *
 * Unlike `AbortSignal.any`, the link is explicit and removable: the child adds
 * one listener to each parent and removes it when disposed or aborted, so a
 * long-lived parent does not accumulate listeners from short-lived children.
 *
 * @example A request guarded by a caller's signal and its own controller
 * ```ts
 * import { linkSignals } from "@seed/async/cancel";
 * import { assert } from "chai";
 *
 * const app = new AbortController();
 * {
 *   using link = linkSignals(app.signal);
 *   app.abort(new Error("shutting down"));
 *   assert.isTrue(link.signal.aborted);
 *   assert.equal((link.signal.reason as Error).message, "shutting down");
 * }
 * ```
 */
export function linkSignals(
  ...signals: (AbortSignal | undefined)[]
): LinkedSignal {
  const parents: AbortSignal[] = [];
  for (let i = 0; i < signals.length; i++) {
    const signal = checkSignal("linkSignals", signals[i], `signals[${i}]`);
    if (signal) parents.push(signal);
  }
  const link = new Link(parents);
  inspectHook?.link(link.signal, parents);
  return link;
}

// Link.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

class Link implements LinkedSignal {
  readonly #controller = new AbortController();
  readonly #subscriptions: AbortSubscription[] = [];
  readonly signal: AbortSignal;
  declare [Symbol.dispose]: () => void;

  constructor(parents: AbortSignal[]) {
    installed ||= defineMethod(
      Link.prototype,
      disposeSymbol,
      function (this: Link) {
        this.#unlink();
      },
    );
    this.signal = this.#controller.signal;
    const aborted = parents.find((parent) => parent.aborted);
    if (aborted) {
      this.#controller.abort(aborted.reason);
      return;
    }
    for (const parent of parents) {
      this.#subscriptions.push(
        onAbort(parent, () => this.abort(parent.reason)),
      );
    }
  }

  abort(reason: unknown = abortError()): void {
    this.#unlink();
    this.#controller.abort(reason);
  }

  #unlink(): void {
    for (const subscription of this.#subscriptions) offAbort(subscription);
    this.#subscriptions.length = 0;
  }
}
