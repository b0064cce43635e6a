import { asyncDisposeSymbol, defineMethod } from "../_symbols.ts";
import { noop } from "../_noop.ts";
import { checkFunction, describe } from "../_validate.ts";

/**
 * An entered context, made by a function that {@linkcode contextManager}
 * returned: the yielded {@linkcode ContextManagerHandle.value}, and two ways
 * to exit. It exits once; the first exit wins.
 */
export interface ContextManagerHandle<T> extends AsyncDisposable {
  /** What the generator yielded. */
  readonly value: T;
  /**
   * Runs `fn(value)`, then exits the context, Python's `async with`:
   *
   * - if `fn` succeeds, the generator resumes normally after its `yield`
   *   and `use` resolves with what `fn` returned;
   * - if `fn` throws, the error is thrown into the generator at its `yield`,
   *   so a `catch` there sees it. If the generator rethrows it, or throws
   *   another error, `use` rejects with that. If it swallows the error and
   *   finishes, the error is suppressed and `use` resolves `undefined`.
   *
   * @throws {TypeError} `fn` is not a function.
   */
  use<R>(fn: (value: T) => R | PromiseLike<R>): Promise<R | undefined>;
  /**
   * Exits the context by resuming the generator with `return()`: its
   * `finally` blocks run, nothing else. A disposer cannot see an error from
   * the `await using` block (nor tell success from failure), so neither a
   * `catch` at the `yield` nor code after it runs; use
   * {@linkcode ContextManagerHandle.use} when they should. Disposing again,
   * or after `use`, does nothing but wait for the first exit.
   */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Python's `@asynccontextmanager`: setup and teardown written around one
 * `yield` in an async generator function,
 * `async function* (...args) { setup; try { yield resource } finally { teardown } }`.
 *
 * Calling the returned function runs the setup and resolves to a
 * {@linkcode ContextManagerHandle} holding the yielded value, to be disposed
 * with `await using` or exited with its `use(fn)` callback form.
 *
 * The two exits differ in what the generator sees. `use(fn)` behaves like
 * Python: an error from `fn` is thrown in at the `yield`, and success resumes
 * the code after it. Disposal (`await using`) cannot see an error thrown by
 * the block, so it always resumes the generator with `return()`, which runs
 * only its `finally` blocks — keep teardown there.
 *
 * Errors: setup that throws rejects the call (there is nothing to dispose); a
 * generator that finishes without yielding rejects it with a `TypeError`; a
 * generator that yields again after being resumed is closed with `return()`
 * and the exit rejects with a `TypeError`; an error from teardown rejects the
 * exit.
 *
 * @example Both exits
 * ```ts
 * import { contextManager } from "@seed/async/dispose";
 * import { assert } from "chai";
 *
 * const log: string[] = [];
 * const connect = contextManager(async function* (url: string) {
 *   log.push(`open ${url}`);
 *   try {
 *     yield { url };
 *   } catch (error) {
 *     log.push(`failed: ${(error as Error).message}`); // only with use()
 *     throw error;
 *   } finally {
 *     log.push(`close ${url}`);
 *   }
 * });
 *
 * {
 *   await using conn = await connect("db://a");
 *   assert.equal(conn.value.url, "db://a");
 * }
 * const error = await (await connect("db://b"))
 *   .use(() => Promise.reject(new Error("boom")))
 *   .catch((e) => e);
 * assert.equal(error.message, "boom");
 * assert.deepEqual(log, [
 *   "open db://a",
 *   "close db://a",
 *   "open db://b",
 *   "failed: boom",
 *   "close db://b",
 * ]);
 * ```
 *
 * @throws {TypeError} `fn` is not a function.
 */
export function contextManager<A extends unknown[], T>(
  fn: (...args: A) => AsyncGenerator<T, unknown, undefined>,
): (...args: A) => Promise<ContextManagerHandle<T>> {
  checkFunction("contextManager", "fn", fn);
  return async (...args: A) => {
    const generator = checkGenerator(fn(...args));
    const first = await generator.next();
    if (first.done) {
      throw new TypeError("contextManager: the generator did not yield");
    }
    return new Handle(generator, first.value);
  };
}

type ContextGenerator<T> = AsyncGenerator<T, unknown, undefined>;

function checkGenerator<T>(value: ContextGenerator<T>): ContextGenerator<T> {
  const candidate = value as Partial<ContextGenerator<T>> | null;
  if (
    typeof candidate?.next !== "function" ||
    typeof candidate.throw !== "function" ||
    typeof candidate.return !== "function"
  ) {
    throw new TypeError(
      `contextManager: fn must return an async generator, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

// Handle.prototype[asyncDisposeSymbol] is installed by the first
// construction; see defineMethod for why it is not a method in the class body.
let installed = false;

class Handle<T> implements ContextManagerHandle<T> {
  readonly value: T;
  readonly #generator: ContextGenerator<T>;
  // The first exit, by use() or disposal; settles when the generator has
  // finished (or failed to).
  #exit: Promise<unknown> | undefined;

  declare [Symbol.asyncDispose]: () => Promise<void>;

  constructor(generator: ContextGenerator<T>, value: T) {
    installed ||= defineMethod(
      Handle.prototype,
      asyncDisposeSymbol,
      function (this: Handle<unknown>) {
        if (this.#exit) return this.#exit.then(noop, noop);
        const exit = finish(this.#generator, "return");
        this.#exit = exit;
        return exit;
      },
    );
    this.#generator = generator;
    this.value = value;
  }

  use<R>(fn: (value: T) => R | PromiseLike<R>): Promise<R | undefined> {
    checkFunction("ContextManagerHandle.use", "fn", fn);
    if (this.#exit) {
      return Promise.reject(
        new ReferenceError(
          "ContextManagerHandle.use: the context has already exited",
        ),
      );
    }
    const result = runInside(this.#generator, this.value, fn);
    this.#exit = result;
    return result;
  }
}

async function runInside<T, R>(
  generator: ContextGenerator<T>,
  value: T,
  fn: (value: T) => R | PromiseLike<R>,
): Promise<R | undefined> {
  let result: R;
  try {
    result = await fn(value);
  } catch (error) {
    // Rejects if the generator rethrows or throws anew; resolves if it
    // swallowed the error, which Python calls suppressing it.
    await finish(generator, "throw", error);
    return undefined;
  }
  await finish(generator, "next");
  return result;
}

// Resumes the generator with `generator[how](input)` and expects it to
// finish. One that yields again is closed with return(), so its finally
// blocks still run, and reported.
async function finish<T>(
  generator: ContextGenerator<T>,
  how: "next" | "throw" | "return",
  input?: unknown,
): Promise<void> {
  const step = await generator[how](input as undefined);
  if (step.done) return;
  await generator.return(undefined);
  throw new TypeError(
    `contextManager: the generator did not stop after ${how}(); it must yield exactly once`,
  );
}
