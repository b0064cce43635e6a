// Hosts store timer delays in a signed 32-bit integer: anything above
// 2^31 − 1 ms fires at once. Longer delays are chained, never clamped.
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Calls `callback` once `ms` milliseconds have passed (`Infinity`: never).
 * Returns a function that cancels the timer; calling it after the timer has
 * fired does nothing.
 */
export function startTimer(ms: number, callback: () => void): () => void {
  if (ms === Infinity) return noop;
  if (ms <= MAX_DELAY) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  }
  const due = Date.now() + ms;
  let id: ReturnType<typeof setTimeout>;
  const step = () => {
    const left = due - Date.now();
    if (left <= 0) callback();
    else id = setTimeout(step, Math.min(left, MAX_DELAY));
  };
  id = setTimeout(step, MAX_DELAY);
  return () => clearTimeout(id);
}

/** Does nothing; the canceller of a timer that never fires. */
export function noop(): void {}
