import { defineMethod, disposeSymbol } from "../_symbols.ts";
import { checkFunction, checkOptions, describe } from "../_validate.ts";

/** What {@linkcode watchEventLoop} reports of one stall. */
export interface Stall {
  /**
   * The time between two checks meant to be `threshold / 2` apart, in ms
   * (≥ `threshold`): the loop was blocked for between `ms - threshold / 2`
   * and `ms`.
   */
  ms: number;
  /** When the stall was seen (its end), in ms since the epoch. */
  at: number;
}

/** Options of {@linkcode watchEventLoop}. */
export interface WatchEventLoopOptions {
  /** The shortest block to report, in ms: a number > 0; default `100`. */
  threshold?: number;
  /** Called after each stall; a throw is the host's to report and does not stop the watch. */
  onStall: (stall: Stall) => void;
}

// EventLoopWatch.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not in the class body.
let installed = false;

class EventLoopWatch implements Disposable {
  readonly #interval: number;
  readonly #threshold: number;
  readonly #onStall: (stall: Stall) => void;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  declare [Symbol.dispose]: () => void;

  constructor(threshold: number, onStall: (stall: Stall) => void) {
    installed ||= defineMethod(
      EventLoopWatch.prototype,
      disposeSymbol,
      function (this: EventLoopWatch) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      },
    );
    this.#threshold = threshold;
    this.#interval = threshold / 2;
    this.#onStall = onStall;
    this.#arm();
  }

  // The loop's own time is measured, not an API's: a real timer and the
  // monotonic clock, never a virtual one.
  #arm(): void {
    this.#last = performance.now();
    const timer = setTimeout(this.#check, this.#interval);
    // Node's, Deno's and Bun's timers can stop holding the process open;
    // the browsers' are plain numbers.
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  readonly #check = (): void => {
    const gap = performance.now() - this.#last;
    // Re-armed first, so a throwing onStall does not end the watch.
    this.#arm();
    if (gap >= this.#threshold) {
      this.#onStall({ ms: Math.round(gap), at: Date.now() });
    }
  };
}

/**
 * Watches for the event loop being blocked — asyncio's
 * `loop.slow_callback_duration` warning, portably. A timer due every
 * `threshold / 2` ms measures how late it fires; when two checks are
 * `threshold` or more apart, `onStall({ ms, at })` is called. Every block of
 * at least `threshold` ms is reported, none shorter than `threshold / 2`;
 * blocks in between may be. Dispose the result to stop watching.
 *
 * Limits: a machine waking from sleep, a background tab (browsers throttle
 * its timers to once a second or less) and a debugger pause all look like
 * long stalls; the watch cannot tell which code blocked, only that something
 * did. Where timers have `unref` (Node, Deno, Bun) the watch does not keep
 * the process alive; elsewhere dispose it when done. In workerd time does
 * not advance while code runs, so blocks are not seen there.
 *
 * @throws {TypeError} `onStall` is not a function, or `threshold` is not a number.
 * @throws {RangeError} `threshold` is not a finite number > 0.
 *
 * @example
 * ```ts
 * import { watchEventLoop, type Stall } from "@seed/async/inspect";
 * import { assert } from "chai";
 *
 * const stall = await new Promise<Stall>((resolve) => {
 *   const watch = watchEventLoop({
 *     threshold: 20,
 *     onStall(stall) {
 *       watch[Symbol.dispose]();
 *       resolve(stall);
 *     },
 *   });
 *   const end = Date.now() + 60;
 *   while (Date.now() < end); // block the loop for 60 ms
 * });
 * assert.isAtLeast(stall.ms, 20);
 * ```
 */
export function watchEventLoop(options: WatchEventLoopOptions): Disposable {
  const { threshold = 100, onStall } = checkOptions("watchEventLoop", options);
  checkFunction("watchEventLoop", "onStall", onStall);
  if (typeof threshold !== "number") {
    throw new TypeError(
      `watchEventLoop: threshold must be a number of milliseconds, got ${
        describe(threshold)
      }`,
    );
  }
  if (!(threshold > 0 && threshold < Infinity)) {
    throw new RangeError(
      `watchEventLoop: threshold must be a finite number > 0, got ${
        describe(threshold)
      }`,
    );
  }
  return new EventLoopWatch(threshold, onStall);
}
