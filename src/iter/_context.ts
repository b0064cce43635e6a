// The context an operator's callbacks receive (DESIGN rule 10). Each
// callback that reads `signal` gets an AbortController of its own, made on
// that first read: most callbacks never read it and cost nothing. The scope
// tracks the controllers of callbacks whose result has not been handed over
// yet; an early exit aborts exactly those (work in flight, results buffered
// and dropped), while a callback whose result was handed over keeps a live
// signal, so a response body tied to it stays readable.

import type { Clock } from "../cancel/clock.ts";
import { clockOf, registerClock } from "../_clock.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";
import type { CallbackContext } from "./types.ts";

/**
 * The callbacks of one operator. Operators of ours abort it from their own
 * early exit; `find`, `reduce` and the like, which have no operator of
 * their own, give it the caller's `signal` to follow.
 */
export class Scope {
  readonly #parent: AbortSignal | undefined;
  // The clock of the operator's signal: the callbacks' signals derive from
  // it, so a `sleep` given one runs on that clock.
  readonly #clock: Clock | undefined;
  #subscription: AbortSubscription | undefined;
  // Controllers of callbacks that read their signal and are not done.
  #live: Set<AbortController> | undefined;
  #aborted = false;
  #reason: unknown;

  /** `parent` to follow, if any; `clockSignal`, the signal whose clock callbacks inherit. */
  constructor(
    parent?: AbortSignal,
    clockSignal: AbortSignal | undefined = parent,
  ) {
    this.#parent = parent;
    this.#clock = clockOf(clockSignal);
  }

  /** A new controller for a callback that is not done; tracked until it is. */
  open(): AbortController {
    const controller = new AbortController();
    const parent = this.#parent;
    registerClock(controller.signal, this.#clock);
    if (this.#aborted) controller.abort(this.#reason);
    else if (parent?.aborted) controller.abort(parent.reason);
    else {
      if (parent && !this.#subscription) {
        this.#subscription = onAbort(parent, () => {
          this.#subscription = undefined;
          this.abort(parent.reason);
        });
      }
      (this.#live ??= new Set()).add(controller);
    }
    return controller;
  }

  /** Stops tracking a callback whose result was handed over. */
  close(controller: AbortController): void {
    this.#live?.delete(controller);
  }

  /** Early exit: aborts every callback that is not done, now and later. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.release();
    const live = this.#live;
    this.#live = undefined;
    if (live) { for (const controller of live) controller.abort(reason); }
  }

  /** Normal end: stops following the parent signal. */
  release(): void {
    if (this.#subscription) offAbort(this.#subscription);
    this.#subscription = undefined;
  }
}

/** One callback's context. */
export class Context implements CallbackContext {
  readonly index: number;
  // Undefined once done: a signal read afterwards is a live one of its own.
  #scope: Scope | undefined;
  #controller: AbortController | undefined;

  constructor(index: number, scope: Scope) {
    this.index = index;
    this.#scope = scope;
  }

  /**
   * Marks `context` done: its result was handed over (or used up), and its
   * signal is never aborted after this. (Static, so that the context a
   * callback sees has nothing but `index` and `signal`.)
   */
  static handOver(context: Context): void {
    const scope = context.#scope;
    context.#scope = undefined;
    if (scope && context.#controller) scope.close(context.#controller);
  }

  get signal(): AbortSignal {
    return (this.#controller ??= this.#scope?.open() ?? new AbortController())
      .signal;
  }
}
