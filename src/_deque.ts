// A growable ring buffer: O(1) push, take from the front and pop from the
// back without `Array#shift` (which is O(n)). Backs Queue's FIFO/LIFO
// stores, Channel's buffer and the items iterator operators buffer (buffer,
// merge, fromEvent, tee).

/** A double-ended queue on a power-of-two ring buffer. */
export class Deque<T> {
  #items: (T | undefined)[] = new Array(8);
  #mask = 7;
  #head = 0;
  #size = 0;

  /** Number of items. */
  get size(): number {
    return this.#size;
  }

  /** Appends `value` at the back. */
  push(value: T): void {
    if (this.#size > this.#mask) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = value;
    this.#size++;
  }

  /** Removes and returns the front value; the deque must not be empty. */
  take(): T {
    const head = this.#head;
    const value = this.#items[head] as T;
    this.#items[head] = undefined; // drop the reference for the GC
    this.#head = (head + 1) & this.#mask;
    this.#size--;
    return value;
  }

  /** The value `offset` places from the front (`offset` < size). */
  at(offset: number): T {
    return this.#items[(this.#head + offset) & this.#mask] as T;
  }

  /** Removes the first `count` values (`count` ≤ size). */
  drop(count: number): void {
    for (let i = 0; i < count; i++) this.take();
  }

  /** Removes and returns the back value; the deque must not be empty. */
  pop(): T {
    this.#size--;
    const index = (this.#head + this.#size) & this.#mask;
    const value = this.#items[index] as T;
    this.#items[index] = undefined;
    return value;
  }

  #grow(): void {
    const old = this.#items;
    const items = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.#size; i++) {
      items[i] = old[(this.#head + i) & this.#mask];
    }
    this.#items = items;
    this.#mask = items.length - 1;
    this.#head = 0;
  }
}
