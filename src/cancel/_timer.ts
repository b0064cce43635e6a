// Timers for the library's own waits: on a given Clock, or straight on the
// host's setTimeout when the clock is the system clock. The host path keeps
// one timer per wait and no closure (the callback gets its state as
// setTimeout's extra argument), and it does not bundle systemClock's own
// argument checks: `sleep` pays for neither.
import type { Clock } from "./clock.ts";

// Hosts store timer delays in a signed 32-bit integer: anything above
// 2^31 − 1 ms fires at once. Longer delays are chained, never clamped.
const MAX_DELAY = 2147483647; // 2 ** 31 - 1, as a literal so bundlers drop it

/** A started timer, for {@linkcode stopTimer}. */
export type Timer = ReturnType<typeof setTimeout> | (() => void) | undefined;

/**
 * Calls `callback(state)` once, `ms` from now (`Infinity`: never), on
 * `clock`, or on the host's timers when `clock` is undefined.
 */
export function startTimer<S>(
  clock: Clock | undefined,
  ms: number,
  callback: (state: S) => void,
  state: S,
): Timer {
  if (clock) return clock.setTimer(ms, () => callback(state));
  if (ms <= MAX_DELAY) return setTimeout(callback, ms, state);
  if (ms === Infinity) return undefined;
  // Only a delay over the limit reads the clock: it waits in steps of
  // MAX_DELAY until what is left fits in one timer.
  const due = Date.now() + ms;
  let id: ReturnType<typeof setTimeout>;
  const step = () => {
    const left = due - Date.now();
    id = left > MAX_DELAY
      ? setTimeout(step, MAX_DELAY)
      : setTimeout(callback, left, state);
  };
  step();
  return () => clearTimeout(id);
}

/** Cancels a timer; does nothing once it fired. */
export function stopTimer(timer: Timer): void {
  if (typeof timer === "function") timer();
  else clearTimeout(timer);
}
