// The queue of the operators that buffer (buffer, merge, fromEvent, tee): an
// array read from an index, so push and shift are O(1) without a node per
// item (Array#shift is O(n) on a long queue). What was read is cut off once
// it is most of the array.

/** A FIFO queue; {@linkcode at} reads any queued item without removing it. */
export class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  /** Number of queued items. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Appends `value`. */
  push(value: T): void {
    this.#items.push(value);
  }

  /** The item `offset` places from the front (`offset` < size). */
  at(offset: number): T {
    return this.#items[this.#head + offset];
  }

  /** Removes and returns the first item (the queue is not empty). */
  shift(): T {
    const value = this.at(0);
    this.drop(1);
    return value;
  }

  /** Removes the first `count` items (`count` ≤ size). */
  drop(count: number): void {
    const items = this.#items;
    const head = this.#head;
    items.fill(undefined as T, head, this.#head = head + count);
    if (this.#head > 32 && this.#head * 2 > items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
  }
}
