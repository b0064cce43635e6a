import { asyncDisposeSymbol, defineMethod } from "../_symbols.ts";
import { checkInteger, checkOptions } from "../_validate.ts";
import { Deque } from "../_deque.ts";
import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";
import { TakeIterator } from "./_take_iterator.ts";
import { rejectAll, Waiters } from "./_waiters.ts";

/**
 * The error a {@linkcode Channel} rejects with: `send` on a closed channel,
 * and `receive` on a closed channel with nothing left to drain.
 *
 * @example
 * ```ts
 * import { Channel, ChannelClosedError } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * const channel = new Channel<number>();
 * channel.close();
 * assert.instanceOf(await channel.receive().catch((e) => e), ChannelClosedError);
 * ```
 */
export class ChannelClosedError extends Error {
  /**
   * Creates the error.
   *
   * @param message what was refused.
   */
  constructor(message = "The channel is closed") {
    super(message);
    this.name = "ChannelClosedError";
  }
}

/** Options of {@linkcode Channel}. */
export interface ChannelOptions {
  /**
   * Values buffered before `send` waits: an integer ≥ 0 or `Infinity`. The
   * default, 0, is a rendezvous: `send` resolves only when a receiver takes
   * the value.
   */
  capacity?: number;
}

// What #take() returns when no value is there (a value may be `undefined`).
interface Nothing {
  readonly nothing: true;
}
const nothing = {} as Nothing;

// Channel.prototype[asyncDisposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

/**
 * A channel between producers and consumers, Go style: {@linkcode Channel.send}
 * waits while the buffer is full (with the default capacity 0, until a
 * receiver takes the value), {@linkcode Channel.receive} waits while it is
 * empty; both serve their waiters FIFO and take `{ signal }`.
 *
 * {@linkcode Channel.close} stops new sends; values already buffered are
 * still received, then `receive` rejects with {@linkcode ChannelClosedError}
 * and `for await` ends. Sends waiting at close reject with it too: their
 * values were never delivered. An aborted send never delivers its value.
 * Disposing the channel (`await using`) closes it.
 *
 * @example A rendezvous channel
 * ```ts
 * import { Channel } from "@seed/async/sync";
 * import { assert } from "chai";
 *
 * await using channel = new Channel<string>();
 * const producer = (async () => {
 *   for (const word of ["a", "b", "c"]) await channel.send(word);
 *   channel.close();
 * })();
 * const words: string[] = [];
 * for await (const word of channel) words.push(word);
 * await producer;
 * assert.deepEqual(words, ["a", "b", "c"]);
 * ```
 */
export class Channel<T> implements AsyncIterable<T>, AsyncDisposable {
  readonly #buffer = new Deque<T>();
  readonly #capacity: number;
  readonly #senders = new Waiters<void, T>("Channel.send");
  readonly #receivers = new Waiters<T>("Channel.receive");
  #closed = false;

  /**
   * Creates an open channel.
   *
   * @throws {RangeError} `capacity` is not an integer ≥ 0 or `Infinity`.
   * @throws {TypeError} `options` or `capacity` has the wrong type.
   */
  constructor(options?: ChannelOptions) {
    installed ||= defineMethod(
      Channel.prototype,
      asyncDisposeSymbol,
      function (this: Channel<unknown>) {
        this.close();
        return Promise.resolve();
      },
    );
    const { capacity = 0 } = checkOptions("Channel", options);
    this.#capacity = checkInteger("Channel", "capacity", capacity, 0, true);
  }

  /** Values buffered before `send` waits. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Values buffered now. */
  get size(): number {
    return this.#buffer.size;
  }

