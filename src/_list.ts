// A doubly linked FIFO list: O(1) push, shift and removal of any node, so a
// waiter that gives up (abort) leaves the queue without a scan, where
// `Array#shift` is O(n). Only what the library uses: no unshift, pop or
// iteration (each would cost every bundle that queues anything).

/** A node of a {@linkcode LinkedList}; `list` is null once it has been removed. */
export interface ListNode<T> {
  value: T;
  prev: ListNode<T> | null;
  next: ListNode<T> | null;
  list: LinkedList<T> | null;
}

/** A doubly linked list with O(1) push, shift and remove. */
export class LinkedList<T> {
  #head: ListNode<T> | null = null;
  #tail: ListNode<T> | null = null;
  #size = 0;

  /** Number of nodes in the list. */
  get size(): number {
    return this.#size;
  }

  /** The first value, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#head?.value;
  }

  /** Appends `value`; returns its node for a later {@linkcode remove}. */
  push(value: T): ListNode<T> {
    const node: ListNode<T> = {
      value,
      prev: this.#tail,
      next: null,
      list: this,
    };
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    this.#size++;
    return node;
  }

  /** Removes and returns the first value. */
  shift(): T | undefined {
    const node = this.#head;
    if (!node) return undefined;
    this.remove(node);
    return node.value;
  }

  /** Unlinks `node`; does nothing when it was already removed. */
  remove(node: ListNode<T>): void {
    if (node.list !== this) return;
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = node.next = null;
    node.list = null;
    this.#size--;
  }
}
