// Test-only helpers for the combinator tests (gather, race, asCompleted,
// wait, shield, retry): observe promise states and drive work by hand,
// without sleeping.
import { sleep } from "../../src/cancel/mod.ts";
import { type Deferred, deferred } from "../_helpers/deferred.ts";

/** Lets pending promise reactions run (a few microtask turns, no timers). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await null;
}

/** A live view of a promise's outcome; its rejection is handled. */
export interface Tracked<T> {
  state: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
}

/** Tracks `promise`. */
export function track<T>(promise: PromiseLike<T>): Tracked<T> {
  const tracked: Tracked<T> = { state: "pending" };
  promise.then(
    (value) => Object.assign(tracked, { state: "fulfilled", value }),
    (reason) => Object.assign(tracked, { state: "rejected", reason }),
  );
  return tracked;
}

/** Work that runs until its signal aborts, then rejects with the reason. */
export const untilAborted = (signal: AbortSignal): Promise<never> =>
  sleep(Infinity, { signal }) as Promise<never>;

/**
 * Work that ignores its signal: it records what the signal saw and settles
 * only when the test says so.
 */
export interface Stubborn<T> {
  /** The function to hand to a combinator. */
  fn: (signal: AbortSignal) => Promise<T>;
  /** Whether `fn` has been called. */
  readonly called: boolean;
  /** The signal `fn` was called with. */
  readonly signal: AbortSignal | undefined;
  /** Lets `fn` finish with a value or an error. */
  readonly gate: Deferred<T>;
}

/** Creates a {@linkcode Stubborn}. */
export function stubborn<T = string>(): Stubborn<T> {
  const gate = deferred<T>();
  const state = {
    called: false,
    signal: undefined as AbortSignal | undefined,
    gate,
    fn: (signal: AbortSignal) => {
      state.called = true;
      state.signal = signal;
      return gate.promise;
    },
  };
  return state;
}
