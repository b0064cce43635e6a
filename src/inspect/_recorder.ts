// What an enabled inspector keeps: one node per group, task and scope, linked
// to its parent through the signal between them, and the waits pending on
// each node's signals. States are derived when a snapshot is taken, from the
// nodes' signals and waits, so recording adds no abort listener anywhere.

import type { InspectHook } from "../_inspect_hook.ts";

/** The kind of a recorded node. */
export type NodeKind = "group" | "task" | "scope";

/** A node's state, as a snapshot reports it. */
export type NodeState =
  | "queued"
  | "running"
  | "waiting"
  | "cancelling"
  | "fulfilled"
  | "rejected"
  | "cancelled";

/** One wait in progress: the primitive's name and when it began. */
interface Wait {
  readonly node: RecordedNode;
  readonly op: string;
  readonly at: number;
}

/**
 * A node of the tree; `key` is the group, task or scope it records. Its
 * live children form a linked list (O(1) to leave, nothing to rehash; a
 * group may have 100,000 of them); ended ones move to `settled`. The
 * collections are made when first needed: most tasks have no children and
 * no wait.
 */
export class RecordedNode {
  firstLive: RecordedNode | undefined;
  lastLive: RecordedNode | undefined;
  prev: RecordedNode | undefined;
  next: RecordedNode | undefined;
  // Ended children, oldest first: only the most recent `keepSettled` stay.
  settled: RecordedNode[] | undefined;
  waits: Set<Wait> | undefined;
  signal: AbortSignal | undefined;
  started: boolean;
  endedAt = 0;
  state: NodeState | undefined;
  reason: unknown;

  constructor(
    readonly id: number,
    readonly kind: NodeKind,
    readonly parent: RecordedNode | undefined,
    readonly key: object,
    signal: AbortSignal | undefined,
    readonly startedAt: number,
  ) {
    this.signal = signal;
    this.started = kind !== "task";
  }

  addLive(child: RecordedNode): void {
    child.prev = this.lastLive;
    if (this.lastLive) this.lastLive.next = child;
    else this.firstLive = child;
    this.lastLive = child;
  }

  removeLive(child: RecordedNode): void {
    if (child.prev) child.prev.next = child.next;
    else this.firstLive = child.next;
    if (child.next) child.next.prev = child.prev;
    else this.lastLive = child.prev;
    child.prev = child.next = undefined;
  }

  /** Live and kept ended children, oldest first. */
  children(): RecordedNode[] {
    const live: RecordedNode[] = [];
    for (let child = this.firstLive; child; child = child.next) {
      live.push(child);
    }
    if (!this.settled?.length) return live;
    return live.concat(this.settled).sort((a, b) => a.id - b.id);
  }
}

/** The object's `name` property when it is a non-empty string. */
export function nameOf(key: object): string | undefined {
  const name = (key as { name?: unknown }).name;
  return typeof name === "string" && name !== "" ? name : undefined;
}

/** A scope's `deadline` property when it is a number. */
export function deadlineOf(key: object): number {
  const deadline = (key as { deadline?: unknown }).deadline;
  return typeof deadline === "number" ? deadline : Infinity;
}

/** Records the tree while installed as the {@linkcode InspectHook}. */
export class Recorder implements InspectHook {
  // The top level, as a node of its own so roots are bounded like children.
  readonly root: RecordedNode;
  readonly #keepSettled: number;
  readonly #now: () => number;
  // A Map, not a WeakMap (much cheaper per task): an entry lives only as
  // long as its node is live, and a live node holds its key anyway.
  readonly #nodes = new Map<object, RecordedNode>();
  readonly #owners = new WeakMap<AbortSignal, RecordedNode>();
  readonly #waits = new WeakMap<object, Wait>();
  #current: RecordedNode | undefined;
  #ids = 0;

  constructor(keepSettled: number, now: () => number) {
    this.#keepSettled = keepSettled;
    this.#now = now;
    this.root = new RecordedNode(0, "group", undefined, this, undefined, 0);
  }

  group(key: object, parent: AbortSignal | undefined, signal: AbortSignal) {
    this.#add("group", key, this.#ownerOf(parent), signal);
  }

  scope(key: object, parent: AbortSignal | undefined, signal: AbortSignal) {
    this.#add("scope", key, this.#ownerOf(parent), signal);
  }

  spawn(key: object, group: object): void {
    const parent = this.#nodes.get(group);
    this.#add("task", key, parent, parent?.signal);
  }

  run<R>(key: object, fn: (signal: AbortSignal) => R, signal: AbortSignal): R {
    const node = this.#nodes.get(key);
    if (!node) return fn(signal);
    node.started = true;
    node.signal = signal;
    if (!this.#owners.has(signal)) this.#owners.set(signal, node);
    const outer = this.#current;
    this.#current = node;
    try {
      return fn(signal);
    } finally {
      this.#current = outer;
    }
  }

  end(key: object, state?: string, outcome?: unknown): void {
    const node = this.#nodes.get(key);
    if (!node) return;
    this.#nodes.delete(key);
    node.endedAt = this.#now();
    node.waits = undefined;
    const aborted = node.signal?.aborted ?? false;
    if (
      state === "fulfilled" || state === "rejected" || state === "cancelled"
    ) {
      node.state = state;
      if (state !== "fulfilled") node.reason = outcome;
    } else {
      node.state = aborted ? "cancelled" : "fulfilled";
    }
    if (node.state !== "fulfilled" && node.reason === undefined && aborted) {
      node.reason = node.signal!.reason;
    }
    const parent = node.parent ?? this.root;
    parent.removeLive(node);
    const settled = parent.settled ??= [];
    settled.push(node);
    if (settled.length > this.#keepSettled) settled.shift();
  }

  link(child: AbortSignal, parents: readonly AbortSignal[]): void {
    for (const parent of parents) {
      const owner = this.#ownerOf(parent);
      if (owner) return void this.#owners.set(child, owner);
    }
  }

  enter(key: object, signal: AbortSignal, op: string): void {
    const node = this.#ownerOf(signal);
    if (!node || node.state) return;
    const wait = { node, op, at: this.#now() };
    this.#waits.set(key, wait);
    (node.waits ??= new Set()).add(wait);
  }

  leave(key: object): void {
    const wait = this.#waits.get(key);
    if (!wait) return;
    this.#waits.delete(key);
    wait.node.waits?.delete(wait);
  }

  /** The node whose work `signal` cancels: the running task first when it shares its group's signal. */
  #ownerOf(signal: AbortSignal | undefined): RecordedNode | undefined {
    if (!signal) return undefined;
    const current = this.#current;
    return current?.signal === signal ? current : this.#owners.get(signal);
  }

  #add(
    kind: NodeKind,
    key: object,
    parent: RecordedNode | undefined,
    signal: AbortSignal | undefined,
  ): void {
    const node = new RecordedNode(
      ++this.#ids,
      kind,
      parent,
      key,
      signal,
      this.#now(),
    );
    this.#nodes.set(key, node);
    if (signal && kind !== "task") this.#owners.set(signal, node);
    (parent ?? this.root).addLive(node);
  }

  /** The live state of `node` (or its final one). */
  stateOf(node: RecordedNode): NodeState {
    if (node.state) return node.state;
    if (!node.started) return "queued";
    if (node.signal?.aborted) return "cancelling";
    return node.waits?.size ? "waiting" : "running";
  }

  /** The oldest wait `node` is in, if any. */
  waitOf(node: RecordedNode): { op: string; at: number } | undefined {
    return node.waits?.values().next().value;
  }
}
