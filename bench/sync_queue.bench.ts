// Put/get pairs between one producer and one consumer through a bounded
// buffer of 1024, at 100,000 and 1,000,000 (per-item cost must stay flat):
// Queue and Channel against a hand-written floor.
import { Channel, Queue } from "../src/sync/mod.ts";
import { bench } from "./_harness.ts";

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
  items: number,
  put: (value: number) => Promise<void>,
  get: () => Promise<number>,
): Promise<void> {
  const producer = (async () => {
    for (let i = 0; i < items; i++) await put(i);
  })();
  let sum = 0;
  for (let i = 0; i < items; i++) sum += await get();
  await producer;
  if (sum !== (items * (items - 1)) / 2) throw new Error("lost items");
}

for (const items of [100_000, 1_000_000]) {
  const group = `${items.toLocaleString("en")} put/get pairs, buffer ${SIZE}`;
  bench({
    group,
    items,
    name: "floor (ring buffer)",
    baseline: true,
    fn() {
      const queue = new FloorQueue<number>();
      return pump(items, (v) => queue.put(v), () => queue.get());
    },
  });
  bench({
    group,
    items,
    name: "@seed/async Queue",
    fn() {
      const queue = new Queue<number>({ maxSize: SIZE });
      return pump(items, (v) => queue.put(v), () => queue.get());
    },
  });
  if (items > 100_000) continue;
  bench({
    group,
    items,
    name: "@seed/async Channel",
    fn() {
      const channel = new Channel<number>({ capacity: SIZE });
      return pump(items, (v) => channel.send(v), () => channel.receive());
    },
  });
}
