// `AsyncLocalStorage` for the context tests (DESIGN rule 11), in the runtimes
// that have one (Deno, Node, Bun); browsers and workerd skip those tests.

/** The part of `AsyncLocalStorage` the tests use. */
export interface Storage<T> {
  run<R>(store: T, fn: () => R): R;
  getStore(): T | undefined;
}

const userAgent = (globalThis as { navigator?: { userAgent?: string } })
  .navigator?.userAgent;

/** Whether this runtime has `node:async_hooks` (Node 20 has no navigator). */
export const hasAsyncLocalStorage: boolean = userAgent === undefined ||
  /^(Deno|Node\.js|Bun)\//.test(userAgent);

// Not a literal, so bundlers for the browsers leave the import alone.
const specifier = ["node", "async_hooks"].join(":");

/** A fresh `AsyncLocalStorage` from `node:async_hooks`. */
export async function asyncLocalStorage<T>(): Promise<Storage<T>> {
  const { AsyncLocalStorage } = await import(specifier);
  return new AsyncLocalStorage();
}
