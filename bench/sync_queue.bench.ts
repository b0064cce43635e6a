// 1,000,000 put/get pairs between one producer and one consumer through a
// bounded buffer of 1024: Queue and Channel against a hand-written floor.
import { Channel, Queue } from "../src/sync/mod.ts";

const ITEMS = 1_000_000;
const SIZE = 1024;

// The floor: a ring buffer with one parked producer and one parked consumer.
class FloorQueue<T> {
  #items: (T | undefined)[] = new Array(SIZE);
  #head = 0;
  #size = 0;
  #getter: ((value: T) => void) | null = null;
  #putter: { value: T; resolve: () => void } | null = null;

  put(value: T): Promise<void> {
    const getter = this.#getter;
    if (getter) {
      this.#getter = null;
      getter(value);
      return Promise.resolve();
    }
    if (this.#size < SIZE) {
      this.#items[(this.#head + this.#size++) % SIZE] = value;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.#putter = { value, resolve }));
  }

  get(): Promise<T> {
    if (this.#size > 0) {
      const value = this.#items[this.#head] as T;
      this.#head = (this.#head + 1) % SIZE;
      this.#size--;
      const putter = this.#putter;
      if (putter) {
        this.#putter = null;
        this.#items[(this.#head + this.#size++) % SIZE] = putter.value;
        putter.resolve();
      }
      return Promise.resolve(value);
    }
    return new Promise((resolve) => (this.#getter = resolve));
  }
}

async function pump(
  put: (value: number) => Promise<void>,
  get: () => Promise<number>,
): Promise<void> {
  const producer = (async () => {
    for (let i = 0; i < ITEMS; i++) await put(i);
  })();
  let sum = 0;
  for (let i = 0; i < ITEMS; i++) sum += await get();
  await producer;
  if (sum !== (ITEMS * (ITEMS - 1)) / 2) throw new Error("lost items");
}

const options = { group: "1M put/get pairs, buffer 1024", n: 5, warmup: 2 };

Deno.bench("floor (ring buffer)", { ...options, baseline: true }, async () => {
  const queue = new FloorQueue<number>();
  await pump((v) => queue.put(v), () => queue.get());
});

Deno.bench("@seed/async Queue", options, async () => {
  const queue = new Queue<number>({ maxSize: SIZE });
  await pump((v) => queue.put(v), () => queue.get());
});

Deno.bench("@seed/async Channel", options, async () => {
  const channel = new Channel<number>({ capacity: SIZE });
  await pump((v) => channel.send(v), () => channel.receive());
});
