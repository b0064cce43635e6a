/**
 * Types shared by the iterator operators.
 *
 * @module
 */

export type { AsyncOperator } from "./_op.ts";
export type { AnySource, SourceItem } from "./_source.ts";

/** What an operator's callback receives besides the item. */
export interface CallbackContext {
  /** Position of the item in the source, from 0. */
  readonly index: number;
  /**
   * This callback's own signal, made when first read (a callback that never
   * reads it costs nothing). It aborts when the operator exits early
   * (`break`, `return()`, `throw()`, a failed callback, or the operator's own
   * signal) while this callback is still running or its result is still
   * buffered unread, so that work and what it holds are released. Once the
   * result has been handed over (yielded, or used by the operator) it is
   * never aborted: a response body tied to it stays readable.
   */
  readonly signal: AbortSignal;
}

/** Options of {@linkcode map}, {@linkcode filter}, {@linkcode flatMap}, {@linkcode forEach}. */
export interface ConcurrencyOptions {
  /** How many callbacks may run at once; an integer ≥ 1 or `Infinity`. Default 1. */
  concurrency?: number;
  /**
   * `true` (default): results come out in input order. `false`: in the order
   * the callbacks finish.
   */
  ordered?: boolean;
  /** Aborting it stops the operator and rejects with `signal.reason`. */
  signal?: AbortSignal;
}
