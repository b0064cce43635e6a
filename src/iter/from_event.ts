import {
  checkInteger,
  checkOneOf,
  checkOptions,
  checkSignal,
  describe,
} from "../_validate.ts";
import { Deque } from "../_deque.ts";
import { type AsyncOperator, Op, type Step } from "./_op.ts";

/** Options of {@linkcode fromEvent}. */
export interface FromEventOptions {
  /** Aborting it removes the listener and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** The most events held for a consumer that lags behind (default 1024). */
  maxBuffer?: number;
  /**
   * What happens to an event that finds the buffer full:
   * - `"error"` (default): the listener is removed, and after the buffered
   *   events the iterator rejects with a `RangeError` — a lost event is
   *   never silent;
   * - `"drop-oldest"`: the oldest buffered event is discarded (keep the
   *   latest state, e.g. resize or pointer moves);
   * - `"drop-newest"`: the new event is discarded.
   */
  overflow?: "error" | "drop-oldest" | "drop-newest";
}

const POLICIES = ["error", "drop-oldest", "drop-newest"] as const;

/**
 * The event `target` dispatches for `type`, read from its `on<type>` handler
 * property: what the DOM lib you compile with declares
 * (`HTMLElementEventMap["click"]` is `MouseEvent`, a `WebSocket`'s
 * `"message"` a `MessageEvent`); `Event` for a target that declares none.
 */
export type EventOf<Target, Type extends string> = Target extends
  { [K in `on${Type}`]: infer Handler }
  ? NonNullable<Handler> extends (this: never, event: infer E) => unknown
    ? E extends Event ? E : Event
  : Event
  : Event;

/**
 * The events of type `type` dispatched on `target` (any `EventTarget`), as
 * an async iterator. The listener is added at the first `next()` (events
 * before that are not seen) and removed on every exit: `break`,
 * `return()`, abort of `signal` (which rejects with `signal.reason`), or an
 * overflow. Never ends by itself.
 *
 * @throws {TypeError} `target` is not an EventTarget, or `type` is not a string.
 * @throws {RangeError} `maxBuffer` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { fromEvent, take, toArray } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const target = new EventTarget();
 * const events = take(fromEvent(target, "ping"), 2);
 * const first = events.next();
 * target.dispatchEvent(new Event("ping"));
 * target.dispatchEvent(new Event("ping"));
 * assert.equal((await first).value?.type, "ping");
 * assert.equal((await toArray(events)).length, 1);
 * ```
 */
export function fromEvent<Target extends EventTarget, Type extends string>(
  target: Target,
  type: Type,
  options?: FromEventOptions,
): AsyncOperator<EventOf<Target, Type>>;
/**
 * {@linkcode fromEvent} with the event type given explicitly, for events
 * the target's type does not declare (`fromEvent<CustomEvent<T>>(el, "x")`).
 *
 * @example
 * ```ts
 * import { fromEvent } from "@seed/async/iter";
 * import { assert } from "chai";
 *
 * const target = new EventTarget();
 * const events = fromEvent<CustomEvent<number>>(target, "count");
 * const first = events.next();
 * target.dispatchEvent(new CustomEvent("count", { detail: 3 }));
 * assert.equal((await first).value?.detail, 3);
 * await events.return?.();
 * ```
 */
export function fromEvent<E extends Event = Event>(
  target: EventTarget,
  type: string,
  options?: FromEventOptions,
): AsyncOperator<E>;
export function fromEvent<E extends Event = Event>(
  target: EventTarget,
  type: string,
  options?: FromEventOptions,
): AsyncOperator<E> {
  if (
    typeof (target as Partial<EventTarget>)?.addEventListener !== "function"
  ) {
    throw new TypeError(
      `fromEvent: target must be an EventTarget, got ${describe(target)}`,
    );
  }
  if (typeof type !== "string") {
    throw new TypeError(
      `fromEvent: type must be a string, got ${describe(type)}`,
    );
  }
  const bag = checkOptions("fromEvent", options) as FromEventOptions;
  const signal = checkSignal("fromEvent", bag.signal);
  const maxBuffer = checkInteger(
    "fromEvent",
    "maxBuffer",
    bag.maxBuffer ?? 1024,
    1,
  );
  const overflow = checkOneOf(
    "fromEvent",
    "overflow",
    bag.overflow ?? "error",
    POLICIES,
  );
  return new EventOp<E>(target, type, signal, maxBuffer, overflow);
}

class EventOp<E extends Event> extends Op<E> {
  readonly #target: EventTarget;
  readonly #type: string;
  readonly #maxBuffer: number;
  readonly #overflow: string;
  readonly #events = new Deque<E>();
  #overflowed = false;

  constructor(
    target: EventTarget,
    type: string,
    signal: AbortSignal | undefined,
    maxBuffer: number,
    overflow: string,
  ) {
    super(signal);
    this.#target = target;
    this.#type = type;
    this.#maxBuffer = maxBuffer;
    this.#overflow = overflow;
  }

  protected override start(): void {
    this.#target.addEventListener(this.#type, this.#onEvent);
  }

  protected step(): Step<E> {
    if (this.#events.size > 0) {
      return { done: false, value: this.#events.take() };
    }
    if (this.#overflowed) {
      return this.fail(
        new RangeError(
          `fromEvent: more than ${this.#maxBuffer} "${this.#type}" events waited (maxBuffer)`,
        ),
      );
    }
    return this.park();
  }

  protected stop(): void {
    this.#target.removeEventListener(this.#type, this.#onEvent);
  }

  readonly #onEvent = (event: Event): void => {
    const events = this.#events;
    if (events.size >= this.#maxBuffer) {
      const overflow = this.#overflow;
      if (overflow === "drop-newest") return;
      // "error": no more events; the buffered ones, then the RangeError.
      if (overflow === "error") {
        this.#overflowed = true;
        return this.stop();
      }
      events.take();
    }
    events.push(event as E);
    this.unpark();
  };
}
