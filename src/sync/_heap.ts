// A binary min-heap for Queue's priority order: O(log n) push and pop. Ties
// are broken by insertion order, so equal priorities come out FIFO (a plain
// heap is not stable, which surprises users of priority queues). Values and
// sequence numbers live in parallel arrays: no allocation per item.

/** A stable binary min-heap ordered by `compare`. */
export class Heap<T> {
  readonly #compare: (a: T, b: T) => number;
  #values: T[] = [];
  #seqs: number[] = [];
  #next = 0;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  /** Number of items. */
  get size(): number {
    return this.#values.length;
  }

  /** Adds `value`. */
  push(value: T): void {
    const values = this.#values;
    const seqs = this.#seqs;
    const seq = this.#next++;
    let i = values.length;
    values.push(value);
    seqs.push(seq);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(value, seq, values[parent], seqs[parent])) break;
      values[i] = values[parent];
      seqs[i] = seqs[parent];
      i = parent;
    }
    values[i] = value;
    seqs[i] = seq;
  }

  /** Removes and returns the smallest value; the heap must not be empty. */
  take(): T {
    const values = this.#values;
    const seqs = this.#seqs;
    const top = values[0];
    const value = values.pop()!;
    const seq = seqs.pop()!;
    const size = values.length;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (
        right < size &&
        this.#less(values[right], seqs[right], values[child], seqs[child])
      ) child = right;
      if (!this.#less(values[child], seqs[child], value, seq)) break;
      values[i] = values[child];
      seqs[i] = seqs[child];
      i = child;
    }
    values[i] = value;
    seqs[i] = seq;
    return top;
  }

  #less(a: T, aSeq: number, b: T, bSeq: number): boolean {
    const order = this.#compare(a, b);
    return order < 0 || (order === 0 && aSeq < bSeq);
  }
}
