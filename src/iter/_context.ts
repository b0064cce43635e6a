// The context an operator's callbacks receive. All callbacks of one operator
// share one signal, created on first use (most callbacks never read it) and
// aborted on an early exit; it follows the operator's own signal.

import { type LinkedSignal, linkSignals } from "../cancel/link_signals.ts";
import { disposeSymbol } from "../_symbols.ts";
import type { CallbackContext } from "./types.ts";

/** The shared signal of one operator's callbacks. */
export class Scope {
  #parent: AbortSignal | undefined;
  #link: LinkedSignal | undefined;
  #aborted = false;
  #reason: unknown;

  constructor(parent: AbortSignal | undefined) {
    this.#parent = parent;
  }

  get signal(): AbortSignal {
    if (!this.#link) {
      this.#link = linkSignals(this.#parent);
      // Read after the exit by a callback still running: already aborted.
      if (this.#aborted) this.#link.abort(this.#reason);
    }
    return this.#link.signal;
  }

  /** Aborts the callbacks' signal (early exit). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#link?.abort(reason);
  }

  /** Unlinks from the parent signal (normal end). */
  release(): void {
    this.#link?.[disposeSymbol]();
  }
}

/** One callback's context. */
export class Context implements CallbackContext {
  readonly index: number;
  readonly #scope: Scope;

  constructor(index: number, scope: Scope) {
    this.index = index;
    this.#scope = scope;
  }

  get signal(): AbortSignal {
    return this.#scope.signal;
  }
}
