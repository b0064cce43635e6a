// Test-only helpers for the sync tests: observe a promise's state without
// sleeping, by letting queued microtasks run.

/** Lets pending promise reactions run (a few microtask turns, no timers). */
export async function flush(turns = 8): Promise<void> {
  for (let i = 0; i < turns; i++) await null;
}

/** A live view of a promise's outcome. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  state: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
}

/** Tracks `promise`; its rejection is handled. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { promise, state: "pending" };
  promise.then(
    (value) => {
      tracked.state = "fulfilled";
      tracked.value = value;
    },
    (reason) => {
      tracked.state = "rejected";
      tracked.reason = reason;
    },
  );
  return tracked;
}

/** An abort reason that is easy to recognise. */
export function reason(name = "aborted"): Error {
  return new Error(name);
}
