// An intrusive doubly linked list: the items carry their own `prev`/`next`
// links, so keeping a task in a group's queue (or in its list of tasks with
// a signal of their own) allocates nothing, and leaving it is O(1). An item
// belongs to at most one chain at a time.

/** An item a {@linkcode Chain} can hold. */
export interface Link<T extends Link<T>> {
  prev: T | undefined;
  next: T | undefined;
}

/** A FIFO of items linked through their own fields. */
export class Chain<T extends Link<T>> {
  head: T | undefined = undefined;
  tail: T | undefined = undefined;

  /** Appends `item`, which is in no chain. */
  push(item: T): void {
    item.prev = this.tail;
    if (this.tail) this.tail.next = item;
    else this.head = item;
    this.tail = item;
  }

  /** Removes and returns the first item. */
  shift(): T | undefined {
    const item = this.head;
    if (item) this.remove(item);
    return item;
  }

  /** Unlinks `item`; does nothing when it is not in this chain. */
  remove(item: T): void {
    const { prev, next } = item;
    if (prev === undefined && this.head !== item) return;
    if (prev) prev.next = next;
    else this.head = next;
    if (next) next.prev = prev;
    else this.tail = prev;
    item.prev = item.next = undefined;
  }
}
