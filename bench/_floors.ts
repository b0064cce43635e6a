// Hand-written floors shared by the timing and memory benchmarks: the least
// code that does what the library's API promises, so the ratio to it is the
// price of the API rather than of a different contract.

/**
 * A concurrency-limited pool that, like `TaskGroup({ limit }).spawn`, hands
 * back a handle for every task at once, and starts a queued task from a
 * continuation registered when it was queued, so the task runs in the async
 * context of the call that queued it (DESIGN rule 11), not of whichever task
 * freed its slot. (A worker pool that pulls the next function in its own
 * loop does less per task, but keeps neither promise.)
 */
export function eagerPool(
  limit: number,
): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  let opens: ((() => void) | undefined)[] = [];
  let head = 0;
  const done = () => {
    if (head === opens.length) {
      active--;
      opens = [];
      head = 0;
      return;
    }
    const open = opens[head]!;
    opens[head++] = undefined;
    open();
  };
  const start = <T>(fn: () => Promise<T>): Promise<T> => {
    const promise = fn();
    promise.then(done, done);
    return promise;
  };
  return <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < limit) {
      active++;
      return start(fn);
    }
    return new Promise<void>((open) => opens.push(open)).then(() => start(fn));
  };
}

/** A FIFO counting semaphore: a counter and a list of waiters' resolvers. */
export function floorSemaphore(permits: number): {
  acquire(): Promise<void>;
  release(): void;
} {
  let waiters: ((() => void) | undefined)[] = [];
  let head = 0;
  return {
    acquire() {
      if (permits > 0) {
        permits--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    release() {
      if (head === waiters.length) {
        permits++;
        waiters = [];
        head = 0;
        return;
      }
      const resolve = waiters[head]!;
      waiters[head++] = undefined;
      resolve();
    },
  };
}
