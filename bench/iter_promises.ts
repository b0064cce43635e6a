// Counts the promises @seed/async/iter allocates per item: every
// `new Promise`, `Promise.resolve`/`reject` and `then`/`catch`/`finally`
// call (each allocates one) is counted by wrapping them. Native `await` and
// async generators allocate without calling these, so only explicit
// allocations are seen — which is all the library makes on these paths
// (callbacks' own async functions are counted by their `then` only).
//
//   deno run bench/iter_promises.ts
import { filter, map, take } from "../src/iter/mod.ts";

const ITEMS = 100_000;
let count = 0;
const proto = Promise.prototype;
for (const name of ["then", "catch", "finally"] as const) {
  const original = proto[name] as (...args: unknown[]) => Promise<unknown>;
  Object.defineProperty(proto, name, {
    configurable: true,
    writable: true,
    value(this: Promise<unknown>, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    },
  });
}
const NativePromise = Promise;
const CountingPromise = new Proxy(NativePromise, {
  construct(target, args) {
    count++;
    return Reflect.construct(target, args);
  },
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver);
    if (key === "resolve" || key === "reject") {
      return (x: unknown) => {
        if (!(x instanceof NativePromise) || key === "reject") count++;
        return (value as (x: unknown) => unknown).call(target, x);
      };
    }
    return value;
  },
});
globalThis.Promise = CountingPromise;

async function measure(
  label: string,
  make: () => AsyncIterableIterator<number>,
): Promise<void> {
  const it = make();
  let items = 0;
  count = 0;
  // Drive next() by hand so the consumer's loop adds no counted promise.
  for (;;) {
    const result = await it.next();
    if (result.done) break;
    items++;
  }
  console.log(`${label}: ${(count / items).toFixed(2)} promises per item`);
}

const input = Array.from({ length: ITEMS }, (_, i) => i);
async function* numbers() {
  for (let i = 0; i < ITEMS; i++) yield i;
}
const double = (x: number) => x * 2;
const work = async (x: number) => {
  await null;
  return x * 2;
};

await measure(
  "map → filter → take, array source",
  () => take(filter(map(input, double), () => true), ITEMS),
);
await measure(
  "map → filter → take, async-generator source",
  () => take(filter(map(numbers(), double), () => true), ITEMS),
);
await measure("map, async callback, concurrency 1", () => map(input, work));
await measure(
  "map, async callback, concurrency 8 (ordered)",
  () => map(input, work, { concurrency: 8 }),
);
globalThis.Promise = NativePromise;
