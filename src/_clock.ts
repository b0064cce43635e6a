// Which clock an API uses: its explicit `clock` option, else the clock of the
// scope its signal belongs to, else systemClock. Scopes created with a clock
// register the signals they hand out here.

import { type Clock, systemClock } from "./cancel/clock.ts";

const clocks = new WeakMap<AbortSignal, Clock>();
// Until some scope registers a clock other than systemClock, no signal has
// one: the lookup is a flag test, so real-time code pays nothing for it.
let anyRegistered = false;

/** The clock to use given an API's `clock` option and `signal`. */
export function resolveClock(
  clock: Clock | undefined,
  signal: AbortSignal | undefined,
): Clock {
  if (clock) return clock;
  return (anyRegistered && signal && clocks.get(signal)) || systemClock;
}

/** Makes `clock` the clock of every API later given `signal`. */
export function registerClock(signal: AbortSignal, clock: Clock): void {
  if (clock === systemClock) return;
  anyRegistered = true;
  clocks.set(signal, clock);
}
