// Rule 10 for the combinators built on a TaskGroup (race, gather,
// asCompleted): what a combinator hands over stays usable, what it drops is
// released. A function that declares a parameter gets a signal of its own,
// which the combinator's group aborts when it aborts (early exit, failure,
// outer abort) unless that function's result was handed to the caller
// first. A `fetch` response body is tied to its request's signal, so one
// shared signal, aborted to stop the siblings, would break the very response
// the combinator returned.
import { clockOf, registerClock } from "../_clock.ts";
import { type AbortSubscription, offAbort, onAbort } from "../_on_abort.ts";

/** The per-function signals of one combinator call. */
export class HandOver {
  // The controllers whose function's result has not been handed over.
  readonly #open = new Set<AbortController>();
  readonly #subscription: AbortSubscription | undefined;

  /** `signal` is the combinator's group signal. */
  constructor(readonly signal: AbortSignal) {
    this.#subscription = signal.aborted ? undefined : onAbort(signal, this);
  }

  /**
   * The signal to call `fn` with, and its controller: the group's own signal
   * (no controller) for a function that declares no parameter, since it
   * cannot tell one signal from another.
   */
  for(fn: (signal: AbortSignal) => unknown): AbortController | undefined {
    if (fn.length === 0) return undefined;
    const controller = new AbortController();
    // Derived from the group's signal: it runs on the group's clock.
    registerClock(controller.signal, clockOf(this.signal));
    if (this.signal.aborted) controller.abort(this.signal.reason);
    else this.#open.add(controller);
    return controller;
  }

  /** The result of `controller`'s function was handed to the caller. */
  handOver(controller: AbortController | undefined): void {
    if (controller) this.#open.delete(controller);
  }

  /** The result of `controller`'s function is dropped: release it. */
  drop(controller: AbortController | undefined, reason: unknown): void {
    if (!controller) return;
    this.#open.delete(controller);
    controller.abort(reason);
  }

  /** The group's abort: every signal not handed over aborts with it. */
  handleEvent(): void {
    const reason = this.signal.reason;
    for (const controller of this.#open) this.drop(controller, reason);
  }

  /** The call is over: nothing more will be aborted. */
  close(): void {
    if (this.#subscription) offAbort(this.#subscription);
    this.#open.clear();
  }
}
