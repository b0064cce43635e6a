/**
 * Types shared by the iterator operators.
 *
 * @module
 */

export type { AsyncOperator } from "./_op.ts";
export type { AnySource } from "./_source.ts";

/** What an operator's callback receives besides the item. */
export interface CallbackContext {
  /** Position of the item in the source, from 0. */
  readonly index: number;
  /**
   * Aborts when the operator exits early (`break`, `return()`, `throw()`, a
   * failed callback, or the operator's own signal), so work still running
   * for a result nobody will read can stop.
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