  /** Whether {@linkcode Channel.close} has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `value`: hands it to a waiting receiver, else buffers it if there
   * is room, else waits (FIFO with other senders) until a receiver takes it
   * or room frees up. Rejects with {@linkcode ChannelClosedError} if the
   * channel is closed, or closes while waiting; rejects with `signal.reason`
   * if `signal` aborts first, and then the value is not delivered.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Channel } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const channel = new Channel<number>({ capacity: 1 });
   * await channel.send(1); // buffered
   * const second = channel.send(2); // full: waits
   * assert.equal(await channel.receive(), 1);
   * await second;
   * assert.equal(await channel.receive(), 2);
   * ```
   */
  send(value: T, options?: SignalOptions): Promise<void> {
    const signal = checkSignalOption("Channel.send", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) {
      return Promise.reject(
        new ChannelClosedError("Channel.send: the channel is closed"),
      );
    }
    if (this.#put(value)) return Promise.resolve();
    return this.#senders.wait(signal, value);
  }

  /**
   * Receives the next value: from the buffer, else from the first waiting
   * sender, else waits (FIFO with other receivers). Once the channel is
   * closed and drained, rejects with {@linkcode ChannelClosedError}; waiting
   * receivers reject with it when the channel closes.
   *
   * @throws {TypeError} `options` or `signal` has the wrong type.
   *
   * @example
   * ```ts
   * import { Channel } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const channel = new Channel<number>();
   * const sent = channel.send(5); // waits for this receive
   * assert.equal(await channel.receive(), 5);
   * await sent;
   * ```
   */
  receive(options?: SignalOptions): Promise<T> {
    const signal = checkSignalOption("Channel.receive", options);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const value = this.#take();
    if (value !== nothing) return Promise.resolve(value as T);
    if (this.#closed) {
      return Promise.reject(
        new ChannelClosedError(
          "Channel.receive: the channel is closed and empty",
        ),
      );
    }
    return this.#receivers.wait(signal);
  }

  /**
   * Sends `value` only if that needs no wait (Trio's `send_nowait`, Go's
   * `select` with a `default`): hands it to a waiting receiver — on a
   * rendezvous channel too — or buffers it if there is room, and returns
   * `true`; otherwise returns `false` and the value is not sent.
   *
   * @throws {ChannelClosedError} the channel is closed.
   *
   * @example
   * ```ts
   * import { Channel } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const channel = new Channel<string>(); // rendezvous
   * assert.isFalse(channel.trySend("dropped")); // nobody is receiving
   * const received = channel.receive();
   * assert.isTrue(channel.trySend("handed over"));
   * assert.equal(await received, "handed over");
   * ```
   */
  trySend(value: T): boolean {
    if (this.#closed) {
      throw new ChannelClosedError("Channel.trySend: the channel is closed");
    }
    return this.#put(value);
  }

  /**
   * Receives a value only if one is there now: from the buffer, else from a
   * waiting sender; returns `undefined` when there is none (the channel open
   * and empty). A channel whose values may themselves be `undefined` cannot
   * tell the two apart this way: wrap its values (`Channel<{ value: T }>`).
   *
   * @throws {ChannelClosedError} the channel is closed and drained.
   *
   * @example
   * ```ts
   * import { Channel, ChannelClosedError } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const channel = new Channel<number>({ capacity: 2 });
   * assert.isUndefined(channel.tryReceive()); // empty: no wait
   * await channel.send(1);
   * channel.close();
   * assert.equal(channel.tryReceive(), 1); // buffered values still drain
   * assert.throws(() => channel.tryReceive(), ChannelClosedError);
   * ```
   */
  tryReceive(): T | undefined {
    const value = this.#take();
    if (value !== nothing) return value as T;
    if (this.#closed) {
      throw new ChannelClosedError(
        "Channel.tryReceive: the channel is closed and empty",
      );
    }
    return undefined;
  }

  /**
   * Closes the channel: sends reject from now on, including those waiting;
   * buffered values can still be received. Closing again does nothing.
   *
   * @example
   * ```ts
   * import { Channel, ChannelClosedError } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const channel = new Channel<number>({ capacity: 2 });
   * await channel.send(1);
   * channel.close();
   * assert.equal(await channel.receive(), 1);
   * assert.instanceOf(await channel.send(2).catch((e) => e), ChannelClosedError);
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    rejectAll(
      this.#receivers,
      new ChannelClosedError(
        "Channel.receive: the channel is closed and empty",
      ),
    );
    rejectAll(
      this.#senders,
      new ChannelClosedError("Channel.send: the channel was closed"),
    );
  }

  /** Closes the channel (`await using channel = new Channel()`). */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  /**
   * Iterates received values; ends once the channel is closed and drained.
   *
   * @example
   * ```ts
   * import { Channel } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * const channel = new Channel<number>({ capacity: 3 });
   * for (const n of [1, 2, 3]) await channel.send(n);
   * channel.close();
   * const seen: number[] = [];
   * for await (const n of channel) seen.push(n);
   * assert.deepEqual(seen, [1, 2, 3]);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new TakeIterator(
      (options) => this.receive(options),
      ChannelClosedError,
    );
  }

  // Delivers `value` without waiting, if it can: to the first waiting
  // receiver (receivers wait only on an empty buffer), else into the buffer.
  #put(value: T): boolean {
    const receiver = this.#receivers.shift();
    if (receiver) {
      receiver.resolve(value);
      return true;
    }
    if (this.#buffer.size < this.#capacity) {
      this.#buffer.push(value);
      return true;
    }
    return false;
  }

  // Takes the next value without waiting, from the buffer. A waiting
  // sender's value joins the buffer's end first: the slot it frees goes to
  // that sender, and with an empty buffer its value is the one taken.
  #take(): T | Nothing {
    const buffer = this.#buffer;
    const sender = this.#senders.shift();
    if (sender) {
      buffer.push(sender.payload);
      sender.resolve();
    }
    return buffer.size > 0 ? buffer.take() : nothing;
  }
}
