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
 * The callbacks of one operator, which aborts it from its own early exit
 * (its signal included).
 */
export class Scope {
  // The clock of the operator's signal: the callbacks' signals derive from
  // it, so a `sleep` given one runs on that clock.
  readonly #clock: Clock | undefined;
  // Controllers of callbacks that read their signal and are not done.
  #live: Set<AbortController> | undefined;
  #aborted = false;
  #reason: unknown;

  /** `clockSignal`: the signal whose clock callbacks inherit. */
  constructor(clockSignal: AbortSignal | undefined) {
    this.#clock = clockOf(clockSignal);
  }

  /** A new controller for a callback that is not done; tracked until it is. */
  open(): AbortController {
    const controller = new AbortController();
    registerClock(controller.signal, this.#clock);
    this.watch();
    if (this.#aborted) controller.abort(this.#reason);
    else (this.#live ??= new Set()).add(controller);
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
    const live = this.#live;
    this.#live = undefined;
    if (live) { for (const controller of live) controller.abort(reason); }
  }

  /** Called before a controller is made. */
  protected watch(): void {}
}

/**
 * The scope of `find`, `reduce` and the like, which have no operator of
 * their own: it follows the caller's `signal`, subscribing when the first
 * callback reads its own (most never do). {@linkcode release} it at the end.
 */
export class FollowingScope extends Scope {
  readonly #parent: AbortSignal | undefined;
  #subscription: AbortSubscription | undefined;

  constructor(parent: AbortSignal | undefined) {
    super(parent);
    this.#parent = parent;
  }

  protected override watch(): void {
    const parent = this.#parent;
    if (parent?.aborted) this.abort(parent.reason);
    else if (parent && !this.#subscription) {
      this.#subscription = onAbort(parent, () => this.abort(parent.reason));
    }
  }

  /** Normal end: stops following the parent signal. */
  release(): void {
    if (this.#subscription) offAbort(this.#subscription);
  }
}

// Keeps Context's hidden class alive between pipelines (see Op's anchors);
// null while it is being made.
let anchor: Context | null | undefined;

/** One callback's context. */
export class Context implements CallbackContext {
  readonly index: number;
  // Undefined once done: a signal read afterwards is a live one of its own.
  #scope: Scope | undefined;
  #controller: AbortController | undefined;

  constructor(index: number, scope: Scope | undefined) {
    this.index = index;
    this.#scope = scope;
    if (anchor === undefined) {
      anchor = null;
      anchor = new Context(-1, undefined);
    }
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
