// The signal a callback receives when its caller gave none. A function that
// declares a parameter gets a fresh signal that never aborts (nobody holds
// its controller), so it can pass it on to `fetch` or a wait like any other;
// it is its own, not shared, so listeners the callback leaves on it die with
// the call instead of piling up on a module-wide signal. A function that
// declares no parameter cannot see one, and none is made: an AbortController
// costs more than a trivial callback.

/** `signal`, else a fresh never-aborting signal for a `fn` that takes one. */
export function fallbackSignal(
  fn: (...args: never[]) => unknown,
  signal: AbortSignal | undefined,
): AbortSignal {
  return signal ??
    (fn.length > 0
      ? new AbortController().signal
      : undefined as unknown as AbortSignal);
}
