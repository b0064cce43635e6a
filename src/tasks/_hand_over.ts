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
import { type TaskFunction, TaskGroup } from "./task_group.ts";

/** The group of one combinator call, and the per-function signals. */
export class HandOver {
  readonly group: TaskGroup;
  /** The group's signal. */
  readonly signal: AbortSignal;
  // The controllers, by signal, whose function's result has not been
  // handed over.
  readonly #open = new Map<AbortSignal, AbortController>();
  readonly #subscription: AbortSubscription;

  /** A group under `outer`, which has not aborted (the combinators reject at once then). */
  constructor(outer: AbortSignal | undefined, limit?: number) {
    this.group = new TaskGroup({ signal: outer, limit });
    this.#subscription = onAbort(this.signal = this.group.signal, this);
  }

  /**
   * The signal to call `fn` with: the group's own signal for a function
   * that declares no parameter, since it cannot tell one signal from
   * another; else a signal of its own. Only while the group has not aborted.
   */
  for(fn: TaskFunction<unknown>): AbortSignal {
    if (!fn.length) return this.signal;
    const controller = new AbortController();
    const signal = controller.signal;
    // Derived from the group's signal: it runs on the group's clock.
    registerClock(signal, clockOf(this.signal));
    this.#open.set(signal, controller);
    return signal;
  }

  /**
   * Spawns, for each function in order, the task `body(fn, signal, i)`
   * makes (one without parameter, so the group allocates no controller of
   * its own for it), while the group has not aborted (a function may abort
   * the outer signal synchronously); then waits for the group and closes.
   * Rejects with whatever aborted the group first: the first child error,
   * or the outer reason, as `Promise.all` would report it.
   */
  async run<F extends TaskFunction<unknown>>(
    fns: F[],
    body: (fn: F, signal: AbortSignal, i: number) => () => Promise<unknown>,
  ): Promise<void> {
    for (let i = 0; i < fns.length && !this.signal.aborted; i++) {
      const fn = fns[i];
      const signal = this.for(fn);
      this.group.spawn(body(fn, signal, i));
    }
    try {
      await this.group.wait();
    } catch {
      throw this.signal.reason;
    } finally {
      this.close();
    }
  }

  /**
   * The result of the function called with `signal` was handed to the
   * caller: its controller, if it has one, is never aborted by the group
   * (and is returned).
   */
  handOver(signal: AbortSignal): AbortController | undefined {
    const controller = this.#open.get(signal);
    this.#open.delete(signal);
    return controller;
  }

  /** The result of the function called with `signal` is dropped: release it. */
  drop(signal: AbortSignal, reason: unknown): void {
    this.handOver(signal)?.abort(reason);
  }

  /** The group's abort: every signal not handed over aborts with it. */
  handleEvent(): void {
    const reason = this.signal.reason;
    this.#open.forEach((controller) => controller.abort(reason));
    this.#open.clear();
  }

  /** The call is over: nothing more will be aborted. */
  close(): void {
    offAbort(this.#subscription);
    this.#open.clear();
  }
}
