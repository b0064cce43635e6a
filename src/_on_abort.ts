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
  declare signal: AbortSignal;

  // Called by the signal's dispatch. A signal that aborts while another
  // signal's handlers run (a linked child, a scope, a group) has its handlers
  // queued instead of run on top of the current ones: the outermost dispatch
  // drains the queue, so cancelling 10,000 nested levels costs no stack
  // (DESIGN rule 12). Propagation is therefore breadth-first.
  //
  // Each subscription is marked as run before its handler runs, so a later
  // offAbort() of it is a no-op; the set itself, already unmapped, is left to
  // the collector rather than emptied entry by entry. A Set's iteration skips
  // entries deleted meanwhile (a handler may cancel a later one), and an
  // array's visits entries pushed meanwhile (signals these handlers abort).
  handleEvent(): void {
    subscribers.delete(this.signal);
    if (pending) return void pending.push(this);
    const queue: Subscribers[] = pending = [this];
    let failed = false;
    let error: unknown;
    for (const list of queue) {
      for (const subscription of list) {
        subscription.list = null;
        const { handler } = subscription;
        // A throwing handler must not strand the handlers behind it.
        try {
          if (typeof handler === "function") handler();
          else handler.handleEvent();
        } catch (e) {
          if (!failed) error = e;
          failed = true;
        }
      }
    }
    pending = null;
    if (failed) throw error;
  }
}

const subscribers = new WeakMap<AbortSignal, Subscribers>();

// The signals whose handlers are due, while a dispatch is draining them.
let pending: Subscribers[] | null = null;

/**
 * Calls `handler` once when `signal` aborts. The caller has checked that it
 * has not aborted yet. Cancel with {@linkcode offAbort} on every other exit.
 */
export function onAbort(
  signal: AbortSignal,
  handler: AbortHandler,
): AbortSubscription {
  const subscription: AbortSubscription = { handler, list: null };
  subscribe(signal, subscription);
  return subscription;
}

/**
 * {@linkcode onAbort} for a caller that is its own subscription (its
 * `handler` is itself): one object less per wait where waits are many.
 */
export function subscribe(
  signal: AbortSignal,
  subscription: AbortSubscription,
): void {
  let list = subscribers.get(signal);
  if (!list) {
    subscribers.set(signal, list = new Subscribers());
    list.signal = signal;
    signal.addEventListener("abort", list, { once: true });
  }
  subscription.list = list;
  list.add(subscription);
}

/**
 * Cancels a subscription; does nothing if it already ran or was cancelled.
 * The last one to leave removes the listener.
 */
export function offAbort(subscription: AbortSubscription): void {
  const list = subscription.list;
  if (!list) return;
  subscription.list = null;
  list.delete(subscription);
  // A set that empties is its signal's current one, or one already unmapped
  // by handleEvent() (queued, its signal aborted: nobody subscribes to an
  // aborted signal), so the map entry removed here is never another set.
  if (!list.size) {
    list.signal.removeEventListener("abort", list);
    subscribers.delete(list.signal);
  }
}
