import type { Clock } from "../cancel/clock.ts";
import { turns, uncountedTurn } from "../_macrotask.ts";
import { noop } from "../_noop.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import {
  checkBoolean,
  checkDuration,
  checkFunction,
  checkInteger,
  checkOptions,
  describe,
} from "../_validate.ts";

/** Options of {@linkcode TestClock}. */
export interface TestClockOptions {
  /** The time the clock starts at, a finite number of ms. Default `0`. */
  now?: number;
  /**
   * Jump to the next timer whenever nothing else is runnable, so waits end
   * at once in real time. Default `false`: time moves only on
   * {@linkcode TestClock.advance}, {@linkcode TestClock.next} and
   * {@linkcode TestClock.runAll}.
   */
  autojump?: boolean;
}

/** Options of {@linkcode TestClock.runAll}. */
export interface RunAllOptions {
  /** How many timers may fire before `runAll` gives up; default `10_000`. */
  limit?: number;
}

interface Timer {
  readonly due: number;
  readonly callback: () => void;
}

// TestClock.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not in the class body.
let installed = false;

/**
 * A virtual clock for tests: pass it as the `clock` option of any
 * time-based API (or of the `TaskGroup`/`CancelScope` that holds the work)
 * and time moves only when the test says so. Nothing global is patched, so
 * two tests with two clocks can run side by side.
 *
 * {@linkcode TestClock.advance}, {@linkcode TestClock.next} and
 * {@linkcode TestClock.runAll} first wait one macrotask turn, so work already
 * under way (`retry(…)` called just before `advance`, say) sets its timers
 * at the current time before time moves. Then timers fire one at a time, in
 * deadline order, FIFO among equal deadlines,
 * and the clock reads exactly the fired timer's deadline while its callback
 * runs. After each one the clock waits for a macrotask turn, so every
 * promise reaction it caused runs — including ones that schedule new timers,
 * which then fire in their turn: a +10 timer scheduled from a timer at 10
 * fires at 20, even inside one `advance(100)`.
 *
 * A timer callback that throws under {@linkcode TestClock.advance},
 * {@linkcode TestClock.next} or {@linkcode TestClock.runAll} stops time at
 * that timer: the call rejects with the error, the later timers stay
 * pending. Under autojump there is no caller to reject: the error is thrown
 * from the clock's macrotask, an uncaught error as a throwing `setTimeout`
 * callback would be, and autojump goes on with the next timer.
 *
 * **Autojump** (`autojump: true`): while timers are pending the clock keeps
 * one real check scheduled for the next macrotask turn (`setImmediate`
 * where the host has one, else a `MessageChannel` message, else
 * `setTimeout(0)`). A macrotask runs only once every pending promise
 * reaction has run, so no chain of `await`s, however long, is cut short.
 * The check jumps to the next timer only if, since it was scheduled, no
 * timer of this clock was set or cancelled, no `yieldNow` asked for a
 * turn and none is still waiting for its turn; otherwise the program is still busy and it checks again a turn
 * later. Real I/O is invisible to it: a `fetch`, a file read or a real
 * `setTimeout` in flight does not hold time still, so virtual timers may
 * fire before the I/O completes. Keep real I/O out of autojumped code, or
 * advance by hand around it.
 *
 * Disposing the clock cancels its timers (whatever awaits them stays
 * pending) and its pending check; Deno's test sanitizer reports a clock that
 * was left undisposed with autojump on.
 *
 * @example Exact virtual time, by hand
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { TestClock } from "@seed/async/testing";
 * import { assert } from "chai";
 *
 * using clock = new TestClock();
 * const woke: number[] = [];
 * sleep(10, { clock }).then(() => woke.push(clock.now()));
 * sleep(30, { clock }).then(() => woke.push(clock.now()));
 * await clock.advance(20);
 * assert.deepEqual(woke, [10]);
 * await clock.runAll();
 * assert.deepEqual(woke, [10, 30]);
 * assert.equal(clock.pending, 0);
 * ```
 *
 * @example A minute of sleep in no real time
 * ```ts
 * import { sleep } from "@seed/async/cancel";
 * import { TestClock } from "@seed/async/testing";
 * import { assert } from "chai";
 *
 * using clock = new TestClock({ autojump: true });
 * await sleep(60_000, { clock });
 * assert.equal(clock.now(), 60_000);
 * ```
 */
