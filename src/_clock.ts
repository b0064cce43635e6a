// Which clock an API uses: its explicit `clock` option, else the clock of the
// scope its signal belongs to, else systemClock. Scopes created with a clock,
// or under a signal that has one, register the signals they hand out here.

import { type Clock, systemClock } from "./cancel/clock.ts";

const clocks = new WeakMap<AbortSignal, Clock>();
// Until some scope registers a clock, no signal has one: the lookup is a
// flag test, so code on the system clock pays nothing for it.
let anyRegistered = false;

/** The clock registered for `signal`, if any (`undefined`: systemClock). */
export function clockOf(signal: AbortSignal | undefined): Clock | undefined {
  return anyRegistered && signal ? clocks.get(signal) : undefined;
}

/** The clock to use given an API's `clock` option and `signal`. */
export function resolveClock(
  clock: Clock | undefined,
  signal: AbortSignal | undefined,
): Clock {
  return clock ?? clockOf(signal) ?? systemClock;
}

/**
 * Makes `clock` the clock of every API later given `signal`; `undefined`
 * (the system clock, inherited) registers nothing.
 */
export function registerClock(
  signal: AbortSignal,
  clock: Clock | undefined,
): void {
  if (!clock) return;
  anyRegistered = true;
  clocks.set(signal, clock);
}
