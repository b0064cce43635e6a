/**
 * Virtual time for tests: {@linkcode TestClock} implements the `Clock` every
 * time-based API of the library runs on, so retries, timeouts, rate limits
 * and intervals can be tested in exact virtual milliseconds and no real
 * time. Pass it as the `clock` option, or give it to the `CancelScope` or
 * `TaskGroup` that holds the work and everything given their signal follows.
 * Nothing global is patched. This subpath is not re-exported from the
 * package root.
 *
 * @example A retry with 30 s backoffs, tested at once
 * ```ts
 * import { retry } from "@seed/async/tasks";
 * import { TestClock } from "@seed/async/testing";
 * import { assert } from "chai";
 *
 * using clock = new TestClock({ autojump: true });
 * const value = await retry(async (_signal, attempt) => {
 *   if (attempt < 5) throw new Error("flaky");
 *   return "ok";
 * }, { attempts: 5, minDelay: 30_000, maxDelay: 30_000, jitter: "none", clock });
 * assert.equal(value, "ok");
 * assert.equal(clock.now(), 4 * 30_000);
 * ```
 *
 * @module
 */
export {
  type RunAllOptions,
  TestClock,
  type TestClockOptions,
} from "./test_clock.ts";