export class TestClock implements Clock, Disposable {
  #now: number;
  readonly #autojump: boolean;
  // Pending timers, sorted by deadline; equal deadlines in the order set.
  readonly #timers: Timer[] = [];
  // Bumped by every setTimer and every effective cancel: autojump's sign
  // that the program is still doing something.
  #activity = 0;
  #cancelCheck: (() => void) | undefined;
  #driving = false;
  #disposed = false;

  /**
   * Creates a clock reading `now` (default `0`).
   *
   * @throws {TypeError} an option has the wrong type.
   * @throws {RangeError} `now` is not finite.
   */
  constructor(options?: TestClockOptions) {
    installed ||= defineMethod(
      TestClock.prototype,
      disposeSymbol,
      function (this: TestClock) {
        this.#disposed = true;
        this.#timers.length = 0;
        this.#cancelCheck?.();
        this.#cancelCheck = undefined;
      },
    );
    const { now = 0, autojump = false } = checkOptions("TestClock", options);
    if (typeof now !== "number" || !Number.isFinite(now)) {
      throw new (typeof now === "number" ? RangeError : TypeError)(
        `TestClock: now must be a finite number of ms, got ${describe(now)}`,
      );
    }
    checkBoolean("TestClock", "autojump", autojump);
    this.#now = now;
    this.#autojump = autojump;
  }

  /** The virtual time, in ms. */
  now(): number {
    return this.#now;
  }

