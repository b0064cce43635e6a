// The messages a WorkerPool and serve() exchange, and how errors cross.
//
// Pool → worker: [RUN, id, name, arg] and [CANCEL, id, reason].
// Worker → pool: [id, DONE, value], [id, FAILED, thrown] and [CLOSING] when
// the worker shuts itself down. Arrays, not objects: they are the cheapest
// thing to clone, and each message is cloned twice.

/** Starts the handler `name` with `arg`. */
export const RUN = 0;
/** Aborts the worker-side signal of run `id`. */
export const CANCEL = 1;
/** Run `id` returned a value. */
export const DONE = 0;
/** Run `id` threw. */
export const FAILED = 1;
/** The worker called `close()`: it will answer nothing more. */
export const CLOSING = -1;

import type { MessagePortLike } from "./serve.ts";

/** A value `serve` posts with a transfer list instead of copying it. */
export class Transferred<T> {
  /** Wraps `value`; what `transfer` lists moves with it. */
  constructor(
    readonly value: T,
    readonly transfer: Transferable[],
  ) {}
}

/** An error as it crosses: structured clone alone would lose its class. */
interface SentError {
  name: string;
  message: string;
  stack?: string;
  dom: boolean;
  cause?: Sent;
  errors?: Sent[];
}

/** A thrown value: an error taken apart, or anything else as it is. */
type Sent = { error: SentError } | { value: unknown };

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const isDOMException = (value: unknown): value is DOMException =>
  typeof DOMException === "function" && value instanceof DOMException;

/**
 * Takes a thrown value apart into clonable pieces. `name` is sent as data:
 * structured clone turns an instance of a custom error class into a plain
 * `Error`. Causes and an `AggregateError`'s errors are taken apart too, to a
 * bounded depth (a cause may point back at its error).
 */
export function encodeThrown(thrown: unknown, depth = 0): Sent {
  if (!(thrown instanceof Error) && !isDOMException(thrown)) {
    return { value: thrown };
  }
  const error: SentError = {
    name: String(thrown.name),
    message: String(thrown.message),
    stack: thrown.stack,
    dom: isDOMException(thrown),
  };
  if (depth < 8) {
    if ("cause" in thrown) error.cause = encodeThrown(thrown.cause, depth + 1);
    const errors = (thrown as Partial<AggregateError>).errors;
    if (Array.isArray(errors)) {
      error.errors = errors.map((e) => encodeThrown(e, depth + 1));
    }
  }
  return { error };
}

/** Rebuilds what {@linkcode encodeThrown} took apart. */
export function decodeThrown(sent: Sent): unknown {
  if (!("error" in sent)) return sent.value;
  const { name, message, stack, dom, cause, errors } = sent.error;
  let error: Error;
  if (dom) error = new DOMException(message, name);
  else if (errors) {
    error = new AggregateError(errors.map(decodeThrown), message);
  } else {error = new (Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : Error)(
      message,
    );}
  if (error.name !== name) define(error, "name", name);
  if (stack !== undefined) define(error, "stack", stack);
  if (cause) define(error, "cause", decodeThrown(cause));
  return error;
}

// As the engine defines them on a fresh error: own, writable, not enumerable.
function define(error: Error, key: string, value: unknown): void {
  try {
    Object.defineProperty(error, key, {
      value,
      writable: true,
      configurable: true,
    });
  } catch {
    // A host whose DOMException refuses an own property keeps its own.
  }
}

/**
 * Listens for `type` on a web `EventTarget` (the listener gets the event) or
 * a Node `EventEmitter` (it gets the arguments); returns the remover. Web
 * message events carry the message in `data`; `unwrap` picks it out, so the
 * listener always receives the message itself.
 */
export function listen(
  target: MessagePortLike,
  type: string,
  listener: (payload: unknown) => void,
  unwrap = false,
): () => void {
  if (typeof target.addEventListener === "function") {
    const handler = unwrap
      ? (event: unknown) => listener((event as MessageEvent).data)
      : listener;
    target.addEventListener(type, handler);
    return () => target.removeEventListener!(type, handler);
  }
  target.on!(type, listener);
  return () => target.off!(type, listener);
}

/** Whether `value` can post messages and be listened to in either style. */
export function isPort(value: unknown): value is MessagePortLike {
  const v = value as Record<string, unknown> | null;
  return typeof v === "object" && v !== null &&
    typeof v.postMessage === "function" &&
    ((typeof v.addEventListener === "function" &&
      typeof v.removeEventListener === "function") ||
      (typeof v.on === "function" && typeof v.off === "function"));
}
