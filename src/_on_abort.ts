// One "abort" listener per signal, shared by every wait the library has
// pending on it. EventTarget implementations scan their listener list on
// each add (to drop duplicates), so 100,000 sleeps on one long-lived signal
// would cost O(n²) with a listener each; here each wait is an entry of a Set
// (insertion-ordered, O(1) to add and to delete). The listener is removed as
// soon as the last wait leaves, so an idle signal carries nothing of ours.

/** Called when the signal aborts: a function, or an object like an EventListener. */
export type AbortHandler = (() => void) | { handleEvent(): void };

/** A subscription made by {@linkcode onAbort}; pass it to {@linkcode offAbort}. */
export interface AbortSubscription {
  readonly handler: AbortHandler;
  /** The subscribers it belongs to; null once it ran or was cancelled. */
  list: Subscribers | null;
}

// A Set, not the library's LinkedList: it is built in, so `sleep` alone
// bundles no list code.
class Subscribers extends Set<AbortSubscription> {
  constructor(readonly signal: AbortSignal) {
    super();
  }

  // Each subscription leaves before its handler runs, so a later offAbort()
  // of it is a no-op and the set ends empty. A Set's iteration skips entries
  // deleted meanwhile (a handler may cancel a later one).
  handleEvent(): void {
    subscribers.delete(this.signal);
    for (const subscription of this) {
      this.delete(subscription);
      subscription.list = null;
      const { handler } = subscription;
      if (typeof handler === "function") handler();
      else handler.handleEvent();
    }
  }

  // Only the signal's current set can empty (the subscriptions of an
  // aborted one have all left before their handlers ran), so the map entry
  // removed here and in handleEvent() is always this set.
  detach(): void {
    this.signal.removeEventListener("abort", this);
    subscribers.delete(this.signal);
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
  const subscription: AbortSubscription = { handler, list };
  list.add(subscription);
  return subscription;
}

/** Cancels a subscription; does nothing if it already ran or was cancelled. */
export function offAbort(subscription: AbortSubscription): void {
  const list = subscription.list;
  if (!list) return;
  subscription.list = null;
  list.delete(subscription);
  if (list.size === 0) list.detach();
}