  /** How many timers are set and have neither fired nor been cancelled. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Calls `callback` once the clock reaches `now() + ms` (`Infinity`:
   * never, and nothing is kept). Returns a function that cancels the timer.
   *
   * @throws {RangeError} `ms` is negative or NaN.
   * @throws {TypeError} `ms` is not a number or `callback` not a function.
   * @throws {Error} the clock was disposed.
   */
  setTimer(ms: number, callback: () => void): () => void {
    checkDuration("TestClock.setTimer", "ms", ms);
    checkFunction("TestClock.setTimer", "callback", callback);
    this.#checkLive("TestClock.setTimer");
    if (ms === Infinity) return noop;
    const timer: Timer = { due: this.#now + ms, callback };
    const timers = this.#timers;
    // After every timer due no later: FIFO among equal deadlines.
    let low = 0;
    let high = timers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (timers[mid].due <= timer.due) low = mid + 1;
      else high = mid;
    }
    timers.splice(low, 0, timer);
    this.#activity++;
    this.#scheduleCheck();
    return () => {
      const index = timers.indexOf(timer);
      if (index === -1) return;
      timers.splice(index, 1);
      this.#activity++;
    };
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way one at a
   * time (see the class description), then sets the clock to exactly
   * `now() + ms`. Resolves once the reactions of the last timer have run.
   * If a callback throws, time stops at its timer and this rejects with the
   * error.
   *
   * @throws {RangeError} `ms` is negative or not finite.
   * @throws {TypeError} `ms` is not a number.
   * @throws {Error} the clock was disposed, or another `advance`, `next` or
   * `runAll` is still running.
   */
  advance(ms: number): Promise<void> {
    checkDuration("TestClock.advance", "ms", ms);
    if (ms === Infinity) {
      throw new RangeError(
        "TestClock.advance: ms must be finite (runAll() runs every timer), got Infinity",
      );
    }
    this.#startDriving("TestClock.advance");
    return this.#drive(async () => {
      const target = this.#now + ms;
      while (this.#timers.length > 0 && this.#timers[0].due <= target) {
        await this.#fireNext();
      }
      this.#now = target;
    });
  }

  /**
   * Moves time to the next timer and fires it; resolves `true` once its
   * reactions have run, or `false` at once if no timer is pending.
   *
   * @throws {Error} the clock was disposed, or another `advance`, `next` or
   * `runAll` is still running.
   */
  next(): Promise<boolean> {
    this.#startDriving("TestClock.next");
    return this.#drive(async () => {
      if (this.#timers.length === 0) return false;
      await this.#fireNext();
      return true;
    });
  }

  /**
   * Fires timers, as {@linkcode TestClock.next} does, until none is
   * pending. Rejects with an `Error` once `limit` timers have fired and more
   * are still due: a timer that always sets another, such as an `interval`
   * nobody stops, never runs out.
   *
   * @throws {RangeError} `limit` is not an integer ≥ 1 (or `Infinity`).
   * @throws {Error} the clock was disposed, or another `advance`, `next` or
   * `runAll` is still running.
   */
  runAll(options?: RunAllOptions): Promise<void> {
    const { limit = 10_000 } = checkOptions("TestClock.runAll", options);
    checkInteger("TestClock.runAll", "limit", limit, 1, true);
    this.#startDriving("TestClock.runAll");
    return this.#drive(async () => {
      for (let fired = 0; this.#timers.length > 0; fired++) {
        if (fired === limit) {
          throw new Error(
            `TestClock.runAll: ${limit} timers fired and ${this.#timers.length} are still pending; is a timer setting another forever (an interval nobody stops)?`,
          );
        }
        await this.#fireNext();
      }
    });
  }

  /** Cancels every pending timer and the autojump check. Idempotent. */
  declare [Symbol.dispose]: () => void;

  #checkLive(where: string): void {
    if (this.#disposed) {
      throw new Error(`${where}: the TestClock was disposed`);
    }
  }

  #startDriving(where: string): void {
    this.#checkLive(where);
    if (this.#driving) {
      throw new Error(
        `${where}: another advance, next or runAll of this TestClock is still running; await it first`,
      );
    }
    this.#driving = true;
  }

  async #drive<T>(run: () => Promise<T>): Promise<T> {
    try {
      // Work already under way sets its timers at the current time first.
      await turn();
      return await run();
    } finally {
      this.#driving = false;
      this.#scheduleCheck();
    }
  }

  /** Fires the first timer, then waits a macrotask turn for its reactions. */
  async #fireNext(): Promise<void> {
    const timer = this.#timers.shift()!;
    this.#now = timer.due;
    this.#activity++;
    timer.callback();
    await turn();
  }

  // Autojump: keep one check scheduled while timers are pending and no
  // advance, next or runAll drives the clock.
  #scheduleCheck(): void {
    if (
      !this.#autojump || this.#disposed || this.#driving ||
      this.#cancelCheck || this.#timers.length === 0
    ) return;
    this.#cancelCheck = uncountedTurn(this.#check);
    this.#seen = this.#activity + turns.requested;
  }

  // What #activity + turns.requested read when the check was scheduled.
  #seen = 0;

  readonly #check = (): void => {
    this.#cancelCheck = undefined;
    if (this.#driving || this.#timers.length === 0) return;
    if (
      this.#activity + turns.requested !== this.#seen || turns.pending > 0
    ) {
      // Still busy a turn ago: look again after the next turn.
      return this.#scheduleCheck();
    }
    const timer = this.#timers.shift()!;
    this.#now = timer.due;
    this.#activity++;
    try {
      timer.callback();
    } finally {
      this.#scheduleCheck();
    }
  };
}

/** Resolves after a macrotask turn: every pending promise reaction has run. */
function turn(): Promise<void> {
  return new Promise((resolve) => uncountedTurn(resolve));
}
