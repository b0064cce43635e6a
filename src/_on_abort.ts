// One "abort" listener per signal, shared by every wait the library has
// pending on it. EventTarget implementations scan their listener list on
// each add (to drop duplicates), so 100,000 sleeps on one long-lived signal
// would cost O(n²) with a listener each; here each wait is a node in a
// linked list: O(1) to add and to remove. The listener is removed as soon as
// the last wait leaves, so an idle signal carries nothing of ours.

import { LinkedList, type ListNode } from "./_list.ts";

/** Called when the signal aborts: a function, or an object like an EventListener. */
export type AbortHandler = (() => void) | { handleEvent(): void };

/** A subscription made by {@linkcode onAbort}; pass it to {@linkcode offAbort}. */
export type AbortSubscription = ListNode<AbortHandler>;

class Subscribers extends LinkedList<AbortHandler> {
  constructor(readonly signal: AbortSignal) {
    super();
  }

  // Each handler is unlinked before it runs, so a later offAbort() of it is
  // a no-op and the list ends empty.
  handleEvent(): void {
    this.#forget();
    for (let handler = this.shift(); handler; handler = this.shift()) {
      if (typeof handler === "function") handler();
      else handler.handleEvent();
    }
  }

  detach(): void {
    this.signal.removeEventListener("abort", this);
    this.#forget();
  }

  #forget(): void {
    if (subscribers.get(this.signal) === this) subscribers.delete(this.signal);
  }
}

const subscribers = new WeakMap<AbortSignal, Subscribers>();

/**
 * Calls `handler` once when `signal` aborts. The caller has checked that it
 * has not aborted yet. Cancel with {@linkcode offAbort} on every other exit.
 */
export function onAbort(
  signal: AbortSignal,
  handler: AbortHandler,
): AbortSubscription {
  let list = subscribers.get(signal);
  if (!list) {
    list = new Subscribers(signal);
    subscribers.set(signal, list);
    signal.addEventListener("abort", list, { once: true });
  }
  return list.push(handler);
}

/** Cancels a subscription; does nothing if it already ran or was cancelled. */
export function offAbort(subscription: AbortSubscription): void {
  const list = subscription.list as Subscribers | null;
  if (!list) return;
  list.remove(subscription);
  if (list.size === 0) list.detach();
}
