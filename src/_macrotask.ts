// A macrotask turn: what yieldNow waits for, and what TestClock's autojump
// waits for before it decides that nothing else is runnable.

/**
 * The turns the program has asked for so far (`requested`) and those not yet
 * delivered nor cancelled (`pending`). A turn asked for (a `yieldNow`) means
 * the program is still busy: autojump does not jump past it. `pending` does
 * not rely on turns being delivered in the order they were asked for, which
 * MessageChannel messages of different channels are not (WebKit).
 */
export const turns = { requested: 0, pending: 0 };

/** The host's `setImmediate`, where it has one (Node, Bun, Deno, workerd). */
interface ImmediateHost {
  setImmediate?: (callback: () => void) => unknown;
  clearImmediate?: (id: unknown) => void;
}

/**
 * Schedules `callback` in a later macrotask; returns a canceller. Each call
 * counts one in `turns.requested`.
 */
export function nextMacrotask(callback: () => void): () => void {
  turns.requested++;
  turns.pending++;
  let due = true;
  const cancel = uncountedTurn(() => {
    due = false;
    turns.pending--;
    callback();
  });
  return () => {
    if (due) turns.pending--;
    due = false;
    cancel();
  };
}

/**
 * Like `nextMacrotask`, but not counted in `turns`: for TestClock's own
 * turns, which must not hold back its autojump or another clock's.
 */
export function uncountedTurn(callback: () => void): () => void {
  const host = globalThis as ImmediateHost;
  if (host.setImmediate && host.clearImmediate) {
    const id = host.setImmediate(callback);
    return () => host.clearImmediate!(id);
  }
  if (typeof MessageChannel === "function") return postToSelf(callback);
  const id = setTimeout(callback, 0);
  return () => clearTimeout(id);
}

// One channel per turn, closed as soon as it has delivered or been
// cancelled, so no port stays open to keep a process alive. Some runtimes
// deliver a queued message while closing: `live` keeps a cancelled turn from
// running.
function postToSelf(callback: () => void): () => void {
  const channel = new MessageChannel();
  let live = true;
  const close = () => {
    live = false;
    channel.port1.close();
    channel.port2.close();
  };
  channel.port1.onmessage = () => {
    if (!live) return;
    close();
    callback();
  };
  channel.port2.postMessage(null);
  return close;
}
