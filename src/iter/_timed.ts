// What the time-based operators (chunk, throttle, timeoutEach, interval)
// share: a clock, at most one timer at a time, cancelled on every exit.

import type { Clock } from "../cancel/clock.ts";
import { resolveClock } from "../_clock.ts";
import { checkClock } from "../_validate.ts";
import { CLOSE, Op } from "./_op.ts";

/**
 * The checked `clock` option of `where`; without one, the clock of
 * `signal`'s scope, else `systemClock`.
 */
export function clockOption(
  where: string,
  clock: Clock | undefined,
  signal?: AbortSignal,
): Clock {
  return resolveClock(checkClock(where, clock), signal);
}

/**
 * An operator with one timer at a time, over `source` (if any), which its
 * exit cancels and closes. Subclasses implement {@linkcode onTimer}.
 */
export abstract class TimedOp<T, U> extends Op<U> {
  protected readonly source: Op<T>;
  protected readonly clock: Clock;
  #cancel: (() => void) | undefined;

  // `source` is undefined only for a source of its own (interval).
  constructor(source: Op<T> | undefined, clock: Clock, signal?: AbortSignal) {
    super(signal);
    this.source = source!;
    this.clock = clock;
  }

  /** What the timer does when it fires. */
  protected abstract onTimer(): void;

  /** Starts the timer: {@linkcode onTimer} in `ms` milliseconds. */
  protected startTimer(ms: number): void {
    this.#cancel = this.clock.setTimer(ms, this.#fire);
  }

  /** Cancels the timer, if it runs. */
  protected stopTimer(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  protected stop(reason: unknown): Promise<void> | void {
    this.stopTimer();
    return this.source?.[CLOSE](reason);
  }

  readonly #fire = (): void => {
    this.#cancel = undefined;
    this.onTimer();
  };
}
