// Hosts store timer delays in a signed 32-bit integer: anything above
// 2^31 − 1 ms fires at once. Longer delays are chained, never clamped.
const MAX_DELAY = 2147483647; // 2 ** 31 - 1, as a literal so bundlers drop it

/**
 * Calls `callback` once `ms` milliseconds have passed (`Infinity`: never,
 * and no timer is armed). Returns a function that cancels the timer; calling
 * it after the timer has fired does nothing.
 */
export function startTimer(ms: number, callback: () => void): () => void {
  if (ms === Infinity) return noop;
  let id: ReturnType<typeof setTimeout>;
  // Only a delay over the limit reads the clock: it waits in steps of
  // MAX_DELAY until what is left fits in one timer.
  const due = ms > MAX_DELAY ? Date.now() + ms : 0;
  const arm = (left: number) => {
    id = left > MAX_DELAY
      ? setTimeout(() => arm(due - Date.now()), MAX_DELAY)
      : setTimeout(callback, left);
  };
  arm(ms);
  return () => clearTimeout(id);
}

/** Does nothing; the canceller of a timer that never fires. */
export function noop(): void {}
